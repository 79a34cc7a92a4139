import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { P2pTransfers } from '../../app/ports.js';
import { NotFoundError } from '../../domain/errors.js';
import { type P2pStatus, type P2pTransfer, PENDING } from '../../domain/p2p.js';
import { p2pTransferKey } from './keys.js';

const ENTITY = 'P2pTransfer';

export class DynamoDbP2pTransfers implements P2pTransfers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(transfer: P2pTransfer): Promise<P2pTransfer> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...p2pTransferKey(transfer.transferId), type: ENTITY, version: 1, ...transfer },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return transfer;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.get(transfer.transferId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async get(transferId: string): Promise<P2pTransfer | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: p2pTransferKey(transferId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toTransfer(item);
  }

  async decide(
    transferId: string,
    status: Exclude<P2pStatus, 'pending_recipient_acceptance'>,
    at: string,
    mustBeBefore?: string,
  ): Promise<{ transfer: P2pTransfer; won: boolean }> {
    try {
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: p2pTransferKey(transferId),
          UpdateExpression: 'SET #status = :status, decidedAt = :at ADD version :one',
          ConditionExpression: `#status = :pending${mustBeBefore === undefined ? '' : ' AND expiresAt > :before'}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':at': at,
            ':one': 1,
            ':pending': PENDING,
            ...(mustBeBefore === undefined ? {} : { ':before': mustBeBefore }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (item === undefined) throw new NotFoundError('Transfer');
      return { transfer: toTransfer(item), won: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(transferId);
      if (current === undefined) throw new NotFoundError('Transfer');
      return { transfer: current, won: false };
    }
  }

  async attachTaskToken(transferId: string, token: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: p2pTransferKey(transferId),
          UpdateExpression: 'SET taskToken = :token',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':token': token, ':pending': PENDING },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function toTransfer(item: Record<string, unknown>): P2pTransfer {
  const { PK: _pk, SK: _sk, type: _entity, version: _version, ...transfer } = item;
  return transfer as unknown as P2pTransfer;
}
