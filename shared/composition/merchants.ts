/** Merchants on the single table. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbApps } from '../adapters/dynamodb/apps.js';
import { DynamoDbMerchants } from '../adapters/dynamodb/merchants.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const merchants = once(() => new DynamoDbMerchants(documentClient(), readTableName()));

export const apps = once(() => new DynamoDbApps(documentClient(), readTableName()));
