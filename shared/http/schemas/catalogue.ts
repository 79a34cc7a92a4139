import * as z from 'zod/mini';
import { METADATA_LIMITS } from '../../domain/customer.js';
import { PRICE_TYPES } from '../../domain/price.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());
const epochSeconds = () => int().register(z.globalRegistry, { description: 'Epoch seconds' });

export const ProductIdParams = z.object({
  productId: z.string().check(z.regex(/^prod_[A-Za-z0-9]{1,64}$/, 'unknown product id')),
});

export const PriceIdParams = z.object({
  priceId: z.string().check(z.regex(/^price_[A-Za-z0-9]{1,64}$/, 'unknown price id')),
});

export const billingMetadata = () =>
  z
    .record(
      z.string().check(z.minLength(1), z.maxLength(METADATA_LIMITS.keyLength)),
      z.string().check(z.maxLength(METADATA_LIMITS.valueLength)),
    )
    .check(
      z.refine((value) => Object.keys(value).length <= METADATA_LIMITS.keys, {
        message: `at most ${METADATA_LIMITS.keys} keys`,
      }),
    )
    .register(z.globalRegistry, { maxProperties: METADATA_LIMITS.keys });

export const CreateProductRequest = z
  .strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(256)),
    description: z.optional(z.string().check(z.maxLength(1000))),
    metadata: z.optional(billingMetadata()),
  })
  .register(z.globalRegistry, { id: 'CreateProductRequest' });

export const CreatePriceRequest = z
  .strictObject({
    product: z.string().check(z.regex(/^prod_[A-Za-z0-9]{1,64}$/, 'must be a product id (prod_…)')),
    unit_amount: int().register(z.globalRegistry, {
      description: "A positive integer in the currency's minor unit",
      example: 3000,
    }),
    currency: z.string().register(z.globalRegistry, { example: 'USD' }),
    recurring: z.optional(z.strictObject({ interval: z.enum(['month', 'year']) })),
  })
  .register(z.globalRegistry, { id: 'CreatePriceRequest' });

const listFields = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
};

export const ListProductsQuery = z.strictObject(listFields);

export const ListPricesQuery = z.strictObject({
  ...listFields,
  product: z.optional(z.string().check(z.regex(/^prod_[A-Za-z0-9]{1,64}$/, 'must be a product id'))),
  type: z.optional(z.enum(PRICE_TYPES)),
});

export const ProductResponse = z
  .object({
    id: z.string(),
    object: z.literal('product'),
    name: z.string(),
    description: z.nullable(z.string()),
    active: z.boolean(),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created: epochSeconds(),
    updated: epochSeconds(),
  })
  .register(z.globalRegistry, { id: 'Product' });

export const PriceResponse = z
  .object({
    id: z.string(),
    object: z.literal('price'),
    product: z.string(),
    unit_amount: int(),
    currency: z.string(),
    type: z.enum(PRICE_TYPES),
    recurring: z.nullable(z.object({ interval: z.enum(['month', 'year']), interval_count: int() })),
    active: z.boolean(),
    livemode: z.boolean(),
    created: epochSeconds(),
  })
  .register(z.globalRegistry, { id: 'Price' });

export const ProductList = listOf(ProductResponse, 'ProductList');
export const PriceList = listOf(PriceResponse, 'PriceList');
