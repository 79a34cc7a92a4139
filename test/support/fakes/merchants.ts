/** In-memory merchants and apps (shared/app/merchants/ports.ts), for use cases that read them. */
import type { Apps, Merchants } from '../../../shared/app/merchants/ports.js';
import type { App, Merchant, MerchantStatus, Mode } from '../../../shared/domain/merchant.js';

export const MERCHANT_CREATED = '2026-01-01T00:00:00.000Z';

export function merchant(
  merchantId: string,
  status: MerchantStatus = 'active',
  owner = '@owner:t.example',
): Merchant {
  return {
    merchantId,
    owner,
    name: `Merchant ${merchantId}`,
    email: `${merchantId}@merchants.example`,
    country: 'US',
    businessType: 'company',
    status,
    reserveBps: 0,
    createdAt: MERCHANT_CREATED,
    updatedAt: MERCHANT_CREATED,
  };
}

export function app(appId: string, merchantId: string, mode: Mode = 'live'): App {
  return { appId, merchantId, mode, name: `App ${appId}`, createdAt: MERCHANT_CREATED };
}

/** The merchants and apps given, read-only: what a use case that only looks them up needs. */
export function staticMerchantApps(
  merchants: readonly Merchant[],
  apps: readonly App[],
): { merchants: Pick<Merchants, 'get'>; apps: Pick<Apps, 'get'> } {
  const byMerchantId = new Map(merchants.map((m) => [m.merchantId, m]));
  const byAppId = new Map(apps.map((a) => [a.appId, a]));
  return {
    merchants: { get: async (merchantId) => byMerchantId.get(merchantId) },
    apps: { get: async (appId) => byAppId.get(appId) },
  };
}
