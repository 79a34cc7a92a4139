/**
 * Products and prices (API.md "Billing and checkout"): what a merchant sells and at what price, per currency
 * in minor units, once or every month or year. Writes need `billing:write`, reads `billing:read`; every
 * object is the caller's tenant's (another merchant's or mode's id is not found).
 */
import type { Tenant } from '../../domain/customer.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { assertScope, type MerchantCaller } from '../../domain/merchant.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import type { Price, PriceType, Product, RecurringInterval } from '../../domain/price.js';
import type { PriceReader } from '../billing/ports.js';
import type { CursorCodec } from '../cursor.js';
import type { Clock, Ids } from '../ports.js';
import type { CatalogueStore } from './ports.js';

export interface CatalogueDeps {
  catalogue: CatalogueStore;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
}

export interface NewProduct {
  name: string;
  description?: string | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
}

export interface NewPrice {
  productId: string;
  unitAmount: unknown;
  currency: unknown;
  recurring?: { interval: RecurringInterval } | undefined;
}

function tenantOf(caller: MerchantCaller): Tenant {
  return { merchantId: caller.merchantId, mode: caller.mode };
}

/** The id of a new object: derived from the Idempotency-Key when there is one, so a retry finds the first. */
function newId(prefix: string, caller: MerchantCaller, idempotencyKey: string, ids: Ids): string {
  return idempotencyKey === ''
    ? ids.next(prefix)
    : ids.derive(prefix, caller.merchantId, caller.mode, idempotencyKey);
}

export async function createProduct(
  caller: MerchantCaller,
  input: NewProduct,
  idempotencyKey: string,
  deps: Pick<CatalogueDeps, 'catalogue' | 'ids' | 'clock'>,
): Promise<Product> {
  assertScope(caller, 'billing:write');
  const at = deps.clock.now().toISOString();
  return deps.catalogue.createProduct({
    ...tenantOf(caller),
    productId: newId('prod_', caller, idempotencyKey, deps.ids),
    name: input.name,
    description: input.description ?? null,
    active: true,
    metadata: { ...input.metadata },
    createdAt: at,
    updatedAt: at,
  });
}

export async function getProduct(
  caller: MerchantCaller,
  productId: string,
  deps: Pick<CatalogueDeps, 'catalogue'>,
): Promise<Product> {
  assertScope(caller, 'billing:read');
  const product = await deps.catalogue.product(tenantOf(caller), productId);
  if (product === undefined) throw new NotFoundError('Product');
  return product;
}

/**
 * 1. `billing:write`; the amount a positive integer of minor units (INVALID_AMOUNT) in a currency this
 *    deployment takes (UNSUPPORTED_CURRENCY), as every amount of the service is checked.
 * 2. The product must be the tenant's: an unknown one is a 400 naming `product`.
 */
export async function createPrice(
  caller: MerchantCaller,
  input: NewPrice,
  idempotencyKey: string,
  deps: CatalogueDeps,
): Promise<Price> {
  assertScope(caller, 'billing:write');
  const money = deps.currencies.money(input.unitAmount, input.currency);
  try {
    return await deps.catalogue.createPrice({
      ...tenantOf(caller),
      priceId: newId('price_', caller, idempotencyKey, deps.ids),
      productId: input.productId,
      unitAmount: money.amount,
      currency: money.currency,
      recurring: input.recurring === undefined ? null : { interval: input.recurring.interval },
      active: true,
      createdAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new ValidationError('No such product', {
      issues: [{ path: 'product', message: `No such product: ${input.productId.slice(0, 64)}` }],
    });
  }
}

export async function getPrice(
  caller: MerchantCaller,
  priceId: string,
  deps: Pick<CatalogueDeps, 'catalogue'>,
): Promise<Price> {
  assertScope(caller, 'billing:read');
  const price = await deps.catalogue.price(tenantOf(caller), priceId);
  if (price === undefined) throw new NotFoundError('Price');
  return price;
}

interface ListQuery {
  limit: number;
  cursor?: string | undefined;
}

/** One page of the tenant's products, newest first; the cursor is bound to this tenant's list. */
export async function listProducts(
  caller: MerchantCaller,
  query: ListQuery,
  deps: Pick<CatalogueDeps, 'catalogue'> & { cursors: CursorCodec },
): Promise<{ products: Product[]; nextCursor: string | null }> {
  assertScope(caller, 'billing:read');
  const list = `products:${caller.merchantId}:${caller.mode}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.catalogue.products(tenantOf(caller), {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
  });
  return {
    products: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/** One page of the tenant's prices, newest first, of one product and/or type when asked. */
export async function listPrices(
  caller: MerchantCaller,
  query: ListQuery & { product?: string | undefined; type?: PriceType | undefined },
  deps: Pick<CatalogueDeps, 'catalogue'> & { cursors: CursorCodec },
): Promise<{ prices: Price[]; nextCursor: string | null }> {
  assertScope(caller, 'billing:read');
  const list = `prices:${caller.merchantId}:${caller.mode}:${query.product ?? ''}:${query.type ?? ''}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.catalogue.prices(tenantOf(caller), {
    limit: query.limit,
    ...(after === undefined ? {} : { after }),
    ...(query.product === undefined ? {} : { productId: query.product }),
    ...(query.type === undefined ? {} : { type: query.type }),
  });
  return {
    prices: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}

/** The PriceReader of the billing seams (subscriptions, checkout, invoices): the tenant's price or none. */
export function priceReader(catalogue: Pick<CatalogueStore, 'price'>): PriceReader {
  return { get: (tenant, priceId) => catalogue.price(tenant, priceId) };
}
