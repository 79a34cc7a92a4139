import type { OperationDoc } from '../operations.js';
import {
  ApiKeyList,
  ApiKeyParams,
  ApiKeyResponse,
  AppIdParams,
  AppList,
  AppResponse,
  CreateApiKeyRequest,
  CreateAppRequest,
  DeletedApiKey,
  ListQuery,
  MerchantIdParams,
  RollApiKeyRequest,
} from '../schemas/merchant-api.js';

const NOT_OWNER = { description: "NOT_FOUND: no such merchant of the caller's (or no such key of it)" };

/** The owner's API keys and the merchant API's apps. */
export const merchantApiOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /merchant/v1/merchants/{merchantId}/api-keys': {
    operationId: 'createApiKey',
    description:
      'The answer carries the `secret` this once; it is stored only as a keyed hash. `scopes` defaults to all.',
    request: { params: MerchantIdParams, body: CreateApiKeyRequest },
    responses: {
      201: { description: 'The key, with its secret', schema: ApiKeyResponse },
      403: { description: 'MERCHANT_NOT_ACTIVE: live keys only for an active merchant' },
      404: NOT_OWNER,
    },
  },
  'GET /merchant/v1/merchants/{merchantId}/api-keys': {
    operationId: 'listApiKeys',
    request: { params: MerchantIdParams, query: ListQuery },
    responses: { 200: { description: 'The keys, without secrets', schema: ApiKeyList }, 404: NOT_OWNER },
  },
  'POST /merchant/v1/merchants/{merchantId}/api-keys/{keyId}/roll': {
    operationId: 'rollApiKey',
    description:
      'A new key with the same mode, name and scopes; the old one keeps working for `grace_seconds` (0 to 604800), then answers 401.',
    request: { params: ApiKeyParams, body: RollApiKeyRequest },
    responses: {
      201: { description: 'The new key, with its secret', schema: ApiKeyResponse },
      404: { description: 'NOT_FOUND: no such active, not yet rolled key of the caller' },
    },
  },
  'DELETE /merchant/v1/merchants/{merchantId}/api-keys/{keyId}': {
    operationId: 'revokeApiKey',
    description:
      'Refused from now on locally; on AWS the authorizer caches answers for up to 60 s, so a revoked key may pass that long.',
    request: { params: ApiKeyParams },
    responses: {
      200: { description: 'Revoked', schema: DeletedApiKey },
      404: { description: 'NOT_FOUND: no such active key of the caller' },
    },
  },
  'POST /v1/apps': {
    operationId: 'createApp',
    request: { body: CreateAppRequest },
    responses: { 201: { description: "The app, in the key's mode", schema: AppResponse } },
  },
  'GET /v1/apps': {
    operationId: 'listApps',
    request: { query: ListQuery },
    responses: { 200: { description: "The merchant's apps in the key's mode", schema: AppList } },
  },
  'GET /v1/apps/{id}': {
    operationId: 'getApp',
    request: { params: AppIdParams },
    responses: {
      200: { description: 'The app', schema: AppResponse },
      404: { description: "NOT_FOUND: not an app of the key's merchant and mode" },
    },
  },
};
