/**
 * The catalogue's ports: where a merchant's products and prices are kept (its tenant partition). The
 * PriceReader other billing features read through (../billing/ports.ts) is this store's `price`.
 */
import type { Tenant } from '../../domain/customer.js';
import type { Price, PriceType, Product } from '../../domain/price.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';

export interface CatalogueStore {
  /** Stores a new product; one stored under its id already (a retried request) is returned as it is. */
  createProduct(product: Product): Promise<Product>;
  product(tenant: Tenant, productId: string): Promise<Product | undefined>;
  /** Newest first. */
  products(tenant: Tenant, query: PageQuery): Promise<Page<Product>>;
  /**
   * Stores a new price on the condition that its product exists (else NOT_FOUND, which the use case
   * answers as a 400); one stored under its id already is returned as it is.
   */
  createPrice(price: Price): Promise<Price>;
  price(tenant: Tenant, priceId: string): Promise<Price | undefined>;
  /** Newest first, optionally of one product and/or of one type. */
  prices(tenant: Tenant, query: PageQuery & { productId?: string; type?: PriceType }): Promise<Page<Price>>;
}
