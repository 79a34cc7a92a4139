import type * as z from 'zod/mini';
import type { Topup } from '../../app/wallets/ports.js';
import { paymentMethodOf, type Topup as TopupSchema } from '../schemas/wallets.js';

/** A top-up as apps see it: no provider internals beyond what the payer needs to act on. */
export function topupView(topup: Topup): z.infer<typeof TopupSchema> {
  return {
    topupId: topup.topupId,
    walletId: topup.walletId,
    amount: topup.amount,
    currency: topup.currency,
    status: topup.status,
    paymentMethod: paymentMethodOf(topup.paymentMethodId),
    ...(topup.status === 'requires_action' && topup.nextActionUrl !== undefined
      ? { nextAction: { type: 'redirect_to_url' as const, url: topup.nextActionUrl } }
      : {}),
    createdAt: topup.createdAt,
    ...(topup.completedAt === undefined ? {} : { completedAt: topup.completedAt }),
  };
}
