/** A merchant's subscriptions (/v1/subscriptions): create, read, list, cancel. */
import {
  cancelSubscription,
  createSubscription,
  getSubscription,
  listSubscriptions,
} from '../../shared/app/subscriptions/subscriptions.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { subscriptionDeps } from '../../shared/composition/subscriptions.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CancelSubscriptionRequest,
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  SubscriptionIdParams,
} from '../../shared/http/schemas/subscriptions.js';
import { subscriptionListView, subscriptionView } from '../../shared/http/views/subscriptions.js';

const create = httpHandler({ body: CreateSubscriptionRequest }, async (request) => ({
  status: 201,
  body: subscriptionView(
    await createSubscription(
      request.merchant(),
      request.body,
      request.idempotencyKey() || undefined,
      subscriptionDeps(),
    ),
  ),
}));

const list = httpHandler({ query: ListSubscriptionsQuery }, async (request) => {
  const page = await listSubscriptions(request.merchant(), request.query, {
    ...subscriptionDeps(),
    cursors: await cursorCodec(),
  });
  return { status: 200, body: subscriptionListView(page.subscriptions, page.nextCursor) };
});

const read = httpHandler({ params: SubscriptionIdParams }, async (request) => ({
  status: 200,
  body: subscriptionView(
    await getSubscription(request.merchant(), request.params.subscriptionId, subscriptionDeps()),
  ),
}));

const cancel = httpHandler(
  { params: SubscriptionIdParams, body: CancelSubscriptionRequest },
  async (request) => ({
    status: 200,
    body: subscriptionView(
      await cancelSubscription(
        request.merchant(),
        request.params.subscriptionId,
        request.body.at_period_end === true,
        subscriptionDeps(),
      ),
    ),
  }),
);

export const handler = byRoute('merchantSubscriptions', {
  'POST /v1/subscriptions': create,
  'GET /v1/subscriptions': list,
  'GET /v1/subscriptions/{subscriptionId}': read,
  'POST /v1/subscriptions/{subscriptionId}/cancel': cancel,
});
