/**
 * Transfer reversals on the single table (shared/app/payouts/transfer-reversals.ts): the reversal in the
 * split merchant's tenant, one per (refund, merchant), and beside each paid payout what was reversed of its
 * transfer. Recording one is ONE TransactWriteItems with its money (DynamoDbLedger.executeWith): the
 * reversal put (absent), each part added to its payout's reversed total on the condition that it stays
 * within the transfer, the balance transaction, and the ledger transfer paid out → available. The worklist
 * (refunds that reversed splits, written with their end by intent-refunds.ts) is one partition, oldest first.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DueReversal, TransferReversalStore } from '../../app/payouts/transfer-reversals.js';
import { ConcurrentModificationError, NotFoundError } from '../../domain/errors.js';
import type { LedgerMode } from '../../domain/ledger.js';
import type {
  PaidTransfer,
  TransferReversal,
  transferReversalMovementOf,
} from '../../domain/transfer-reversal.js';
import { TransferReversalEntity } from './entities/transfer-reversal.js';
import { ABSENT, MalformedItemError } from './entity.js';
import { payoutReversedKey, TRANSFER_REVERSALS_DUE, transferReversalKey } from './keys.js';
import {
  CompanionConditionFailedError,
  type DynamoDbLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { balanceTransactionPut } from './merchant-balances.js';
import type { DynamoDbPayouts } from './payouts.js';

/** How many pages of paid payouts (newest first) are looked through for transfers to reverse. */
const PAGES = 5;

export class DynamoDbTransferReversals implements TransferReversalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger,
    private readonly payouts: Pick<DynamoDbPayouts, 'list'>,
  ) {}

  async due(limit: number): Promise<DueReversal[]> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': TRANSFER_REVERSALS_DUE },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return items.map((item) => {
      const { SK, merchantId, mode, refundId } = item;
      if (
        typeof SK !== 'string' ||
        typeof merchantId !== 'string' ||
        typeof refundId !== 'string' ||
        (mode !== 'test' && mode !== 'live')
      )
        throw new MalformedItemError('TransferReversalDue', 'not a refund of a merchant and mode');
      return { dueId: SK, merchantId, mode, refundId };
    });
  }

  async done(due: DueReversal): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { PK: TRANSFER_REVERSALS_DUE, SK: due.dueId } }),
    );
  }

  async get(merchantId: string, mode: LedgerMode, refundId: string): Promise<TransferReversal | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: transferReversalKey(merchantId, mode, refundId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : TransferReversalEntity.fromItem(item);
  }

  async paidTransfers(merchantId: string, mode: LedgerMode, currency: string): Promise<PaidTransfer[]> {
    const found: PaidTransfer[] = [];
    let after: string | undefined;
    for (let page = 0; page < PAGES; page += 1) {
      const { items, after: next } = await this.payouts.list(
        { merchantId, mode },
        { limit: 100, status: 'paid', ...(after === undefined ? {} : { after }) },
      );
      for (const payout of items) {
        if (payout.currency !== currency || payout.providerTransferId === undefined) continue;
        found.push({
          payoutId: payout.payoutId,
          transferId: payout.providerTransferId,
          amount: payout.amount - payout.fee,
          reversed: await this.#reversed(merchantId, mode, payout.payoutId),
        });
      }
      if (next === undefined) break;
      after = next;
    }
    return found;
  }

  async record(
    reversal: TransferReversal,
    movement: ReturnType<typeof transferReversalMovementOf>,
  ): Promise<TransferReversal> {
    const { merchantId, mode } = reversal;
    const companions: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: TransferReversalEntity.toItem(reversal),
          ConditionExpression: ABSENT,
        },
      },
      ...reversal.parts.map(
        (part): TransactItem => ({
          Update: {
            TableName: this.tableName,
            Key: payoutReversedKey(merchantId, mode, part.payoutId),
            UpdateExpression: 'SET #type = :type ADD reversed :amount, version :one',
            // Never beyond the transfer: what was reversed before leaves room for this part.
            ConditionExpression: 'attribute_not_exists(reversed) OR reversed <= :room',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: {
              ':type': 'PayoutReversed',
              ':amount': part.amount,
              ':one': 1,
              ':room': part.transferAmount - part.amount,
            },
          },
        }),
      ),
      balanceTransactionPut(this.tableName, movement.transaction),
    ];
    try {
      await this.ledger.executeWith({ type: 'post', ...movement.transfer }, companions);
    } catch (error) {
      const recorded =
        error instanceof TransferAlreadyExecutedError ||
        (error instanceof CompanionConditionFailedError && error.failed.includes(0));
      if (!recorded) {
        if (error instanceof CompanionConditionFailedError) throw new ConcurrentModificationError('Payout');
        throw error;
      }
    }
    const stored = await this.get(merchantId, mode, reversal.refundId);
    if (stored === undefined) throw new NotFoundError('TransferReversal');
    return stored;
  }

  async #reversed(merchantId: string, mode: LedgerMode, payoutId: string): Promise<number> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: payoutReversedKey(merchantId, mode, payoutId),
        ConsistentRead: true,
      }),
    );
    return typeof item?.reversed === 'number' ? item.reversed : 0;
  }
}
