/**
 * Apps through the merchant API (`/v1/apps`): a merchant's key registers and reads its own apps, in its own
 * mode. An app of another merchant or the other mode is NOT_FOUND, never a hint that it exists.
 */
import { NotFoundError } from '../../domain/errors.js';
import type { App, MerchantCaller } from '../../domain/merchant.js';
import type { Clock, Ids } from '../ports.js';
import type { AppPage, Apps } from './ports.js';

export async function createApp(
  caller: MerchantCaller,
  name: string,
  deps: { apps: Pick<Apps, 'create'>; ids: Ids; clock: Clock },
): Promise<App> {
  return deps.apps.create({
    appId: deps.ids.next('app_'),
    merchantId: caller.merchantId,
    mode: caller.mode,
    name,
    createdAt: deps.clock.now().toISOString(),
  });
}

export async function getApp(
  caller: MerchantCaller,
  appId: string,
  deps: { apps: Pick<Apps, 'get'> },
): Promise<App> {
  const app = await deps.apps.get(appId);
  if (app === undefined || app.merchantId !== caller.merchantId || app.mode !== caller.mode)
    throw new NotFoundError('App');
  return app;
}

export function listApps(
  caller: MerchantCaller,
  page: { limit: number; after?: string },
  deps: { apps: Pick<Apps, 'list'> },
): Promise<AppPage> {
  return deps.apps.list({ merchantId: caller.merchantId, mode: caller.mode, ...page });
}
