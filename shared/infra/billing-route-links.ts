/** The route map's entries of the products, prices and invoices routes (route-map.ts spreads them in). */
import type { RouteLinks } from './route-map.js';

export function catalogueLinks() {
  const catalogue = 'shared/app/prices/catalogue.ts';
  const stored = 'shared/adapters/dynamodb/entities/product.ts';
  const product = { entity: 'shared/domain/price.ts', stored } as const;
  return {
    'POST /v1/products': { useCase: `${catalogue}#createProduct`, ...product },
    'GET /v1/products': { useCase: `${catalogue}#listProducts`, ...product },
    'GET /v1/products/{productId}': { useCase: `${catalogue}#getProduct`, ...product },
    'POST /v1/prices': { useCase: `${catalogue}#createPrice`, ...product },
    'GET /v1/prices': { useCase: `${catalogue}#listPrices`, ...product },
    'GET /v1/prices/{priceId}': { useCase: `${catalogue}#getPrice`, ...product },
  } as const satisfies Record<string, RouteLinks>;
}
