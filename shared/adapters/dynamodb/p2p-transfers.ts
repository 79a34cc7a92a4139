import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { P2pTransfers } from '../../app/p2p/ports.js';
import { ConcurrentModificationError, NotFoundError } from '../../domain/errors.js';
import { PendingTransferResolvedError, type TransferCommand } from '../../domain/ledger.js';
import { initiatedEvent, outcomeEvent, type P2pStatus, type P2pTransfer, PENDING } from '../../domain/p2p.js';
import { P2pTransferEntity } from './entities/p2p-transfer.js';
import { ABSENT } from './entity.js';
import { p2pTransferKey } from './keys.js';
import {
  CompanionConditionFailedError,
  DynamoDbLedger,
  refusedByLedger,
  type TransactItem,
  TransferAlreadyExecutedError,
} from './ledger.js';
import { outboxPut } from './outbox.js';

/** Attempts of a decision made against the transfer as read, while other writes keep changing it. */
const MAX_ROUNDS = 8;

export class DynamoDbP2pTransfers implements P2pTransfers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger = new DynamoDbLedger(client, tableName),
  ) {}

  /** The transfer, its reservation and its p2p.initiated event: one transaction. */
  async create(transfer: P2pTransfer, reservation: TransferCommand): Promise<P2pTransfer> {
    const writes: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: P2pTransferEntity.toItem(transfer),
          ConditionExpression: ABSENT,
        },
      },
      outboxPut(this.tableName, 'p2p.initiated', initiatedEvent(transfer), new Date(transfer.createdAt)),
    ];
    try {
      await this.ledger.executeWith(reservation, writes);
      return transfer;
    } catch (error) {
      if (error instanceof CompanionConditionFailedError) return this.#stored(transfer.transferId, error);
      if (!(error instanceof TransferAlreadyExecutedError)) throw error;
    }
    // The reservation exists without the transfer: an initiate from before the two were one transaction
    // stopped half-way. The transfer and its event follow alone.
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: writes }));
      return transfer;
    } catch (error) {
      return this.#stored(transfer.transferId, error);
    }
  }

  /** A retried or concurrent twin of the initiate stored the transfer first: answer with it. */
  async #stored(transferId: string, cause: unknown): Promise<P2pTransfer> {
    const stored = await this.get(transferId);
    if (stored === undefined) throw cause;
    return stored;
  }

  async get(transferId: string): Promise<P2pTransfer | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: p2pTransferKey(transferId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : P2pTransferEntity.fromItem(item);
  }

  /**
   * Made against the transfer as read (its `version`), so that the task token the write removes is the one
   * it returns; with a settlement, the outcome and the ledger transfer are one transaction.
   */
  async decide(
    transferId: string,
    status: Exclude<P2pStatus, 'pending_recipient_acceptance'>,
    at: string,
    mustBeBefore?: string,
    settlement?: TransferCommand,
  ): Promise<{ transfer: P2pTransfer; won: boolean; takenTaskToken?: string }> {
    let ledger = settlement;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const item = await this.#item(transferId);
      if (item === undefined) throw new NotFoundError('Transfer');
      const current = P2pTransferEntity.fromItem(item);
      const inTime = mustBeBefore === undefined || current.expiresAt > mustBeBefore;
      if (current.status !== PENDING || !inTime) return { transfer: current, won: false };
      const update = {
        TableName: this.tableName,
        Key: p2pTransferKey(transferId),
        UpdateExpression: 'SET #status = :status, decidedAt = :at REMOVE taskToken ADD version :one',
        ConditionExpression: `#status = :pending AND version = :version${mustBeBefore === undefined ? '' : ' AND expiresAt > :before'}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':at': at,
          ':one': 1,
          ':pending': PENDING,
          ':version': P2pTransferEntity.versionOf(item),
          ...(mustBeBefore === undefined ? {} : { ':before': mustBeBefore }),
        },
      };
      const { taskToken, ...rest } = current;
      const transfer = { ...rest, status, decidedAt: at };
      const { detailType, detail } = outcomeEvent(transfer);
      // The outcome, its money and its event: one transaction.
      const writes = [{ Update: update }, outboxPut(this.tableName, detailType, detail, new Date(at))];
      try {
        if (ledger === undefined) await this.client.send(new TransactWriteCommand({ TransactItems: writes }));
        else await this.ledger.executeWith(ledger, writes);
        return { transfer, won: true, ...(taskToken === undefined ? {} : { takenTaskToken: taskToken }) };
      } catch (error) {
        if (error instanceof CompanionConditionFailedError) continue;
        if (error instanceof ConditionalCheckFailedException) continue;
        if (error instanceof TransactionCanceledException) continue;
        if (ledger === undefined || !refusedByLedger(error)) throw error;
        // A concurrent decision settled first (its outcome and money committed together): read it again.
        if ((await this.get(transferId))?.status !== PENDING) continue;
        // The money moved before (an earlier attempt that stopped half-way): the outcome follows alone.
        if (!movedAlready(ledger, error)) throw error;
        ledger = undefined;
      }
    }
    throw new ConcurrentModificationError('Transfer');
  }

  async #item(transferId: string): Promise<Record<string, unknown> | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: p2pTransferKey(transferId), ConsistentRead: true }),
    );
    return item;
  }

  async attachTaskToken(transferId: string, token: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: p2pTransferKey(transferId),
          // The version moves too: a decision made against the transfer as read sees the token changed.
          UpdateExpression: 'SET taskToken = :token ADD version :one',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':token': token, ':pending': PENDING, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The ledger says the settlement is done already, or (a release) that there is nothing left to release. */
function movedAlready(command: TransferCommand, error: unknown): boolean {
  if (error instanceof TransferAlreadyExecutedError) return true;
  return command.type === 'void_pending' && error instanceof PendingTransferResolvedError;
}
