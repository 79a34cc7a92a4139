/** The merchant's refunds on the single table. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbIntentRefunds } from '../adapters/dynamodb/intent-refunds.js';
import { DynamoDbMerchantRefunds } from '../adapters/dynamodb/merchant-refunds.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';
import { ledger } from './ledger.js';

export const merchantRefunds = once(() => new DynamoDbMerchantRefunds(documentClient(), readTableName()));

export const intentRefunds = once(
  () => new DynamoDbIntentRefunds(documentClient(), readTableName(), ledger()),
);
