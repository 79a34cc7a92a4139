import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  PaymentCompletedEvent,
  PaymentRepository,
  PaymentTransition,
  Refund,
  RefundSettlement,
  TransitionedPayment,
} from '../../app/payments/ports.js';
import type { MerchantCharge } from '../../domain/balance.js';
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
import {
  nextState,
  type Payment,
  type PaymentHistoryEntry,
  type PaymentState,
} from '../../domain/payment.js';
import { PaymentEntity } from './entities/payment.js';
import { ABSENT, putIfAbsent, updateExpression } from './entity.js';
import { paymentKey, providerWaitIndexKey, userPaymentsPartition } from './keys.js';
import {
  CompanionConditionFailedError,
  DynamoDbLedger,
  refusedByLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { chargeItems } from './merchant-balances.js';
import { outboxPut } from './outbox.js';
import { DynamoDbPaymentRefunds } from './payment-refunds.js';

/** Attempts of a transition made against the payment as read, while other writes keep changing it. */
const MAX_ROUNDS = 8;

export class DynamoDbPayments implements PaymentRepository {
  readonly #refunds: DynamoDbPaymentRefunds;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger = new DynamoDbLedger(client, tableName),
  ) {
    this.#refunds = new DynamoDbPaymentRefunds(client, tableName, ledger);
  }

  async create(payment: Payment): Promise<Payment> {
    const { value } = await putIfAbsent(this.client, this.tableName, PaymentEntity, payment, () =>
      this.get(payment.paymentId),
    );
    return value;
  }

  /**
   * The payment put (absent), the transfer and the outbox event: one TransactWriteItems. The put is the
   * first companion, so a payment already stored is what a failed condition there means.
   */
  async createWith(
    payment: Payment,
    transfer: TransferCommand,
    event?: PaymentCompletedEvent,
    charge?: MerchantCharge,
  ): Promise<Payment> {
    const companions: TransactItem[] = [
      {
        Put: { TableName: this.tableName, Item: PaymentEntity.toItem(payment), ConditionExpression: ABSENT },
      },
    ];
    if (event !== undefined) {
      const at = new Date(payment.completedAt ?? payment.updatedAt);
      companions.push(outboxPut(this.tableName, event.detailType, event.detail, at));
    }
    if (charge !== undefined) companions.push(...chargeItems(this.tableName, charge));
    try {
      await this.ledger.executeWith(transfer, companions, charge?.transfers);
      return payment;
    } catch (error) {
      if (!(error instanceof CompanionConditionFailedError)) throw error;
      const stored = await this.get(payment.paymentId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async get(paymentId: string): Promise<Payment | undefined> {
    const item = await this.#item(paymentId);
    return item === undefined ? undefined : PaymentEntity.fromItem(item);
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
    let charge = change.charge;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const item = await this.#item(paymentId);
      if (item === undefined) throw new NotFoundError('Payment');
      const current = PaymentEntity.fromItem(item);
      if (current.state !== change.from) throw new InvalidStateTransitionError(current.state, change.event);
      const update = this.#update(paymentId, change, PaymentEntity.versionOf(item));
      try {
        if (ledger === undefined) await this.client.send(new UpdateCommand(update));
        else
          await this.ledger.executeWith(
            ledger,
            [{ Update: update }, ...(charge === undefined ? [] : chargeItems(this.tableName, charge))],
            charge?.transfers,
          );
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
        charge = undefined;
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
      return PaymentEntity.fromItem(item);
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
    if (Object.keys(fields).length === 0) return true;
    // The version moves too: a transition made against the payment as read sees the token changed.
    const update = updateExpression({ set: fields, add: { version: 1 } });
    const allowed = Object.fromEntries(states.map((state, index) => [`:s${index}`, state]));
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentKey(paymentId),
          ...update,
          ConditionExpression: `#state IN (${Object.keys(allowed).join(', ')})`,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#state': 'state' },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...allowed },
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

  reserveRefund(payment: Payment, refund: Refund): Promise<{ refund: Refund; created: boolean }> {
    return this.#refunds.reserve(payment, refund);
  }

  settleRefund(input: RefundSettlement): Promise<{ refund: Refund; payment: Payment }> {
    return this.#refunds.settle(input);
  }

  noteProviderRefund(refundId: string, providerRefundId: string, at: string): Promise<Refund> {
    return this.#refunds.noteProvider(refundId, providerRefundId, at);
  }

  getRefund(refundId: string): Promise<Refund | undefined> {
    return this.#refunds.get(refundId);
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
