/**
 * What a cancelled ledger transaction means: the errors the ledger's callers act on, and the reading of a
 * transaction's cancellation reasons as the transfer's first result or the domain error it stands for.
 */
import type { CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  CurrencyMismatchError,
  InsufficientFundsError,
  PendingTransferNotFoundError,
  PendingTransferResolvedError,
  sameTransfer,
  type Transfer,
  type TransferCommand,
  TransferIdReusedError,
} from '../../domain/ledger.js';
import { accountIdOf } from './keys.js';

/** One or more of the caller's companion writes failed its condition (indexes into the companions). */
export class CompanionConditionFailedError extends Error {
  override readonly name = 'CompanionConditionFailedError';

  constructor(readonly failed: readonly number[]) {
    super(`Companion writes ${failed.join(', ')} failed their conditions`);
  }
}

/**
 * The transfer had already been executed (by an earlier call with the same id), so this call wrote neither
 * it nor its companions. `transfer` is the stored one.
 */
export class TransferAlreadyExecutedError extends Error {
  override readonly name = 'TransferAlreadyExecutedError';

  constructor(readonly transfer: Transfer) {
    super(`Transfer ${transfer.id} was already executed`);
  }
}

/**
 * The ledger refused a transfer (of `execute` or `executeWith`) because of what happened to it, or to the
 * pending transfer it resolves, before: it ran already, its id stands for another transfer, or the pending
 * transfer is resolved or gone. A caller whose own write rode with it reads again to learn which.
 */
export function refusedByLedger(error: unknown): boolean {
  return (
    error instanceof TransferAlreadyExecutedError ||
    error instanceof TransferIdReusedError ||
    error instanceof PendingTransferResolvedError ||
    error instanceof PendingTransferNotFoundError
  );
}

export function isConflictOnly(error: TransactionCanceledException): boolean {
  const reasons = error.CancellationReasons ?? [];
  return (
    reasons.some((r) => r.Code === 'TransactionConflict') &&
    !reasons.some((r) => r.Code === 'ConditionalCheckFailed')
  );
}

/**
 * Turns a cancelled transaction into what it means: the first result of a retried transfer, or the
 * domain error its first failed condition stands for. `transfer` reads a stored transfer by id.
 */
export async function explainCancellation(
  command: TransferCommand,
  error: TransactionCanceledException,
  transfer: (id: string) => Promise<Transfer | undefined>,
): Promise<Transfer | Error> {
  const reasons: CancellationReason[] = error.CancellationReasons ?? [];
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  if (failed(0)) {
    // The transfer id exists: a retry of the same transfer returns the first result.
    const existing = await transfer(command.id);
    if (existing !== undefined)
      return sameTransfer(existing, command) ? existing : new TransferIdReusedError(command.id);
  }
  const isResolution = command.type === 'post_pending' || command.type === 'void_pending';
  if (isResolution && failed(1)) {
    const pending = await transfer(command.pendingId);
    return new PendingTransferResolvedError(command.pendingId, pending?.state ?? 'posted');
  }
  const accountIndexes = isResolution ? [2, 3] : [1, 2];
  for (const index of accountIndexes) {
    if (!failed(index)) continue;
    // Cancellation reasons carry the item as raw attribute values, even through the document client.
    const raw = reasons[index]?.Item;
    const old =
      raw === undefined
        ? undefined
        : (unmarshall(raw as Parameters<typeof unmarshall>[0]) as Record<string, unknown>);
    const expected =
      command.type === 'post' || command.type === 'pending' ? command.debit.currency : undefined;
    if (
      old !== undefined &&
      expected !== undefined &&
      old.currency !== undefined &&
      old.currency !== expected
    ) {
      return new CurrencyMismatchError();
    }
    const accountId =
      command.type === 'post' || command.type === 'pending'
        ? (index === 1 ? command.debit : command.credit).id
        : accountIdOf(String(old?.PK ?? ''));
    return new InsufficientFundsError(accountId);
  }
  return error;
}
