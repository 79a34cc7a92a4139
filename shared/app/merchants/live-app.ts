import { NotFoundError } from '../../domain/errors.js';
import type { App, Merchant } from '../../domain/merchant.js';
import type { Apps, Merchants } from './ports.js';

/**
 * The app a mini-app payment names, with the merchant it pays: only a live app of an active merchant takes
 * wallet money (wallets hold real money; test mode is for the merchant API's test cards). Anything else is
 * NOT_FOUND, never a hint about whose app it is or why.
 */
export async function liveAppOf(
  appId: string,
  deps: { apps: Pick<Apps, 'get'>; merchants: Pick<Merchants, 'get'> },
): Promise<{ app: App; merchant: Merchant }> {
  const app = await deps.apps.get(appId);
  if (app?.mode !== 'live') throw new NotFoundError('App');
  const merchant = await deps.merchants.get(app.merchantId);
  if (merchant?.status !== 'active') throw new NotFoundError('App');
  return { app, merchant };
}
