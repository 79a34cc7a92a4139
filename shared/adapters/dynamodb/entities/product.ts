import * as z from 'zod/mini';
import { MODES } from '../../../domain/merchant.js';
import { type Price, type Product, priceType } from '../../../domain/price.js';
import { defineEntity } from '../entity.js';
import { billingIndexKey, priceKey, productKey } from '../keys.js';
import type { SameType } from './exact.js';

const productSchema = z.object({
  merchantId: z.string(),
  mode: z.enum(MODES),
  productId: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  active: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

true satisfies SameType<z.output<typeof productSchema>, Product>;

/** A merchant's product: `<tenant>` / `PRODUCT#<id>`, listed newest first on GSI1. */
export const ProductEntity = defineEntity<Product>({
  type: 'Product',
  schema: productSchema satisfies z.ZodMiniType<Product>,
  key: (p) => productKey(p.merchantId, p.mode, p.productId),
  indexes: (p) => billingIndexKey('PRODUCTS', p.merchantId, p.mode, p.createdAt, p.productId),
});

const priceSchema = z.object({
  merchantId: z.string(),
  mode: z.enum(MODES),
  priceId: z.string(),
  productId: z.string(),
  unitAmount: z.number(),
  currency: z.string(),
  recurring: z.nullable(z.object({ interval: z.enum(['month', 'year']) })),
  active: z.boolean(),
  createdAt: z.string(),
});

true satisfies SameType<z.output<typeof priceSchema>, Price>;

/**
 * A merchant's price: `<tenant>` / `PRICE#<id>`, listed newest first on GSI1; `priceType` beside it (not part
 * of the entity) is what the list's `type=` filter reads.
 */
export const PriceEntity = defineEntity<Price>({
  type: 'Price',
  schema: priceSchema satisfies z.ZodMiniType<Price>,
  key: (p) => priceKey(p.merchantId, p.mode, p.priceId),
  indexes: (p) => billingIndexKey('PRICES', p.merchantId, p.mode, p.createdAt, p.priceId),
  extra: (p) => ({ priceType: priceType(p) }),
});
