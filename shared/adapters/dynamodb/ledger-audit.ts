/**
 * Reads every ledger account, for the invariant check in tests, the reliability suite and ops tooling.
 * A Scan: never on a request path.
 */
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../../domain/ledger.js';
import { accountOf, LedgerAccountEntity } from './entities/ledger-account.js';

export async function allLedgerAccounts(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<Account[]> {
  const accounts: Account[] = [];
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      FilterExpression: '#type = :account',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':account': LedgerAccountEntity.type },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) accounts.push(...(page.Items ?? []).map(accountOf));
  return accounts;
}
