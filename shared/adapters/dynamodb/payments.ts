import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  PaymentRepository,
  PaymentTransition,
  Refund,
  RefundSettlement,
  TransitionedPayment,
} from '../../app/payments/ports.js';
import {
  ConcurrentModificationError,
  InvalidStateTransitionError,
  NotFoundError,
} from '../../domain/errors.js';
import {
  PendingTransferNotFoundError,
  PendingTransferResolvedError,
  type TransferCommand,
} from '../../domain/ledger.js';
import { InvalidAmountError } from '../../domain/money.js';
import {
  nextState,
  type Payment,
  type PaymentHistoryEntry,
  type PaymentState,
} from '../../domain/payment.js';
import { retryOnConflict } from './conflicts.js';
import {
  paymentIndexKey,
  paymentKey,
  providerWaitIndexKey,
  refundKey,
  userPaymentsPartition,
} from './keys.js';
import {
  CompanionConditionFailedError,
  DynamoDbLedger,
  refusedByLedger,
  TransferAlreadyExecutedError,
} from './ledger.js';

const ENTITY = 'Payment';
/** Attempts of a transition made against the payment as read, while other writes keep changing it. */
const MAX_ROUNDS = 8;

export class DynamoDbPayments implements PaymentRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger = new DynamoDbLedger(client, tableName),
  ) {}

  async create(payment: Payment): Promise<Payment> {
    try {
      await this.#put(payment);
      return payment;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.get(payment.paymentId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async #put(payment: Payment): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...paymentKey(payment.paymentId),
          ...paymentIndexKey(payment.userId, payment.createdAt),
          type: ENTITY,
          version: 1,
          ...payment,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(paymentId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toPayment(item);
  }

  /**
   * One conditional write on the state. With a ledger transfer (a hold, its capture, its release) the
   * update and the transfer are ONE transaction (DynamoDbLedger.executeWith), so no read ever sees the state
   * without its money or the money without its state. Such a write, or one that takes the task token, is
   * made against the payment as read (its `version`), so that the token it removes is the one it returns.
   */
  async transition(paymentId: string, change: PaymentTransition): Promise<TransitionedPayment> {
    if (change.ledger === undefined && change.takeTaskToken !== true)
      return this.#transitionAlone(paymentId, change);
    let ledger = change.ledger;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const item = await this.#item(paymentId);
      if (item === undefined) throw new NotFoundError('Payment');
      const current = toPayment(item);
      if (current.state !== change.from) throw new InvalidStateTransitionError(current.state, change.event);
      const update = this.#update(paymentId, change, Number(item.version ?? 0));
      try {
        if (ledger === undefined) await this.client.send(new UpdateCommand(update));
        else await this.ledger.executeWith(ledger, [{ Update: update }]);
        return applied(current, change);
      } catch (error) {
        if (error instanceof CompanionConditionFailedError) continue;
        if (error instanceof ConditionalCheckFailedException) continue;
        if (ledger === undefined || !refusedByLedger(error)) throw error;
        // A concurrent transition moved the money with its own state first: read it again.
        if ((await this.get(paymentId))?.state !== change.from) continue;
        // The money moved before (an earlier attempt that stopped half-way, or a hold that lapsed): the
        // state follows it alone.
        if (!movedAlready(ledger, error)) throw error;
        ledger = undefined;
      }
    }
    throw new ConcurrentModificationError('Payment');
  }

  async #transitionAlone(paymentId: string, change: PaymentTransition): Promise<Payment> {
    try {
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({ ...this.#update(paymentId, change), ReturnValues: 'ALL_NEW' }),
      );
      if (item === undefined) throw new NotFoundError('Payment');
      return toPayment(item);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(paymentId);
      if (current === undefined) throw new NotFoundError('Payment');
      throw new InvalidStateTransitionError(current.state, change.event);
    }
  }

  /** The conditional update of a transition: on the state, and on the version when one is given. */
  #update(paymentId: string, change: PaymentTransition, version?: number) {
    const to = nextState(change.from, change.event);
    const entry: PaymentHistoryEntry = { state: to, event: change.event, at: change.at, actor: change.actor };
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = {
      ':from': change.from,
      ':to': to,
      ':at': change.at,
      ':entry': [entry],
      ':one': 1,
    };
    const sets = ['#state = :to', 'updatedAt = :at', 'history = list_append(history, :entry)'];
    for (const [index, [field, value]] of Object.entries(change.set ?? {}).entries()) {
      names[`#s${index}`] = field;
      values[`:s${index}`] = value;
      sets.push(`#s${index} = :s${index}`);
    }
    // The reconciliation worklist (GSI2): joined on entering Processing to wait on the provider, left on exit.
    const removes: string[] = [];
    if (change.awaitsProvider === true && to === 'Processing') {
      const wait = providerWaitIndexKey('payment', change.at, paymentId);
      values[':waitPk'] = wait.GSI2PK;
      values[':waitSk'] = wait.GSI2SK;
      sets.push('GSI2PK = :waitPk', 'GSI2SK = :waitSk');
    } else if (to !== 'Processing') {
      removes.push('GSI2PK', 'GSI2SK');
    }
    if (change.takeTaskToken === true) removes.push('taskToken');
    let condition = '#state = :from';
    if (version !== undefined) {
      values[':version'] = version;
      condition += ' AND version = :version';
    }
    return {
      TableName: this.tableName,
      Key: paymentKey(paymentId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''} ADD version :one`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  async #item(paymentId: string): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(paymentId), ConsistentRead: true }),
    );
    return item;
  }

  async annotate(
    paymentId: string,
    states: readonly PaymentState[],
    fields: Partial<Pick<Payment, 'taskToken' | 'providerPaymentId' | 'nextActionUrl' | 'activeChallengeId'>>,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = {};
    const allowed = states.map((state, index) => {
      values[`:s${index}`] = state;
      return `:s${index}`;
    });
    const sets = Object.entries(fields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    if (sets.length === 0) return true;
    values[':one'] = 1;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentKey(paymentId),
          // The version moves too: a transition made against the payment as read sees the token changed.
          UpdateExpression: `SET ${sets.join(', ')} ADD version :one`,
          ConditionExpression: `#state IN (${allowed.join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async countSince(userId: string, since: string): Promise<number> {
    const { Count: count = 0 } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :since',
        ExpressionAttributeValues: { ':pk': userPaymentsPartition(userId), ':since': since },
        Select: 'COUNT',
      }),
    );
    return count;
  }

  async reserveRefund(payment: Payment, refund: Refund): Promise<{ refund: Refund; created: boolean }> {
    const existing = await this.#refund(refund.refundId);
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
                  Item: {
                    ...refundKey(refund.refundId),
                    // On the reconciliation worklist until it ends: a refund left pending gets finished.
                    ...providerWaitIndexKey('refund', refund.createdAt, refund.refundId),
                    type: 'Refund',
                    version: 1,
                    ...refund,
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
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
        const stored = await this.#refund(refund.refundId);
        if (stored !== undefined) return { refund: stored, created: false };
      }
      if (paymentReason?.Code === 'ConditionalCheckFailed') {
        const current = await this.get(payment.paymentId);
        if (current?.state !== 'Completed')
          throw new InvalidStateTransitionError(current?.state ?? 'missing', 'refund');
        throw new InvalidAmountError('Refunds cannot add up to more than was paid');
      }
      throw error;
    }
  }

  async settleRefund(input: RefundSettlement): Promise<{ refund: Refund; payment: Payment }> {
    let ledger = input.ledger;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const refund = await this.#refund(input.refundId);
      if (refund === undefined) throw new NotFoundError('Refund');
      const item = await this.#item(refund.paymentId);
      if (item === undefined) throw new NotFoundError('Payment');
      const payment = toPayment(item);
      if (refund.status !== 'pending') return { refund, payment };
      const writes = [
        { Update: this.#settleRefundUpdate(input) },
        { Update: this.#refundedPaymentUpdate(payment, refund, input, Number(item.version ?? 0)) },
      ];
      try {
        if (ledger === undefined) await this.client.send(new TransactWriteCommand({ TransactItems: writes }));
        else await this.ledger.executeWith(ledger, writes);
        return {
          refund: (await this.#refund(input.refundId)) ?? refund,
          payment: (await this.get(refund.paymentId)) ?? payment,
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

  async noteProviderRefund(refundId: string, providerRefundId: string, at: string): Promise<Refund> {
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
      return toRefund(item);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Settled meanwhile (the webhook, reconciliation): that stands.
      const current = await this.#refund(refundId);
      if (current === undefined) throw new NotFoundError('Refund');
      return current;
    }
  }

  getRefund(refundId: string): Promise<Refund | undefined> {
    return this.#refund(refundId);
  }

  async #refund(refundId: string): Promise<Refund | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: refundKey(refundId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toRefund(item);
  }
}

/** The payment as a transition leaves it, from the payment as read; the token it removed, if it took it. */
function applied(current: Payment, change: PaymentTransition): TransitionedPayment {
  const to = nextState(change.from, change.event);
  const { taskToken, ...rest } = current;
  const next: Payment = {
    ...rest,
    ...(change.takeTaskToken === true || taskToken === undefined ? {} : { taskToken }),
    ...structuredClone(change.set ?? {}),
    state: to,
    updatedAt: change.at,
    history: [...current.history, { state: to, event: change.event, at: change.at, actor: change.actor }],
  };
  return change.takeTaskToken === true && taskToken !== undefined
    ? { ...next, takenTaskToken: taskToken }
    : next;
}

/** The ledger says the transfer is done already, or (a release) that there is nothing left to release. */
function movedAlready(command: TransferCommand, error: unknown): boolean {
  if (error instanceof TransferAlreadyExecutedError) return true;
  return (
    command.type === 'void_pending' &&
    (error instanceof PendingTransferResolvedError || error instanceof PendingTransferNotFoundError)
  );
}

function toRefund(item: Record<string, unknown>): Refund {
  const { PK: _pk, SK: _sk, GSI2PK: _w1, GSI2SK: _w2, type: _entity, version: _version, ...refund } = item;
  return refund as unknown as Refund;
}

function toPayment(item: Record<string, unknown>): Payment {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g1,
    GSI1SK: _g2,
    GSI2PK: _w1,
    GSI2SK: _w2,
    type: _entity,
    version: _version,
    ...payment
  } = item;
  return payment as unknown as Payment;
}
