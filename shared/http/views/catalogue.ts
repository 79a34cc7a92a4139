import { type Price, type Product, priceType } from '../../domain/price.js';

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A product as the merchant API shows it (Stripe's Product). */
export function productView(product: Product) {
  return {
    id: product.productId,
    object: 'product' as const,
    name: product.name,
    description: product.description,
    active: product.active,
    metadata: { ...product.metadata },
    livemode: product.mode === 'live',
    created: epochSeconds(product.createdAt),
    updated: epochSeconds(product.updatedAt),
  };
}

/** A price as the merchant API shows it (Stripe's Price): one-time, or recurring every month or year. */
export function priceView(price: Price) {
  return {
    id: price.priceId,
    object: 'price' as const,
    product: price.productId,
    unit_amount: price.unitAmount,
    currency: price.currency,
    type: priceType(price),
    recurring: price.recurring === null ? null : { interval: price.recurring.interval, interval_count: 1 },
    active: price.active,
    livemode: price.mode === 'live',
    created: epochSeconds(price.createdAt),
  };
}
