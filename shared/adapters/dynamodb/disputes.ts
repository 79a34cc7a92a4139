/**
 * Disputes on the single table: one item per dispute (`DISPUTE#<dispute id>` / `DISPUTE`), written only with
 * the ledger transfer that is its money: opened with the freeze, closed with the freeze posted or voided,
 * each ONE transaction conditioned on the dispute's state.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DisputeRepository } from '../../app/wallets/ports.js';
import type { Dispute, DisputeStatus, ProviderDisputeStatus } from '../../domain/dispute.js';
import { InvalidStateTransitionError } from '../../domain/errors.js';
import type { TransferCommand } from '../../domain/ledger.js';
import { DisputeEntity } from './entities/dispute.js';
import { ABSENT } from './entity.js';
import { disputeKey } from './keys.js';
import { CompanionConditionFailedError, DynamoDbLedger, TransferAlreadyExecutedError } from './ledger.js';

export class DynamoDbDisputes implements DisputeRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger = new DynamoDbLedger(client, tableName),
  ) {}

  async get(disputeId: string): Promise<Dispute | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: disputeKey(disputeId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toDispute(item);
  }

  async open(dispute: Dispute, freeze?: TransferCommand): Promise<Dispute> {
    const put = {
      TableName: this.tableName,
      Item: DisputeEntity.toItem(dispute),
      ConditionExpression: ABSENT,
    };
    try {
      if (freeze === undefined) await this.client.send(new PutCommand(put));
      else await this.ledger.executeWith(freeze, [{ Put: put }]);
      return dispute;
    } catch (error) {
      // Opened before (a replay, a racing delivery): the first opening stands, with its freeze.
      const exists =
        error instanceof ConditionalCheckFailedException ||
        error instanceof CompanionConditionFailedError ||
        error instanceof TransferAlreadyExecutedError;
      if (!exists) throw error;
      const stored = await this.get(dispute.disputeId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async close(
    disputeId: string,
    change: { status: Exclude<DisputeStatus, 'open'>; providerStatus: ProviderDisputeStatus },
    at: string,
    resolution?: TransferCommand,
  ): Promise<Dispute> {
    const update = {
      TableName: this.tableName,
      Key: disputeKey(disputeId),
      UpdateExpression:
        'SET #status = :status, providerStatus = :providerStatus, closedAt = :at, updatedAt = :at ADD version :one',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': change.status,
        ':providerStatus': change.providerStatus,
        ':at': at,
        ':one': 1,
        ':open': 'open',
      },
    };
    try {
      if (resolution === undefined) await this.client.send(new UpdateCommand(update));
      else await this.ledger.executeWith(resolution, [{ Update: update }]);
    } catch (error) {
      // Closed meanwhile (its resolution with it): the caller reads it again.
      const closed =
        error instanceof ConditionalCheckFailedException ||
        error instanceof CompanionConditionFailedError ||
        error instanceof TransferAlreadyExecutedError;
      if (!closed) throw error;
      const current = await this.get(disputeId);
      throw new InvalidStateTransitionError(current?.status ?? 'missing', change.status);
    }
    const stored = await this.get(disputeId);
    if (stored === undefined) throw new Error(`Dispute ${disputeId} vanished during an update`);
    return stored;
  }
}

/** Parses the stored item, refusing one that is not a dispute as this code writes it (MalformedItemError). */
export function toDispute(item: Record<string, unknown>): Dispute {
  return DisputeEntity.fromItem(item);
}
