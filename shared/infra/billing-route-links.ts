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

export function invoiceLinks() {
  const invoices = 'shared/app/invoices/invoices.ts';
  const pay = 'shared/app/invoices/pay.ts';
  const invoice = {
    entity: 'shared/domain/invoice.ts',
    stored: 'shared/adapters/dynamodb/entities/invoice.ts',
  } as const;
  return {
    'POST /v1/invoices': { useCase: `${invoices}#createInvoice`, ...invoice },
    'GET /v1/invoices': { useCase: `${invoices}#listInvoices`, ...invoice },
    'GET /v1/invoices/{invoiceId}': { useCase: `${invoices}#getInvoice`, ...invoice },
    'POST /v1/invoices/{invoiceId}': { useCase: `${invoices}#editInvoice`, ...invoice },
    'POST /v1/invoices/{invoiceId}/finalize': { useCase: `${invoices}#finalizeInvoice`, ...invoice },
    'POST /v1/invoices/{invoiceId}/pay': { useCase: `${pay}#payInvoice`, ...invoice },
    'POST /v1/invoices/{invoiceId}/void': { useCase: `${invoices}#voidInvoice`, ...invoice },
    'POST /v1/invoices/{invoiceId}/mark_uncollectible': {
      useCase: `${invoices}#markInvoiceUncollectible`,
      ...invoice,
    },
  } as const satisfies Record<string, RouteLinks>;
}
