import * as z from 'zod/mini';
import type { Wallet } from '../../../app/ports.js';
import { defineEntity } from '../entity.js';
import { walletKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** One wallet per user, under the user's id. */
export const WalletEntity = defineEntity<Wallet>({
  type: 'Wallet',
  schema: exactSchemaOf<Wallet>()(
    z.object({ walletId: z.string(), userId: z.string(), createdAt: z.string() }),
  ),
  key: (wallet) => walletKey(wallet.userId),
});
