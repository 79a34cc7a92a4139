import * as z from 'zod/mini';
import type { Topup, TopupStatus } from '../../../app/wallets/ports.js';
import { defineEntity } from '../entity.js';
import { providerWaitIndexKey, topupKey } from '../keys.js';
import { exactSchemaOf } from './exact.js';

/** A top-up in one of these no longer waits on the provider. */
export const SETTLED_TOPUP: readonly TopupStatus[] = ['succeeded', 'failed'];

export const TopupEntity = defineEntity<Topup>({
  type: 'Topup',
  schema: exactSchemaOf<Topup>()(
    z.object({
      topupId: z.string(),
      userId: z.string(),
      walletId: z.string(),
      amount: z.number(),
      currency: z.string(),
      paymentMethodId: z.string(),
      provider: z.enum(['stripe', 'paypal']),
      customerId: z.exactOptional(z.string()),
      status: z.enum(['pending', 'requires_action', 'processing', 'succeeded', 'failed']),
      providerPaymentId: z.exactOptional(z.string()),
      nextActionUrl: z.exactOptional(z.string()),
      failureCode: z.exactOptional(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
      completedAt: z.exactOptional(z.string()),
    }),
  ),
  key: (topup) => topupKey(topup.topupId),
  // A top-up waits on the provider from the start: the charge follows its first write, and a crash in
  // between or after it must still be found by reconciliation (GSI2, until it settles).
  indexes: (topup) =>
    SETTLED_TOPUP.includes(topup.status) ? {} : providerWaitIndexKey('topup', topup.createdAt, topup.topupId),
});
