/**
 * The route table: the one list of HTTP routes. CDK creates an API Gateway route per entry (with the JWT
 * authorizer unless `auth` says otherwise); the local HTTP API dispatches on the same entries; the OpenAPI
 * document is generated from them.
 */
import type { FunctionName } from './functions.js';
import type { RouteDefinition } from './route-definition.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { checkoutRoutes } from './routes/checkout.js';
import { customersRoutes } from './routes/customers.js';
import { docsRoutes } from './routes/docs.js';
import { giftsRoutes } from './routes/gifts.js';
import { healthRoutes } from './routes/health.js';
import { invoiceDocumentsRoutes } from './routes/invoice-documents.js';
import { invoicesRoutes } from './routes/invoices.js';
import { kycRoutes } from './routes/kyc.js';
import { merchantApiRoutes } from './routes/merchant-api.js';
import { merchantsRoutes } from './routes/merchants.js';
import { mfaRoutes } from './routes/mfa.js';
import { notificationsRoutes } from './routes/notifications.js';
import { outboundWebhookRoutes } from './routes/outbound-webhooks.js';
import { p2pRoutes } from './routes/p2p.js';
import { paymentIntentsRoutes } from './routes/payment-intents.js';
import { paymentsRoutes } from './routes/payments.js';
import { payoutsRoutes } from './routes/payouts.js';
import { refundsRoutes } from './routes/refunds.js';
import { subscriptionsRoutes } from './routes/subscriptions.js';
import { walletsRoutes } from './routes/wallets.js';
import { webhooksRoutes } from './routes/webhooks.js';

export type { HttpMethod, RouteDefinition } from './route-definition.js';

const routeTable = [
  ...healthRoutes,
  ...docsRoutes,
  ...walletsRoutes,
  ...paymentsRoutes,
  ...mfaRoutes,
  ...p2pRoutes,
  ...giftsRoutes,
  ...webhooksRoutes,
  ...paymentIntentsRoutes,
  ...refundsRoutes,
  ...payoutsRoutes,
  ...customersRoutes,
  ...kycRoutes,
  ...merchantsRoutes,
  ...merchantApiRoutes,
  ...outboundWebhookRoutes,
  ...notificationsRoutes,
  ...catalogueRoutes,
  ...subscriptionsRoutes,
  ...invoicesRoutes,
  ...invoiceDocumentsRoutes,
  ...checkoutRoutes,
] as const satisfies readonly RouteDefinition[];

/** The route table, entry by entry (iterate this one; the types below keep each entry's literals). */
export const routes: readonly RouteDefinition[] = routeTable;

/** One entry of the route table, with its literal method, path and function. */
export type Route = (typeof routeTable)[number];

/** The API Gateway route key of a route: `POST /wallet/v1/p2p/{transferId}/accept`. */
export type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;

/** Every route key of the route table: a key that is not in it does not compile. */
export type RouteKey = RouteKeyOf<Route>;

/** The route keys `fn` serves. */
export type RouteKeyOfFunction<F extends FunctionName> = RouteKeyOf<Extract<Route, { fn: F }>>;

/** `{method: 'GET', path: '/payments/v1/{id}'}` → `GET /payments/v1/{id}`: the API Gateway route key. */
export function routeKey<R extends Pick<RouteDefinition, 'method' | 'path'>>(
  route: R,
): string extends R['path'] ? string : RouteKeyOf<R> {
  return `${route.method} ${route.path}` as string extends R['path'] ? string : RouteKeyOf<R>;
}
