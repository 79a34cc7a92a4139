/** The merchant's refunds on the single table. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbMerchantRefunds } from '../adapters/dynamodb/merchant-refunds.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const merchantRefunds = once(() => new DynamoDbMerchantRefunds(documentClient(), readTableName()));
