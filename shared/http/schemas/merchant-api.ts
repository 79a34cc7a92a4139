/** Requests and answers of the API-key routes and the merchant API's apps (API.md "Merchant platform"). */
import * as z from 'zod/mini';
import { MAX_ROLL_GRACE_SECONDS } from '../../domain/api-key.js';
import { API_KEY_SCOPES, MODES } from '../../domain/merchant.js';
import { listOf } from './list.js';

const id = () => z.string().check(z.minLength(1), z.maxLength(255));
const name = () => z.string().check(z.minLength(1), z.maxLength(200));
const epochSeconds = () => z.number().check(z.int());

export { MerchantIdParams } from './merchants.js';
export const ApiKeyParams = z.object({
  merchantId: z.string().check(z.regex(/^mch_[A-Za-z0-9]{1,64}$/, 'unknown merchant id')),
  keyId: id(),
});
export const AppIdParams = z.object({ id: id() });

/** `limit` 1–100 (default 10) and an opaque `cursor`, as every list of the merchant platform takes. */
export const ListQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});

export const CreateApiKeyRequest = z
  .strictObject({
    mode: z.enum(MODES),
    name: name(),
    /** Default: every scope. */
    scopes: z.optional(z.array(z.enum(API_KEY_SCOPES)).check(z.minLength(1), z.maxLength(20))),
  })
  .register(z.globalRegistry, { id: 'ApiKeyCreateRequest' });

export const RollApiKeyRequest = z
  .strictObject({
    grace_seconds: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(MAX_ROLL_GRACE_SECONDS)), 0),
  })
  .register(z.globalRegistry, { id: 'ApiKeyRollRequest' });

export const ApiKeyResponse = z
  .object({
    id: z.string().register(z.globalRegistry, { example: 'key_3N2vQ8mXr7Lw1Ty5Zp0aKc' }),
    object: z.literal('api_key'),
    mode: z.enum(MODES),
    livemode: z.boolean(),
    name: z.string(),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    last4: z.string(),
    status: z.enum(['active', 'revoked', 'expired']),
    created: epochSeconds(),
    /** When a rolled key stops working (epoch seconds); null for a key that was not rolled. */
    expires_at: z.nullable(epochSeconds()),
    /** Only in the answer that creates or rolls the key: it is never shown again. */
    secret: z.optional(z.string().register(z.globalRegistry, { example: 'sk_test_...' })),
  })
  .register(z.globalRegistry, { id: 'ApiKey' });

export const ApiKeyList = listOf(ApiKeyResponse, 'ApiKeyList');

export const DeletedApiKey = z
  .object({ id: z.string(), object: z.literal('api_key'), deleted: z.literal(true) })
  .register(z.globalRegistry, { id: 'DeletedApiKey' });

export const CreateAppRequest = z.strictObject({ name: name() }).register(z.globalRegistry, {
  id: 'AppCreateRequest',
});

export const AppResponse = z
  .object({
    id: z.string().register(z.globalRegistry, { example: 'app_demo' }),
    object: z.literal('app'),
    name: z.string(),
    livemode: z.boolean(),
    created: epochSeconds(),
  })
  .register(z.globalRegistry, { id: 'App' });

export const AppList = listOf(AppResponse, 'AppList');
