import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { HistoryEntry, HistoryPage } from '../../../app/ports.js';
import type { AccountRef, PendingState, Transfer } from '../../../domain/ledger.js';
import { defineEntity, type Entity } from '../entity.js';
import { historyKey, historyPartition } from '../keys.js';
import { exactSchemaOf } from './exact.js';
import { TRANSFER_CODES } from './ledger-transfer.js';

/** An entry as stored: a pending transfer's entry, once resolved, keeps how much was posted beside it. */
export type StoredHistoryEntry = HistoryEntry & { postedAmount?: number };

const schema = exactSchemaOf<StoredHistoryEntry>()(
  z.object({
    transferId: z.string(),
    accountId: z.string(),
    currency: z.string(),
    direction: z.enum(['debit', 'credit']),
    amount: z.number(),
    code: z.enum(TRANSFER_CODES),
    status: z.enum(['posted', 'pending', 'voided', 'expired']),
    counterpartyAccountId: z.string(),
    createdAt: z.string(),
    metadata: z.record(z.string(), z.string()),
    postedAmount: z.exactOptional(z.number()),
  }),
);

/**
 * One entry per account per transfer, in its history owner's partition (a wallet's, or the account's own).
 * Written once inside the transfer's transaction and never versioned: the item has no `version`.
 */
export function ledgerHistoryEntity(historyOwner: string): Entity<StoredHistoryEntry> {
  return defineEntity<StoredHistoryEntry>({
    type: 'LedgerHistory',
    schema,
    key: (entry) => historyKey(historyOwner, entry.createdAt, entry.transferId, entry.direction),
  });
}

/** What an item says happened: a posted pending transfer's entry shows the amount posted. */
export function historyEntryOf(item: Record<string, unknown>): HistoryEntry {
  // Reading needs no owner: the key is not part of the entry.
  const { postedAmount, ...entry } = ledgerHistoryEntity('').fromItem(item);
  return postedAmount !== undefined && entry.status === 'posted' ? { ...entry, amount: postedAmount } : entry;
}

/** The update of a pending transfer's history entry when it is resolved (inside the resolution's transaction). */
export function resolvedHistoryUpdate(
  tableName: string,
  pending: Transfer,
  account: AccountRef,
  side: 'debit' | 'credit',
  status: PendingState,
  postedAmount: number,
) {
  return {
    Update: {
      TableName: tableName,
      Key: historyKey(account.historyOwner, pending.createdAt, pending.id, side),
      UpdateExpression: 'SET #status = :status, postedAmount = :posted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':posted': postedAmount },
    },
  };
}

/** One page of an owner's history, newest first. */
export async function historyPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  historyOwner: string,
  page: { limit: number; after?: string },
): Promise<HistoryPage> {
  const partition = historyPartition(historyOwner);
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
      Limit: page.limit,
      ...(page.after === undefined ? {} : { ExclusiveStartKey: { PK: partition, SK: page.after } }),
    }),
  );
  const last = result.LastEvaluatedKey?.SK;
  return {
    entries: (result.Items ?? []).map(historyEntryOf),
    ...(typeof last === 'string' ? { after: last } : {}),
  };
}
