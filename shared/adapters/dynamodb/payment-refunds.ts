/**
 * A payment's refunds on the single table: reserving one against what was paid (one transaction with the
 * payment's refunded amount), noting the provider's refund, and settling it with its money and the
 * payment's own change, in one transaction made against the payment as read.
 */

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Refund, RefundSettlement } from '../../app/payments/ports.js';
import {
  ConcurrentModificationError,
  InvalidStateTransitionError,
  NotFoundError,
} from '../../domain/errors.js';
import { InvalidAmountError } from '../../domain/money.js';
import { nextState, type Payment, type PaymentHistoryEntry } from '../../domain/payment.js';
import { retryOnConflict } from './conflicts.js';
import { PaymentEntity } from './entities/payment.js';
import { RefundEntity } from './entities/refund.js';
import { ABSENT } from './entity.js';
import { paymentKey, refundKey } from './keys.js';
import {
  CompanionConditionFailedError,
  type DynamoDbLedger,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { refundItems } from './merchant-balances.js';

/** Attempts of a refund's end made against the payment as read, while other writes keep changing it. */
const MAX_ROUNDS = 8;

/** The refunds of DynamoDbPayments (which answers the PaymentRepository port for them). */
export class DynamoDbPaymentRefunds {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger,
  ) {}

  async reserve(payment: Payment, refund: Refund): Promise<{ refund: Refund; created: boolean }> {
    const existing = await this.get(refund.refundId);
    if (existing !== undefined) return { refund: existing, created: false };
    try {
      // Another transaction on the payment at the same moment (a concurrent refund) cancels this one with
      // TransactionConflict: tried again, it meets the conditions as they now stand.
      await retryOnConflict(() =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  // On the reconciliation worklist until it ends: a refund left pending gets finished.
                  Item: RefundEntity.toItem(refund),
                  ConditionExpression: ABSENT,
                },
              },
              {
                Update: {
                  TableName: this.tableName,
                  Key: paymentKey(payment.paymentId),
                  UpdateExpression: 'ADD refundedAmount :amount, version :one',
                  // The paid amount never changes, so "within what was paid" needs no arithmetic here.
                  ConditionExpression: '#state = :completed AND refundedAmount <= :limit',
                  ExpressionAttributeNames: { '#state': 'state' },
                  ExpressionAttributeValues: {
                    ':amount': refund.amount,
                    ':one': 1,
                    ':completed': 'Completed',
                    ':limit': payment.amount.value - refund.amount,
                  },
                },
              },
            ],
          }),
        ),
      );
      return { refund, created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [refundReason, paymentReason] = error.CancellationReasons ?? [];
      if (refundReason?.Code === 'ConditionalCheckFailed') {
        const stored = await this.get(refund.refundId);
        if (stored !== undefined) return { refund: stored, created: false };
      }
      if (paymentReason?.Code === 'ConditionalCheckFailed') {
        const current = (await this.#payment(payment.paymentId))?.payment;
        if (current?.state !== 'Completed')
          throw new InvalidStateTransitionError(current?.state ?? 'missing', 'refund');
        throw new InvalidAmountError('Refunds cannot add up to more than was paid');
      }
      throw error;
    }
  }

  async settle(input: RefundSettlement): Promise<{ refund: Refund; payment: Payment }> {
    let ledger = input.ledger;
    let merchant = input.merchant;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const refund = await this.get(input.refundId);
      if (refund === undefined) throw new NotFoundError('Refund');
      const stored = await this.#payment(refund.paymentId);
      if (stored === undefined) throw new NotFoundError('Payment');
      const { payment, version } = stored;
      if (refund.status !== 'pending') return { refund, payment };
      const writes = [
        { Update: this.#settleRefundUpdate(input) },
        { Update: this.#refundedPaymentUpdate(payment, refund, input, version) },
      ];
      try {
        if (ledger === undefined) await this.client.send(new TransactWriteCommand({ TransactItems: writes }));
        else
          await this.ledger.executeWith(
            ledger,
            [...writes, ...(merchant === undefined ? [] : refundItems(this.tableName, merchant))],
            merchant?.transfers,
          );
        return {
          refund: (await this.get(input.refundId)) ?? refund,
          payment: (await this.#payment(refund.paymentId))?.payment ?? payment,
        };
      } catch (error) {
        if (error instanceof CompanionConditionFailedError) continue;
        if (error instanceof TransactionCanceledException) {
          const reasons = error.CancellationReasons ?? [];
          if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) continue;
          if (reasons.some((reason) => reason.Code === 'TransactionConflict')) continue;
          throw error;
        }
        // The refund's money moved before, without its status (written by an older version of this code):
        // the status follows alone.
        if (ledger === undefined || !(error instanceof TransferAlreadyExecutedError)) throw error;
        ledger = undefined;
        merchant = undefined;
      }
    }
    throw new ConcurrentModificationError('Refund');
  }

  /** The refund's own change: only from pending; it leaves the reconciliation worklist. */
  #settleRefundUpdate(input: { refundId: string; status: string; at: string; providerRefundId?: string }) {
    const values: Record<string, unknown> = {
      ':status': input.status,
      ':at': input.at,
      ':one': 1,
      ':pending': 'pending',
    };
    let set = '#status = :status, updatedAt = :at';
    if (input.providerRefundId !== undefined) {
      values[':provider'] = input.providerRefundId;
      set += ', providerRefundId = :provider';
    }
    return {
      TableName: this.tableName,
      Key: refundKey(input.refundId),
      UpdateExpression: `SET ${set} REMOVE GSI2PK, GSI2SK ADD version :one`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    };
  }

  /**
   * The payment's change with a refund's end, against the payment as read (its version): a success counts
   * as paid back and, when everything paid is paid back, makes it Refunded; a failure gives the amount back
   * to refund again.
   */
  #refundedPaymentUpdate(
    payment: Payment,
    refund: Refund,
    input: { status: 'succeeded' | 'failed'; at: string; actor: string },
    version: number,
  ) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':one': 1, ':version': version };
    let update: string;
    if (input.status === 'failed') {
      values[':back'] = -refund.amount;
      update = 'ADD refundedAmount :back, version :one';
    } else {
      values[':settled'] = refund.amount;
      update = 'ADD refundSettledAmount :settled, version :one';
      const settled = (payment.refundSettledAmount ?? 0) + refund.amount;
      if (settled >= payment.amount.value && payment.state === 'Completed') {
        const entry: PaymentHistoryEntry = {
          state: nextState('Completed', 'refund'),
          event: 'refund',
          at: input.at,
          actor: input.actor,
        };
        names['#state'] = 'state';
        values[':to'] = entry.state;
        values[':at'] = input.at;
        values[':entry'] = [entry];
        update = `SET #state = :to, updatedAt = :at, history = list_append(history, :entry) ${update}`;
      }
    }
    return {
      TableName: this.tableName,
      Key: paymentKey(payment.paymentId),
      UpdateExpression: update,
      ConditionExpression: 'version = :version',
      ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
    };
  }

  async noteProvider(refundId: string, providerRefundId: string, at: string): Promise<Refund> {
    try {
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: refundKey(refundId),
          UpdateExpression: 'SET providerRefundId = :provider, updatedAt = :at ADD version :one',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':provider': providerRefundId,
            ':at': at,
            ':one': 1,
            ':pending': 'pending',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (item === undefined) throw new NotFoundError('Refund');
      return RefundEntity.fromItem(item);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Settled meanwhile (the webhook, reconciliation): that stands.
      const current = await this.get(refundId);
      if (current === undefined) throw new NotFoundError('Refund');
      return current;
    }
  }

  async get(refundId: string): Promise<Refund | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: refundKey(refundId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : RefundEntity.fromItem(item);
  }

  /** The payment a refund is of, with its version: a refund's end is written against the payment as read. */
  async #payment(paymentId: string): Promise<{ payment: Payment; version: number } | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(paymentId), ConsistentRead: true }),
    );
    return item === undefined
      ? undefined
      : { payment: PaymentEntity.fromItem(item), version: PaymentEntity.versionOf(item) };
  }
}
