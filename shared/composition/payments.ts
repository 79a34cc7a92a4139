/** The payment records and the provider waits (the reconciler's work list), on the single table. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbPayments } from '../adapters/dynamodb/payments.js';
import { DynamoDbProviderWaits } from '../adapters/dynamodb/provider-waits.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const payments = once(() => new DynamoDbPayments(documentClient(), readTableName()));
export const providerWaits = once(() => new DynamoDbProviderWaits(documentClient(), readTableName()));
