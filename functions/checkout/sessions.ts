/** A merchant's checkout sessions (/v1/checkout/sessions): create, read, list, expire. */
import {
  createCheckoutSession,
  expireCheckoutSession,
  getCheckoutSession,
  listCheckoutSessions,
} from '../../shared/app/checkout/sessions.js';
import { checkoutDeps } from '../../shared/composition/checkout.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CheckoutSessionIdParams,
  CreateCheckoutSessionRequest,
  ListCheckoutSessionsQuery,
} from '../../shared/http/schemas/checkout.js';
import {
  checkoutPagePath,
  checkoutSessionListView,
  checkoutSessionView,
} from '../../shared/http/views/checkout.js';

const deps = checkoutDeps();

const create = httpHandler({ body: CreateCheckoutSessionRequest }, async (request) => {
  const { body } = request;
  const session = await createCheckoutSession(
    request.merchant(),
    {
      mode: body.mode,
      lineItems: body.line_items.map((line) => ({ priceId: line.price, quantity: line.quantity })),
      successUrl: body.success_url,
      cancelUrl: body.cancel_url,
      customerEmail: body.customer_email,
      customerId: body.customer,
    },
    deps,
  );
  return {
    status: 200,
    body: checkoutSessionView(session, request.url(checkoutPagePath(session.sessionId))),
  };
});

const list = httpHandler({ query: ListCheckoutSessionsQuery }, async (request) => {
  const page = await listCheckoutSessions(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  const urlOf = (session: { sessionId: string }) => request.url(checkoutPagePath(session.sessionId));
  return { status: 200, body: checkoutSessionListView(page.sessions, urlOf, page.nextCursor) };
});

const read = httpHandler({ params: CheckoutSessionIdParams }, async (request) => {
  const session = await getCheckoutSession(request.merchant(), request.params.sessionId, deps);
  return {
    status: 200,
    body: checkoutSessionView(session, request.url(checkoutPagePath(session.sessionId))),
  };
});

const expire = httpHandler({ params: CheckoutSessionIdParams }, async (request) => ({
  status: 200,
  body: checkoutSessionView(
    await expireCheckoutSession(request.merchant(), request.params.sessionId, deps),
    null,
  ),
}));

export const handler = byRoute('merchantCheckout', {
  'POST /v1/checkout/sessions': create,
  'GET /v1/checkout/sessions': list,
  'GET /v1/checkout/sessions/{sessionId}': read,
  'POST /v1/checkout/sessions/{sessionId}/expire': expire,
});
