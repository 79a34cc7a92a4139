/** A merchant's products and prices (/v1/products, /v1/prices): create, read, list. */
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import {
  createPrice,
  createProduct,
  getPrice,
  getProduct,
  listPrices,
  listProducts,
} from '../../shared/app/prices/catalogue.js';
import { catalogue } from '../../shared/composition/catalogue.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { currencies } from '../../shared/composition/settings.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CreatePriceRequest,
  CreateProductRequest,
  ListPricesQuery,
  ListProductsQuery,
  PriceIdParams,
  ProductIdParams,
} from '../../shared/http/schemas/catalogue.js';
import { priceView, productView } from '../../shared/http/views/catalogue.js';
import { listView } from '../../shared/http/views/list.js';

const deps = { catalogue: catalogue(), currencies: currencies(), ids: randomIds, clock: systemClock };

const createProductRoute = httpHandler({ body: CreateProductRequest }, async (request) => ({
  status: 201,
  body: productView(await createProduct(request.merchant(), request.body, request.idempotencyKey(), deps)),
}));

const listProductsRoute = httpHandler({ query: ListProductsQuery }, async (request) => {
  const page = await listProducts(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return { status: 200, body: listView(page.products.map(productView), page.nextCursor) };
});

const readProduct = httpHandler({ params: ProductIdParams }, async (request) => ({
  status: 200,
  body: productView(await getProduct(request.merchant(), request.params.productId, deps)),
}));

const createPriceRoute = httpHandler({ body: CreatePriceRequest }, async (request) => {
  const { product, unit_amount: unitAmount, currency, recurring } = request.body;
  const price = await createPrice(
    request.merchant(),
    { productId: product, unitAmount, currency, recurring },
    request.idempotencyKey(),
    deps,
  );
  return { status: 201, body: priceView(price) };
});

const listPricesRoute = httpHandler({ query: ListPricesQuery }, async (request) => {
  const page = await listPrices(request.merchant(), request.query, { ...deps, cursors: await cursorCodec() });
  return { status: 200, body: listView(page.prices.map(priceView), page.nextCursor) };
});

const readPrice = httpHandler({ params: PriceIdParams }, async (request) => ({
  status: 200,
  body: priceView(await getPrice(request.merchant(), request.params.priceId, deps)),
}));

export const handler = byRoute('merchantCatalogue', {
  'POST /v1/products': createProductRoute,
  'GET /v1/products': listProductsRoute,
  'GET /v1/products/{productId}': readProduct,
  'POST /v1/prices': createPriceRoute,
  'GET /v1/prices': listPricesRoute,
  'GET /v1/prices/{priceId}': readPrice,
});
