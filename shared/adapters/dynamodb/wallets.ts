import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Ids, Wallet, WalletDirectory } from '../../app/ports.js';
import { walletKey } from './keys.js';

const ENTITY = 'Wallet';

/** One wallet per user, created on first use; two first uses at once still create exactly one. */
export class DynamoDbWalletDirectory implements WalletDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ids: Ids,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async find(userId: string): Promise<Wallet | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: walletKey(userId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toWallet(item);
  }

  async ensure(userId: string): Promise<Wallet> {
    const existing = await this.find(userId);
    if (existing !== undefined) return existing;
    const wallet: Wallet = { walletId: this.ids.next('tw_'), userId, createdAt: this.now().toISOString() };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...walletKey(userId), type: ENTITY, version: 1, ...wallet },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return wallet;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await this.find(userId);
      if (winner === undefined) throw error;
      return winner;
    }
  }
}

function toWallet(item: Record<string, unknown>): Wallet {
  return { walletId: String(item.walletId), userId: String(item.userId), createdAt: String(item.createdAt) };
}
