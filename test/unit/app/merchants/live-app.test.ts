import { LiveAppCache, liveAppOf } from '../../../../shared/app/merchants/live-app.js';
import type { Apps, Merchants } from '../../../../shared/app/merchants/ports.js';
import type { App, Merchant } from '../../../../shared/domain/merchant.js';
import { MERCHANT_STATUSES, nextMerchantStatus } from '../../../../shared/domain/merchant.js';
import { app, merchant } from '../../../support/fakes/merchants.js';

const TTL_MS = 60_000;

/** Apps and merchants that can change under the cache, counting each read. */
function store(apps: App[], merchants: Merchant[]) {
  const appsById = new Map(apps.map((a) => [a.appId, a]));
  const merchantsById = new Map(merchants.map((m) => [m.merchantId, m]));
  const reads = { apps: 0, merchants: 0 };
  const deps: { apps: Pick<Apps, 'get'>; merchants: Pick<Merchants, 'get'> } = {
    apps: {
      get: async (appId) => {
        reads.apps += 1;
        return appsById.get(appId);
      },
    },
    merchants: {
      get: async (merchantId) => {
        reads.merchants += 1;
        return merchantsById.get(merchantId);
      },
    },
  };
  return { deps, reads, merchantsById };
}

describe('liveAppOf with a LiveAppCache', () => {
  it('reads a live app of an active merchant once, then answers from the cache until the TTL', async () => {
    // Arrange
    let now = 0;
    const { deps, reads } = store([app('app_1', 'mch_1')], [merchant('mch_1')]);
    const liveApps = new LiveAppCache(TTL_MS, () => now);

    // Act
    await liveAppOf('app_1', { ...deps, liveApps });
    now = TTL_MS - 1;
    const second = await liveAppOf('app_1', { ...deps, liveApps });

    // Assert
    expect(second.merchant.merchantId).toBe('mch_1');
    expect(reads).toEqual({ apps: 1, merchants: 1 });
  });

  it('reads again once the TTL has passed', async () => {
    // Arrange
    let now = 0;
    const { deps, reads } = store([app('app_1', 'mch_1')], [merchant('mch_1')]);
    const liveApps = new LiveAppCache(TTL_MS, () => now);
    await liveAppOf('app_1', { ...deps, liveApps });

    // Act
    now = TTL_MS;
    await liveAppOf('app_1', { ...deps, liveApps });

    // Assert
    expect(reads).toEqual({ apps: 2, merchants: 2 });
  });

  it('keeps no refusal: a merchant approved after a refused payment is paid on the next one', async () => {
    // Arrange
    const { deps, merchantsById } = store([app('app_1', 'mch_1')], [merchant('mch_1', 'in_review')]);
    const liveApps = new LiveAppCache(TTL_MS, () => 0);
    await expect(liveAppOf('app_1', { ...deps, liveApps })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Act
    merchantsById.set('mch_1', merchant('mch_1', 'active'));
    const found = await liveAppOf('app_1', { ...deps, liveApps });

    // Assert
    expect(found.merchant.status).toBe('active');
  });

  it.each([
    ['a test app', app('app_1', 'mch_1', 'test'), merchant('mch_1')],
    ['a live app of a merchant not active', app('app_1', 'mch_1'), merchant('mch_1', 'rejected')],
  ])('refuses %s every time, reading it each time', async (_name, theApp, theMerchant) => {
    // Arrange
    const { deps, reads } = store([theApp], [theMerchant]);
    const liveApps = new LiveAppCache(TTL_MS, () => 0);

    // Act
    for (let i = 0; i < 2; i += 1) {
      await expect(liveAppOf('app_1', { ...deps, liveApps })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }

    // Assert
    expect(reads.apps).toBe(2);
    expect(liveApps.get('app_1')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    // Arrange
    const apps = ['app_1', 'app_2', 'app_3'].map((id) => app(id, 'mch_1'));
    const { deps } = store(apps, [merchant('mch_1')]);
    const liveApps = new LiveAppCache(TTL_MS, () => 0, 2);

    // Act
    for (const a of apps) await liveAppOf(a.appId, { ...deps, liveApps });

    // Assert
    expect(liveApps.get('app_1')).toBeUndefined();
    expect(liveApps.get('app_3')?.app.appId).toBe('app_3');
  });

  // The cache keeps a yes for TTL_MS on the ground that a yes cannot turn into a no: if a transition out of
  // `active` is ever added (a suspension), this fails, and the cache must be revisited before money can move
  // to a merchant that may no longer receive it.
  it('rests on no merchant transition leaving active', () => {
    for (const event of ['verify_email', 'submit_kyc', 'approve', 'reject'] as const) {
      expect(() => nextMerchantStatus('active', event)).toThrow();
    }
    expect(MERCHANT_STATUSES).toEqual([
      'pending_verification',
      'kyc_required',
      'in_review',
      'active',
      'rejected',
    ]);
  });
});
