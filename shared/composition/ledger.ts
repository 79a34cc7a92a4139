/** The ledger and the wallet directory on the single table: what every money-moving function uses. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbLedger } from '../adapters/dynamodb/ledger.js';
import { DynamoDbWalletDirectory } from '../adapters/dynamodb/wallets.js';
import { randomIds } from '../adapters/ids.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const ledger = once(() => new DynamoDbLedger(documentClient(), readTableName()));
export const wallets = once(() => new DynamoDbWalletDirectory(documentClient(), readTableName(), randomIds));
