import * as z from 'zod/mini';
import type { ApiKey, ApiKeyGrant } from '../../../domain/api-key.js';
import { API_KEY_SCOPES, MODES } from '../../../domain/merchant.js';
import { defineEntity } from '../entity.js';
import { apiKeyLookupKey, merchantApiKeyIndexKey, merchantApiKeyKey } from '../keys.js';
import type { SameType } from './exact.js';

const grant = {
  keyId: z.string(),
  merchantId: z.string(),
  mode: z.enum(MODES),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  status: z.enum(['active', 'revoked']),
  expiresAt: z.exactOptional(z.string()),
};

const grantSchema = z.object(grant);
const keySchema = z.object({
  ...grant,
  name: z.string(),
  last4: z.string(),
  secretHash: z.string(),
  createdAt: z.string(),
});

true satisfies SameType<z.output<typeof grantSchema>, ApiKeyGrant>;
true satisfies SameType<z.output<typeof keySchema>, ApiKey>;

/** What the authorizer reads: `APIKEY#<hash>` / `APIKEY` (the hash is in the key only). */
export const ApiKeyLookupEntity = defineEntity<ApiKeyGrant & { secretHash: string }>({
  type: 'ApiKeyLookup',
  schema: z.object({ ...grant, secretHash: z.string() }),
  key: (lookup) => apiKeyLookupKey(lookup.secretHash),
});

/** The key in its merchant's listing: `MERCHANT#<id>` / `KEY#<keyId>`, newest first on GSI1; never the secret. */
export const MerchantApiKeyEntity = defineEntity<ApiKey>({
  type: 'MerchantApiKey',
  schema: keySchema satisfies z.ZodMiniType<ApiKey>,
  key: (key) => merchantApiKeyKey(key.merchantId, key.keyId),
  indexes: (key) => merchantApiKeyIndexKey(key.merchantId, key.createdAt, key.keyId),
});

/** The lookup item of a key. */
export function lookupOf(key: ApiKey): ApiKeyGrant & { secretHash: string } {
  return {
    keyId: key.keyId,
    merchantId: key.merchantId,
    mode: key.mode,
    scopes: key.scopes,
    status: key.status,
    secretHash: key.secretHash,
    ...(key.expiresAt === undefined ? {} : { expiresAt: key.expiresAt }),
  };
}
