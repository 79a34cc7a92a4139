/**
 * What `npm start` (and the test stack) finds in the table from the start: an active demo merchant owning
 * the live app `app_demo`, so mini-app payments have an app to name (API.md "Payments"), and a documented,
 * local-only test key for it. Written again at every start, idempotently (what exists is left as it is).
 * The test stack adds the fixture apps its suites name (LOCAL_SEED_APPS), as live apps of the same merchant.
 * Never deployed: the CDK app has no seed.
 */

import type { ApiKeyHasher } from '../shared/app/merchants/api-key-secret.js';
import type { ApiKeys } from '../shared/app/merchants/api-keys.js';
import type { Apps, Merchants } from '../shared/app/merchants/ports.js';
import { API_KEY_SCOPES } from '../shared/domain/merchant.js';

export const DEMO_MERCHANT_ID = 'mch_demo';
export const DEMO_OWNER = '@demo-merchant:tween.example';
export const DEMO_APP_ID = 'app_demo';
/** The demo merchant's Stripe connected account, which the local Stripe server knows from its start. */
export const DEMO_CONNECTED_ACCOUNT = 'acct_demo_local';
export const DEMO_TEST_KEY_ID = 'key_demo';
/** The demo merchant's test key: documented in the README, seeded only by the local stack. */
export const DEMO_TEST_KEY = 'sk_test_demo_tweenLocalOnlyNeverDeployed0000';

export interface SeedDeps {
  merchants: Pick<Merchants, 'get' | 'create'>;
  apps: Pick<Apps, 'get' | 'create'>;
  apiKeys: Pick<ApiKeys, 'grantOf' | 'create'>;
  hasher: ApiKeyHasher;
}

export async function seedDemo(deps: SeedDeps, fixtureApps: readonly string[] = []): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  if ((await deps.merchants.get(DEMO_MERCHANT_ID)) === undefined) {
    await deps.merchants.create({
      merchantId: DEMO_MERCHANT_ID,
      owner: DEMO_OWNER,
      name: 'Tween Demo Merchant',
      email: 'demo-merchant@tween.example',
      country: 'US',
      businessType: 'company',
      status: 'active',
      reserveBps: 0,
      connectedAccountId: DEMO_CONNECTED_ACCOUNT,
      createdAt: at,
      updatedAt: at,
    });
  }
  for (const appId of [DEMO_APP_ID, ...fixtureApps]) {
    if ((await deps.apps.get(appId)) !== undefined) continue;
    await deps.apps.create({
      appId,
      merchantId: DEMO_MERCHANT_ID,
      mode: 'live',
      name: appId === DEMO_APP_ID ? 'Demo mini-app' : `Fixture ${appId}`,
      createdAt: at,
    });
  }
  const secretHash = deps.hasher.hash(DEMO_TEST_KEY);
  if ((await deps.apiKeys.grantOf(secretHash)) === undefined) {
    await deps.apiKeys.create({
      keyId: DEMO_TEST_KEY_ID,
      merchantId: DEMO_MERCHANT_ID,
      mode: 'test',
      name: 'Local demo key',
      scopes: [...API_KEY_SCOPES],
      last4: DEMO_TEST_KEY.slice(-4),
      secretHash,
      status: 'active',
      createdAt: at,
    });
  }
}
