import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Ids, Wallet, WalletDirectory } from '../../app/ports.js';
import { systemClock } from '../clock.js';
import { WalletEntity } from './entities/wallet.js';
import { putIfAbsent } from './entity.js';
import { walletKey } from './keys.js';

/** One wallet per user, created on first use; two first uses at once still create exactly one. */
export class DynamoDbWalletDirectory implements WalletDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ids: Ids,
    private readonly now: () => Date = systemClock.now,
  ) {}

  async find(userId: string): Promise<Wallet | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: walletKey(userId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : WalletEntity.fromItem(item);
  }

  async ensure(userId: string): Promise<Wallet> {
    const existing = await this.find(userId);
    if (existing !== undefined) return existing;
    const wallet: Wallet = { walletId: this.ids.next('tw_'), userId, createdAt: this.now().toISOString() };
    const { value } = await putIfAbsent(this.client, this.tableName, WalletEntity, wallet, () =>
      this.find(userId),
    );
    return value;
  }
}
