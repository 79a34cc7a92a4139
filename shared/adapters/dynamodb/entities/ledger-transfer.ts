import * as z from 'zod/mini';
import type { Transfer } from '../../../domain/ledger.js';
import { defineEntity } from '../entity.js';
import { transferKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** A transfer as stored: its own `type` is kept as `transferType` (the table's `type` is the entity). */
export type StoredTransfer = Omit<Transfer, 'type'> & { transferType: Transfer['type'] };

export const TRANSFER_CODES = [
  'topup',
  'payment',
  'refund',
  'p2p',
  'gift_fund',
  'gift_open',
  'gift_refund',
  'fee',
  'dispute',
  'adjustment',
] as const;

/**
 * A ledger transfer, by its id (the idempotency key of the money movement). A resolved pending transfer
 * also carries `resolvedBy` (the resolution's id), table bookkeeping its readers do not see.
 */
export const LedgerTransferEntity = defineEntity<StoredTransfer>({
  type: 'LedgerTransfer',
  schema: exactSchemaOf<StoredTransfer>()(
    z.object({
      id: z.string(),
      transferType: z.enum(['post', 'pending', 'post_pending', 'void_pending']),
      debitAccountId: z.string(),
      creditAccountId: z.string(),
      amount: z.number(),
      currency: z.string(),
      code: z.enum(TRANSFER_CODES),
      createdAt: z.string(),
      metadata: z.record(z.string(), z.string()),
      pendingId: z.exactOptional(z.string()),
      state: z.exactOptional(z.enum(['pending', 'posted', 'voided', 'expired'])),
      timeoutAt: z.exactOptional(z.string()),
      postedAmount: z.exactOptional(z.number()),
    }),
  ),
  key: (transfer) => transferKey(transfer.id),
});

export function toStoredTransfer(transfer: Transfer): StoredTransfer {
  const { type, ...rest } = transfer;
  return { ...rest, transferType: type };
}

export function transferOf(item: Record<string, unknown>): Transfer {
  const { transferType, ...rest } = LedgerTransferEntity.fromItem(item);
  return { ...rest, type: transferType };
}
