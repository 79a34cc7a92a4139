import type { MfaMethod } from '../../domain/mfa.js';
import { AWAITING_MFA, type Payment, statusOf } from '../../domain/payment.js';

/**
 * A payment as its payer sees it. Internal fields (the wallet hold, the provider's ids, the lifecycle's
 * task token) never leave the service. `url` makes the API's own paths absolute (HttpRequest.url).
 */
export function paymentView(
  payment: Payment,
  url: (path: string) => string,
  mfaMethods: readonly MfaMethod[] = [],
) {
  const awaitingMfa = AWAITING_MFA.includes(payment.state);
  return {
    paymentId: payment.paymentId,
    userId: payment.userId,
    appId: payment.appId,
    amount: payment.amount,
    paymentMethod: payment.paymentMethod,
    description: payment.description,
    metadata: payment.metadata,
    ...(payment.roomId === undefined ? {} : { roomId: payment.roomId }),
    state: payment.state,
    status: statusOf(payment.state, payment.failureCode),
    mfaRequired: payment.mfaRequired,
    ...(payment.mfaMethod === undefined ? {} : { mfaMethod: payment.mfaMethod }),
    ...(awaitingMfa
      ? {
          mfa: {
            methods: [...mfaMethods],
            challengeUrl: url(`/payments/v1/${encodeURIComponent(payment.paymentId)}/mfa/challenge`),
          },
        }
      : {}),
    ...(payment.state === 'Processing' && payment.nextActionUrl !== undefined
      ? { nextAction: { type: 'redirect_to_url' as const, url: payment.nextActionUrl } }
      : {}),
    refundedAmount: payment.refundedAmount,
    ...(payment.failureCode === undefined ? {} : { failureCode: payment.failureCode }),
    history: payment.history,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    ...(payment.completedAt === undefined ? {} : { completedAt: payment.completedAt }),
  };
}
