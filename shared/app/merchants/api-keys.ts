/**
 * API keys (API.md "API keys"): the owner creates, lists, rolls and revokes a merchant's keys with their
 * JWT; the authorizer turns a secret into the merchant caller. Others are told the merchant does not exist.
 */
import { type ApiKey, type ApiKeyGrant, isUsable, MAX_ROLL_GRACE_SECONDS } from '../../domain/api-key.js';
import { NotFoundError } from '../../domain/errors.js';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  assertOwner,
  type Merchant,
  type MerchantCaller,
  MerchantNotActiveError,
  type Mode,
} from '../../domain/merchant.js';
import type { Clock, Ids } from '../ports.js';
import { type ApiKeyHasher, bearerSecret, newSecret } from './api-key-secret.js';
import type { Merchants } from './ports.js';

export interface ApiKeyPage {
  keys: ApiKey[];
  after?: string;
}

export interface ApiKeys {
  /** Stores the key's lookup (by hash) and its listing item in one transaction, neither overwriting. */
  create(key: ApiKey): Promise<ApiKey>;
  get(merchantId: string, keyId: string): Promise<ApiKey | undefined>;
  list(query: { merchantId: string; limit: number; after?: string }): Promise<ApiKeyPage>;
  /** What the authorizer needs of the key with this secret hash. */
  grantOf(secretHash: string): Promise<ApiKeyGrant | undefined>;
  /**
   * Stores `next` and sets `expiresAt` on `old` (both its items), in one transaction, on the condition that
   * `old` is active and not rolled yet: else NOT_FOUND.
   */
  roll(old: ApiKey, next: ApiKey, expiresAt: string): Promise<void>;
  /** Revokes both items of the key on the condition that it is active: else NOT_FOUND. */
  revoke(key: ApiKey): Promise<ApiKey>;
}

export interface ApiKeyDeps {
  merchants: Pick<Merchants, 'get'>;
  apiKeys: ApiKeys;
  hasher: ApiKeyHasher;
  ids: Ids;
  clock: Clock;
}

/** A key with its secret: the only time the secret is ever seen. */
export interface IssuedApiKey {
  key: ApiKey;
  secret: string;
}

interface Owner {
  userId: string;
}

async function ownedMerchant(merchantId: string, caller: Owner, deps: Pick<ApiKeyDeps, 'merchants'>) {
  const merchant = await deps.merchants.get(merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  assertOwner(merchant, caller);
  return merchant;
}

function issue(
  merchant: Merchant,
  fields: { mode: Mode; name: string; scopes: readonly ApiKeyScope[] },
  deps: Pick<ApiKeyDeps, 'hasher' | 'ids' | 'clock'>,
): IssuedApiKey {
  const secret = newSecret(fields.mode);
  return {
    secret,
    key: {
      keyId: deps.ids.next('key_'),
      merchantId: merchant.merchantId,
      mode: fields.mode,
      name: fields.name,
      scopes: [...fields.scopes],
      last4: secret.slice(-4),
      secretHash: deps.hasher.hash(secret),
      status: 'active',
      createdAt: deps.clock.now().toISOString(),
    },
  };
}

/**
 * 1. The caller must own the merchant (else NOT_FOUND).
 * 2. Live keys only for an active merchant (MERCHANT_NOT_ACTIVE); test keys from creation on.
 * 3. A fresh secret, stored only as its keyed hash; the answer carries the secret this once.
 */
export async function createApiKey(
  command: { caller: Owner; merchantId: string; mode: Mode; name: string; scopes?: readonly ApiKeyScope[] },
  deps: ApiKeyDeps,
): Promise<IssuedApiKey> {
  const merchant = await ownedMerchant(command.merchantId, command.caller, deps);
  if (command.mode === 'live' && merchant.status !== 'active')
    throw new MerchantNotActiveError(merchant.status);
  const issued = issue(merchant, { ...command, scopes: command.scopes ?? API_KEY_SCOPES }, deps);
  await deps.apiKeys.create(issued.key);
  return issued;
}

export async function listApiKeys(
  command: { caller: Owner; merchantId: string; limit: number; after?: string },
  deps: Pick<ApiKeyDeps, 'merchants' | 'apiKeys'>,
): Promise<ApiKeyPage> {
  await ownedMerchant(command.merchantId, command.caller, deps);
  return deps.apiKeys.list({
    merchantId: command.merchantId,
    limit: command.limit,
    ...(command.after === undefined ? {} : { after: command.after }),
  });
}

async function ownedKey(command: { caller: Owner; merchantId: string; keyId: string }, deps: ApiKeyDeps) {
  const merchant = await ownedMerchant(command.merchantId, command.caller, deps);
  const key = await deps.apiKeys.get(command.merchantId, command.keyId);
  if (key === undefined) throw new NotFoundError('API key');
  return { merchant, key };
}

/**
 * 1. The caller's merchant's key, active and not rolled yet (else NOT_FOUND).
 * 2. A new key (same mode, name and scopes) and the old one's end, `graceSeconds` from now, in one write.
 */
export async function rollApiKey(
  command: { caller: Owner; merchantId: string; keyId: string; graceSeconds: number },
  deps: ApiKeyDeps,
): Promise<IssuedApiKey> {
  const { merchant, key } = await ownedKey(command, deps);
  const grace = Math.min(Math.max(0, command.graceSeconds), MAX_ROLL_GRACE_SECONDS);
  const expiresAt = new Date(deps.clock.now().getTime() + grace * 1000).toISOString();
  const issued = issue(merchant, key, deps);
  await deps.apiKeys.roll(key, issued.key, expiresAt);
  return issued;
}

/** Revokes the caller's merchant's key at once (NOT_FOUND when it is not an active key of theirs). */
export async function revokeApiKey(
  command: { caller: Owner; merchantId: string; keyId: string },
  deps: ApiKeyDeps,
): Promise<ApiKey> {
  const { key } = await ownedKey(command, deps);
  return deps.apiKeys.revoke(key);
}

/**
 * The authorizer's decision: the merchant caller an `Authorization: Bearer sk_...` header names, or
 * undefined for anything else (no header, not a secret, unknown, revoked, past a roll's grace).
 */
export async function authenticateApiKey(
  authorization: string | undefined,
  deps: { apiKeys: Pick<ApiKeys, 'grantOf'>; hasher: ApiKeyHasher; clock: Clock },
): Promise<MerchantCaller | undefined> {
  const secret = bearerSecret(authorization);
  if (secret === undefined) return undefined;
  const grant = await deps.apiKeys.grantOf(deps.hasher.hash(secret));
  if (grant === undefined || !isUsable(grant, deps.clock.now())) return undefined;
  // The mode is part of the secret too: a hash that names the other mode is not this key.
  if (!secret.startsWith(`sk_${grant.mode}_`)) return undefined;
  return { merchantId: grant.merchantId, mode: grant.mode, scopes: grant.scopes, keyId: grant.keyId };
}
