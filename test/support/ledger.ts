/** The ledger adapter against the local stack's DynamoDB Local, for tests that exercise it directly. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../local/dynamodb.js';
import { DynamoDbLedger } from '../../shared/adapters/dynamodb/ledger.js';
import { allLedgerAccounts } from '../../shared/adapters/dynamodb/ledger-audit.js';
import { type Account, checkLedgerInvariant } from '../../shared/domain/ledger.js';
import { tableDefinition } from '../../shared/infra/table.js';
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

/**
 * A table shaped like the stack's, on its DynamoDB Local, for tests that keep their records apart from the
 * shared table (a record they leave behind would otherwise meet every later test). Created if missing.
 */
export async function createLocalTable(tableName: string): Promise<void> {
  const engine = new DynamoDBClient({
    endpoint: endpoint('dynamodb'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await createTable(engine, tableDefinition, tableName);
  } finally {
    engine.destroy();
  }
}

export function localLedger(
  client = localDocumentClient(),
  now?: () => Date,
  tableName = TABLE_NAME,
): DynamoDbLedger {
  return new DynamoDbLedger(client, tableName, now);
}

/** The ledger invariant over every account in the table, as of one instant: an empty list means it holds. */
export async function ledgerProblems(
  client = localDocumentClient(),
  tableName = TABLE_NAME,
): Promise<string[]> {
  return checkLedgerInvariant(await stableAccounts(() => allLedgerAccounts(client, tableName)));
}

/**
 * Every account as of one instant, although the shared stack may still be moving money while a test reads
 * it (an MFA payment another file left waiting times out and its hold is released). A Scan is no snapshot:
 * a transfer landing mid-scan can show on one account and not the other (a released 6,000 hold read as
 * pending on the app but no longer on the wallet failed the soak once). Every write to an account adds one
 * to its version, so two scans in a row that find the same accounts at the same versions saw each account
 * unchanged from the first scan's read of it to the second's: all of them held those values when the
 * first scan ended. Until two agree, scan again; a ledger that never holds still is an error, not a pass.
 */
export async function stableAccounts(scan: () => Promise<Account[]>, maxScans = 20): Promise<Account[]> {
  let previous = await scan();
  for (let scans = 2; scans <= maxScans; scans += 1) {
    const current = await scan();
    if (sameVersions(previous, current)) return current;
    previous = current;
  }
  throw new Error(`The ledger's accounts changed between every two of ${maxScans} scans`);
}

function sameVersions(a: readonly Account[], b: readonly Account[]): boolean {
  if (a.length !== b.length) return false;
  const versions = new Map(a.map((account) => [account.id, account.version]));
  return b.every((account) => versions.get(account.id) === account.version);
}
