import { NotFoundError } from '../../domain/errors.js';
import type { App, Merchant } from '../../domain/merchant.js';
import type { Apps, Merchants } from './ports.js';

export interface LiveAppDeps {
  apps: Pick<Apps, 'get'>;
  merchants: Pick<Merchants, 'get'>;
  /** Remembers the answers that were yes; without it every lookup reads the app and its merchant. */
  liveApps?: LiveAppCache;
}

/**
 * The app a mini-app payment names, with the merchant it pays: only a live app of an active merchant takes
 * wallet money (wallets hold real money; test mode is for the merchant API's test cards). Anything else is
 * NOT_FOUND, never a hint about whose app it is or why.
 */
export async function liveAppOf(appId: string, deps: LiveAppDeps): Promise<{ app: App; merchant: Merchant }> {
  const cached = deps.liveApps?.get(appId);
  if (cached !== undefined) return cached;
  const app = await deps.apps.get(appId);
  if (app?.mode !== 'live') throw new NotFoundError('App');
  const merchant = await deps.merchants.get(app.merchantId);
  if (merchant?.status !== 'active') throw new NotFoundError('App');
  deps.liveApps?.remember(appId, { app, merchant });
  return { app, merchant };
}

/**
 * The positive answers of liveAppOf, kept in process for `ttlMs` so that a payment does not read the app
 * and its merchant every time. Only a yes is kept: an app that is not live yet, or whose merchant is not
 * active yet, is read again on the next payment, so an approval takes effect at once. A yes cannot turn
 * wrong: an app's mode and merchant never change, and no merchant transition leaves `active`
 * (domain/merchant.ts; a unit test holds that). The TTL bounds how long a yes would outlive a transition
 * out of `active` if one were ever added, and a payment reads nothing else from the kept merchant but its
 * id. At most `maxEntries` are kept; the oldest goes first.
 */
export class LiveAppCache {
  readonly #entries = new Map<string, { value: { app: App; merchant: Merchant }; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly nowMs: () => number = Date.now,
    private readonly maxEntries = 1_000,
  ) {}

  get(appId: string): { app: App; merchant: Merchant } | undefined {
    const entry = this.#entries.get(appId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.nowMs()) return entry.value;
    this.#entries.delete(appId);
    return undefined;
  }

  remember(appId: string, value: { app: App; merchant: Merchant }): void {
    if (value.app.mode !== 'live' || value.merchant.status !== 'active') return;
    this.#entries.delete(appId);
    this.#entries.set(appId, { value, expiresAt: this.nowMs() + this.ttlMs });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }
}
