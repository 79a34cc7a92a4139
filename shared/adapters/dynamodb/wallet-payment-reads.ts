import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MerchantBalances } from '../../app/balance/ports.js';
import type { WalletPaymentReads } from '../../app/payments/ports.js';
import type { Wallet, WalletDirectory } from '../../app/ports.js';
import { WalletEntity } from './entities/wallet.js';
import { walletKey } from './keys.js';
import { merchantVolumeKey } from './merchant-keys.js';

/** The payer's wallet and the merchant's monthly volume in one BatchGetItem (strongly consistent, as each alone). */
export class DynamoDbWalletPaymentReads implements WalletPaymentReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Read one by one when a throttled batch leaves keys unprocessed, rather than guess. */
    private readonly fallback: {
      wallets: Pick<WalletDirectory, 'find'>;
      balances: Pick<MerchantBalances, 'monthlyVolume'>;
    },
  ) {}

  async walletAndVolume(
    userId: string,
    merchantId: string,
    month: string,
  ): Promise<{ wallet?: Wallet; volume: number }> {
    const wallet = walletKey(userId);
    const volume = merchantVolumeKey(merchantId, 'live', month);
    const { Responses: responses = {}, UnprocessedKeys: unprocessed = {} } = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: [wallet, volume], ConsistentRead: true } },
      }),
    );
    if (Object.keys(unprocessed).length > 0) {
      const [storedWallet, storedVolume] = await Promise.all([
        this.fallback.wallets.find(userId),
        this.fallback.balances.monthlyVolume(merchantId, 'live', month),
      ]);
      return { ...(storedWallet === undefined ? {} : { wallet: storedWallet }), volume: storedVolume };
    }
    const items = responses[this.tableName] ?? [];
    const walletItem = items.find((item) => item.PK === wallet.PK && item.SK === wallet.SK);
    const volumeItem = items.find((item) => item.PK === volume.PK && item.SK === volume.SK);
    return {
      ...(walletItem === undefined ? {} : { wallet: WalletEntity.fromItem(walletItem) }),
      volume: typeof volumeItem?.volume === 'number' ? volumeItem.volume : 0,
    };
  }
}
