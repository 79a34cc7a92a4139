/**
 * The merchant's customers as a PaymentIntent needs them (IntentCustomers): read from the customer item the
 * customers feature writes (`MERCHANT#<id>#<mode>` / `CUSTOMER#<id>`), only its processor customer and
 * default payment method.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IntentCustomer, IntentCustomers, Tenant } from '../../app/payment-intents/ports.js';
import { merchantTenantPartition } from './keys.js';

export class DynamoDbIntentCustomers implements IntentCustomers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(tenant: Tenant, customerId: string): Promise<IntentCustomer | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: merchantTenantPartition(tenant.merchantId, tenant.mode), SK: `CUSTOMER#${customerId}` },
        ProjectionExpression: 'customerId, providerCustomerId, defaultPaymentMethod',
      }),
    );
    if (item === undefined || typeof item.providerCustomerId !== 'string') return undefined;
    return {
      customerId,
      providerCustomerId: item.providerCustomerId,
      ...(typeof item.defaultPaymentMethod === 'string'
        ? { defaultPaymentMethod: item.defaultPaymentMethod }
        : {}),
    };
  }
}
