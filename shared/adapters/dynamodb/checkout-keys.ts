/**
 * Key builders of checkout sessions in the single table (keys.ts re-exports these): each session in its
 * merchant's tenant partition, the tenant's sessions newest first on GSI1, and the pointer its public page
 * finds it by (the session id is all the page has).
 */
import type { ItemKey } from './keys.js';
import { merchantTenantPartition } from './merchant-keys.js';

type Mode = 'test' | 'live';

export function checkoutSessionKey(merchantId: string, mode: Mode, sessionId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `CHECKOUTSESSION#${sessionId}` };
}

/** The tenant's sessions newest first: GSI1PK = `<tenant>#CHECKOUTSESSIONS`, GSI1SK = `<created>#<id>`. */
export function checkoutSessionIndexKey(
  merchantId: string,
  mode: Mode,
  createdAt: string,
  sessionId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: checkoutSessionsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${sessionId}` };
}

export function checkoutSessionsIndexPartition(merchantId: string, mode: Mode): string {
  return `${merchantTenantPartition(merchantId, mode)}#CHECKOUTSESSIONS`;
}

/** Whose session an id is: `CHECKOUT#<id>`, holding only the merchant and mode. */
export function checkoutPointerKey(sessionId: string): ItemKey {
  return { PK: `CHECKOUT#${sessionId}`, SK: 'CHECKOUT' };
}
