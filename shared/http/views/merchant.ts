import type { Merchant } from '../../domain/merchant.js';

/** A merchant as API.md shapes it (Stripe's conventions); nothing of the onboarding internals. */
export function merchantView(merchant: Merchant) {
  return {
    id: merchant.merchantId,
    object: 'merchant' as const,
    status: merchant.status,
    owner: merchant.owner,
    name: merchant.name,
    email: merchant.email,
    phone: merchant.phone ?? null,
    country: merchant.country,
    business_type: merchant.businessType,
    reserve_bps: merchant.reserveBps,
    connected_account_id: merchant.connectedAccountId ?? null,
    review_reason: merchant.reviewReason ?? null,
    created: Math.floor(Date.parse(merchant.createdAt) / 1000),
  };
}
