/** The ledger adapter against the local stack's DynamoDB Local, for tests that exercise it directly. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { allLedgerAccounts } from '../../shared/adapters/dynamodb/ledger-audit.js';
import { checkLedgerInvariant } from '../../shared/domain/ledger.js';
import { endpoint } from './api.js';

export const TABLE_NAME = 'tween-payments';

export function localDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoint('dynamodb'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

export function localLedger(client = localDocumentClient(), now?: () => Date): DynamoDbLedger {
  return new DynamoDbLedger(client, TABLE_NAME, now);
}

/** The ledger invariant over every account in the table: an empty list means it holds. */
export async function ledgerProblems(client = localDocumentClient()): Promise<string[]> {
  return checkLedgerInvariant(await allLedgerAccounts(client, TABLE_NAME));
}
