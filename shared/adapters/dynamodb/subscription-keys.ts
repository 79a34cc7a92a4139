/**
 * Key builders of subscriptions in the single table: each subscription in the merchant's tenant partition,
 * the tenant's subscriptions newest first on GSI1.
 */
import type { ItemKey } from './keys.js';
import { merchantTenantPartition } from './merchant-keys.js';

type Mode = 'test' | 'live';

/** A subscription by id: the tenant partition, `SUBSCRIPTION#<id>`. */
export function subscriptionKey(merchantId: string, mode: Mode, subscriptionId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `SUBSCRIPTION#${subscriptionId}` };
}

/** The tenant's subscriptions newest first: GSI1PK = `<tenant>#SUBSCRIPTIONS`, GSI1SK = `<created>#<id>`. */
export function subscriptionIndexKey(
  merchantId: string,
  mode: Mode,
  createdAt: string,
  subscriptionId: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: subscriptionsIndexPartition(merchantId, mode), GSI1SK: `${createdAt}#${subscriptionId}` };
}

export function subscriptionsIndexPartition(merchantId: string, mode: Mode): string {
  return `${merchantTenantPartition(merchantId, mode)}#SUBSCRIPTIONS`;
}
