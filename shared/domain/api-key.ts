/**
 * A merchant's API key (API.md "API keys"): a secret `sk_test_...` / `sk_live_...` shown once, stored only
 * as a keyed hash. A key is usable while it is active and, once rolled, until its grace ends.
 */
import type { ApiKeyScope, Mode } from './merchant.js';

export type ApiKeyStatus = 'active' | 'revoked';

/** The longest grace a rolled key keeps working for (7 days), as Stripe allows. */
export const MAX_ROLL_GRACE_SECONDS = 604_800;

export interface ApiKey {
  keyId: string;
  merchantId: string;
  mode: Mode;
  name: string;
  scopes: ApiKeyScope[];
  /** The secret's last four characters, to tell keys apart in a listing. */
  last4: string;
  /** HMAC-SHA256(pepper, secret), hex: how the authorizer finds the key. Never the secret itself. */
  secretHash: string;
  status: ApiKeyStatus;
  createdAt: string;
  /** Set when the key is rolled: it stops working then. */
  expiresAt?: string;
}

/** What the authorizer reads for a secret's hash. */
export type ApiKeyGrant = Pick<ApiKey, 'keyId' | 'merchantId' | 'mode' | 'scopes' | 'status' | 'expiresAt'>;

/** Whether a key still opens the merchant API at `now`: active, and not past the end of a roll's grace. */
export function isUsable(key: Pick<ApiKey, 'status' | 'expiresAt'>, now: Date): boolean {
  if (key.status !== 'active') return false;
  return key.expiresAt === undefined || Date.parse(key.expiresAt) > now.getTime();
}

/** The status a listing shows: a rolled key past its grace reads `expired`. */
export function displayStatus(
  key: Pick<ApiKey, 'status' | 'expiresAt'>,
  now: Date,
): ApiKeyStatus | 'expired' {
  if (key.status === 'active' && !isUsable(key, now)) return 'expired';
  return key.status;
}
