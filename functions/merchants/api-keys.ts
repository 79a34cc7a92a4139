import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { createApiKey, listApiKeys, revokeApiKey, rollApiKey } from '../../shared/app/merchants/api-keys.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { apiKeyHasher, apiKeys, merchants } from '../../shared/composition/merchants.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  ApiKeyParams,
  CreateApiKeyRequest,
  ListQuery,
  MerchantIdParams,
  RollApiKeyRequest,
} from '../../shared/http/schemas/merchant-api.js';
import { listView } from '../../shared/http/views/list.js';
import { apiKeyView } from '../../shared/http/views/merchant-api.js';

const base = { merchants: merchants(), apiKeys: apiKeys(), ids: randomIds, clock: systemClock };
const deps = async () => ({ ...base, hasher: await apiKeyHasher() });
const listName = (merchantId: string) => `apikeys:${merchantId}`;

const create = httpHandler({ params: MerchantIdParams, body: CreateApiKeyRequest }, async (request) => {
  const { key, secret } = await createApiKey(
    {
      caller: request.caller(),
      merchantId: request.params.merchantId,
      mode: request.body.mode,
      name: request.body.name,
      ...(request.body.scopes === undefined ? {} : { scopes: request.body.scopes }),
    },
    await deps(),
  );
  return { status: 201, body: apiKeyView(key, systemClock.now(), secret) };
});

const list = httpHandler({ params: MerchantIdParams, query: ListQuery }, async (request) => {
  const cursors = await cursorCodec();
  const name = listName(request.params.merchantId);
  const { cursor, limit } = request.query;
  const page = await listApiKeys(
    {
      caller: request.caller(),
      merchantId: request.params.merchantId,
      limit,
      ...(cursor === undefined ? {} : { after: cursors.decode(name, cursor) }),
    },
    base,
  );
  const now = systemClock.now();
  const next = page.after === undefined ? undefined : cursors.encode(name, page.after);
  return {
    status: 200,
    body: listView(
      page.keys.map((key) => apiKeyView(key, now)),
      next,
    ),
  };
});

const roll = httpHandler({ params: ApiKeyParams, body: RollApiKeyRequest }, async (request) => {
  const { key, secret } = await rollApiKey(
    {
      caller: request.caller(),
      merchantId: request.params.merchantId,
      keyId: request.params.keyId,
      graceSeconds: request.body.grace_seconds,
    },
    await deps(),
  );
  return { status: 201, body: apiKeyView(key, systemClock.now(), secret) };
});

const revoke = httpHandler({ params: ApiKeyParams }, async (request) => {
  const key = await revokeApiKey(
    { caller: request.caller(), merchantId: request.params.merchantId, keyId: request.params.keyId },
    await deps(),
  );
  return { status: 200, body: { id: key.keyId, object: 'api_key', deleted: true } };
});

export const handler = byRoute('apiKeys', {
  'POST /merchant/v1/merchants/{merchantId}/api-keys': create,
  'GET /merchant/v1/merchants/{merchantId}/api-keys': list,
  'POST /merchant/v1/merchants/{merchantId}/api-keys/{keyId}/roll': roll,
  'DELETE /merchant/v1/merchants/{merchantId}/api-keys/{keyId}': revoke,
});
