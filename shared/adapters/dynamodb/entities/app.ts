import * as z from 'zod/mini';
import { type App, MODES } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import { appKey, merchantAppKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({
  appId: z.string(),
  merchantId: z.string(),
  mode: z.enum(MODES),
  name: z.string(),
  createdAt: z.string(),
});

true satisfies SameType<z.output<typeof schema>, App>;

/** An app by id: `APP#<id>` / `APP` (the lookup a mini-app payment makes). */
export const AppEntity = defineEntity<App>({
  type: 'App',
  schema: schema satisfies z.ZodMiniType<App>,
  key: (app) => appKey(app.appId),
});

/** The same app in its merchant's list: `MERCHANT#<id>#<mode>` / `APP#<created>#<id>`. */
export const MerchantAppEntity = defineEntity<App>({
  type: 'MerchantApp',
  schema: schema satisfies z.ZodMiniType<App>,
  key: (app) => merchantAppKey(app.merchantId, app.mode, app.createdAt, app.appId),
});
