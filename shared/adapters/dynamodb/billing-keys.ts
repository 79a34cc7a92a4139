/**
 * Key builders of products, prices and invoices in the single table (keys.ts re-exports these): each in the
 * merchant's tenant partition, listed newest first on GSI1, and the tenant's invoice-number counter.
 */
import type { ItemKey } from './keys.js';
import { merchantTenantPartition } from './merchant-keys.js';

type Mode = 'test' | 'live';

/** A product by id: the tenant partition, `PRODUCT#<id>`. */
export function productKey(merchantId: string, mode: Mode, productId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PRODUCT#${productId}` };
}

/** A price by id: the tenant partition, `PRICE#<id>`. */
export function priceKey(merchantId: string, mode: Mode, priceId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `PRICE#${priceId}` };
}

/** An invoice by id: the tenant partition, `INVOICE#<id>`. */
export function invoiceKey(merchantId: string, mode: Mode, invoiceId: string): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: `INVOICE#${invoiceId}` };
}

/** The last invoice number given in the tenant: advanced in the same transaction that numbers an invoice. */
export function invoiceCounterKey(merchantId: string, mode: Mode): ItemKey {
  return { PK: merchantTenantPartition(merchantId, mode), SK: 'INVOICECOUNTER' };
}

/** The tenant's objects of a kind newest first: GSI1PK = `<tenant>#<KIND>`, GSI1SK = `<created>#<id>`. */
export function billingIndexKey(
  kind: BillingKind,
  merchantId: string,
  mode: Mode,
  createdAt: string,
  id: string,
): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: billingIndexPartition(kind, merchantId, mode), GSI1SK: `${createdAt}#${id}` };
}

export type BillingKind = 'PRODUCTS' | 'PRICES' | 'INVOICES';

export function billingIndexPartition(kind: BillingKind, merchantId: string, mode: Mode): string {
  return `${merchantTenantPartition(merchantId, mode)}#${kind}`;
}
