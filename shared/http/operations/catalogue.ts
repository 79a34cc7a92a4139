import type { OperationDoc } from '../operations.js';
import {
  CreatePriceRequest,
  CreateProductRequest,
  ListPricesQuery,
  ListProductsQuery,
  PriceIdParams,
  PriceList,
  PriceResponse,
  ProductIdParams,
  ProductList,
  ProductResponse,
} from '../schemas/catalogue.js';

/** The merchant API's products and prices. */
export const catalogueOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/products': {
    operationId: 'createProduct',
    request: { body: CreateProductRequest },
    responses: { 201: { description: 'The product', schema: ProductResponse } },
  },
  'GET /v1/products': {
    operationId: 'listProducts',
    request: { query: ListProductsQuery },
    responses: { 200: { description: 'One page, newest first', schema: ProductList } },
  },
  'GET /v1/products/{productId}': {
    operationId: 'getProduct',
    request: { params: ProductIdParams },
    responses: {
      200: { description: 'The product', schema: ProductResponse },
      404: {
        description: "NOT_FOUND: no such product of this merchant and mode (another's id answers the same)",
      },
    },
  },
  'POST /v1/prices': {
    operationId: 'createPrice',
    request: { body: CreatePriceRequest },
    responses: {
      201: { description: 'The price', schema: PriceResponse },
      400: {
        description:
          'INVALID_AMOUNT: unit_amount is not a positive integer; UNSUPPORTED_CURRENCY; VALIDATION_ERROR: no such product',
      },
    },
  },
  'GET /v1/prices': {
    operationId: 'listPrices',
    request: { query: ListPricesQuery },
    responses: { 200: { description: 'One page, newest first', schema: PriceList } },
  },
  'GET /v1/prices/{priceId}': {
    operationId: 'getPrice',
    request: { params: PriceIdParams },
    responses: {
      200: { description: 'The price', schema: PriceResponse },
      404: {
        description: "NOT_FOUND: no such price of this merchant and mode (another's id answers the same)",
      },
    },
  },
};
