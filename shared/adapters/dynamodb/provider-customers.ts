import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ProviderCustomers, ProviderName } from '../../app/payments/ports.js';
import { providerCustomerKey } from './keys.js';

const ENTITY = 'ProviderCustomer';

/** Each user's customer at a processor: written once, conditionally, so two first uses agree on one. */
export class DynamoDbProviderCustomers implements ProviderCustomers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async find(userId: string, provider: ProviderName): Promise<string | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: providerCustomerKey(userId, provider),
        ConsistentRead: true,
      }),
    );
    if (item === undefined) return undefined;
    const customerId: unknown = item.customerId;
    if (typeof customerId !== 'string') {
      throw new Error(`The ${provider} customer record of a user has no customer id`);
    }
    return customerId;
  }

  async claim(userId: string, provider: ProviderName, customerId: string): Promise<string> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...providerCustomerKey(userId, provider),
            type: ENTITY,
            version: 1,
            userId,
            provider,
            customerId,
            createdAt: this.now().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return customerId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await this.find(userId, provider);
      if (winner === undefined) throw error;
      return winner;
    }
  }
}
