import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Topup, TopupRepository, TopupStatus } from '../../app/wallets/ports.js';
import { InvalidStateTransitionError } from '../../domain/errors.js';
import type { TransferCommand } from '../../domain/ledger.js';
import { SETTLED_TOPUP, TopupEntity } from './entities/topup.js';
import { putIfAbsent } from './entity.js';
import { topupKey } from './keys.js';
import { CompanionConditionFailedError, DynamoDbLedger, TransferAlreadyExecutedError } from './ledger.js';

export class DynamoDbTopups implements TopupRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger = new DynamoDbLedger(client, tableName),
  ) {}

  async create(topup: Topup): Promise<Topup> {
    const { value } = await putIfAbsent(this.client, this.tableName, TopupEntity, topup, () =>
      this.get(topup.topupId),
    );
    return value;
  }

  async get(topupId: string): Promise<Topup | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: topupKey(topupId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : TopupEntity.fromItem(item);
  }

  /**
   * A conditional write on the status. With `credit` (the ledger transfer that is this change's money) the
   * update and the transfer are ONE transaction; a credit already made moves the status alone.
   */
  async transition(
    topupId: string,
    from: readonly TopupStatus[],
    change: Partial<Pick<Topup, 'providerPaymentId' | 'nextActionUrl' | 'failureCode' | 'completedAt'>> & {
      status: TopupStatus;
    },
    at: string,
    credit?: TransferCommand,
  ): Promise<Topup> {
    const fields = { ...change, updatedAt: at };
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':one': 1 };
    const sets = Object.entries(fields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:v${index}`] = value;
      return `#f${index} = :v${index}`;
    });
    const allowed = from.map((status, index) => {
      values[`:from${index}`] = status;
      return `:from${index}`;
    });
    const update = {
      TableName: this.tableName,
      Key: topupKey(topupId),
      UpdateExpression: `SET ${sets.join(', ')}${SETTLED_TOPUP.includes(change.status) ? ' REMOVE GSI2PK, GSI2SK' : ''} ADD version :one`,
      ConditionExpression: `#status IN (${allowed.join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    try {
      if (credit !== undefined) {
        try {
          await this.ledger.executeWith(credit, [{ Update: update }]);
        } catch (error) {
          if (!(error instanceof TransferAlreadyExecutedError)) throw error;
          // Credited before (an earlier attempt that stopped half-way): the status follows alone.
          await this.client.send(new UpdateCommand(update));
        }
        const stored = await this.get(topupId);
        if (stored === undefined) throw new Error(`Top-up ${topupId} vanished during an update`);
        return stored;
      }
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }),
      );
      if (item === undefined) throw new Error(`Top-up ${topupId} vanished during an update`);
      return TopupEntity.fromItem(item);
    } catch (error) {
      if (
        !(error instanceof ConditionalCheckFailedException) &&
        !(error instanceof CompanionConditionFailedError)
      )
        throw error;
      const current = await this.get(topupId);
      throw new InvalidStateTransitionError(current?.status ?? 'missing', change.status);
    }
  }
}
