import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ProviderCustomers, ProviderName } from '../../app/payments/ports.js';
import { systemClock } from '../clock.js';
import { type ProviderCustomer, ProviderCustomerEntity } from './entities/provider-customer.js';
import { putIfAbsent } from './entity.js';
import { providerCustomerKey } from './keys.js';

/** Each user's customer at a processor: written once, conditionally, so two first uses agree on one. */
export class DynamoDbProviderCustomers implements ProviderCustomers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = systemClock.now,
  ) {}

  async find(userId: string, provider: ProviderName): Promise<string | undefined> {
    return (await this.#record(userId, provider))?.customerId;
  }

  async claim(userId: string, provider: ProviderName, customerId: string): Promise<string> {
    const customer = { userId, provider, customerId, createdAt: this.now().toISOString() };
    const { value } = await putIfAbsent(this.client, this.tableName, ProviderCustomerEntity, customer, () =>
      this.#record(userId, provider),
    );
    return value.customerId;
  }

  async #record(userId: string, provider: ProviderName): Promise<ProviderCustomer | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: providerCustomerKey(userId, provider),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : ProviderCustomerEntity.fromItem(item);
  }
}
