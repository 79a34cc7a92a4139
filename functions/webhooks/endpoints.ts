import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  updateEndpoint,
} from '../../shared/app/webhook-endpoints/endpoints.js';
import { getEvent, listEvents, resendEvent } from '../../shared/app/webhook-endpoints/events.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import {
  deliveryTaskQueue,
  endpointUrls,
  webhookEndpoints,
  webhookEvents,
  webhookSecrets,
} from '../../shared/composition/outbound-webhooks.js';
import { byRoute } from '../../shared/http/handler.js';
import {
  CreateWebhookEndpointRequest,
  EventIdParams,
  ListEventsQuery,
  ListWebhookQuery,
  ResendEventRequest,
  UpdateWebhookEndpointRequest,
  WebhookEndpointIdParams,
} from '../../shared/http/schemas/outbound-webhooks.js';
import { listView } from '../../shared/http/views/list.js';
import {
  deletedWebhookEndpointView,
  eventView,
  webhookDeliveryView,
  webhookEndpointView,
} from '../../shared/http/views/outbound-webhooks.js';

const endpoints = webhookEndpoints();
const deps = { endpoints, urls: endpointUrls, ids: randomIds, clock: systemClock };
/** The secrets and the queue are built on first use: a read never needs KMS or SQS. */
const writeDeps = () => ({ ...deps, secrets: webhookSecrets() });
const eventDeps = () => ({ events: webhookEvents(), endpoints, queue: deliveryTaskQueue() });

const create = httpHandler({ body: CreateWebhookEndpointRequest }, async (request) => {
  const { url, enabled_events: enabledEvents, description } = request.body;
  const input = { url, enabledEvents, description };
  const created = await createEndpoint(request.merchant(), input, request.idempotencyKey(), writeDeps());
  return { status: 201, body: webhookEndpointView(created.endpoint, created.secret) };
});

const list = httpHandler({ query: ListWebhookQuery }, async (request) => {
  const page = await listEndpoints(request.merchant(), request.query, {
    ...deps,
    cursors: await cursorCodec(),
  });
  return {
    status: 200,
    body: listView(
      page.endpoints.map((e) => webhookEndpointView(e)),
      page.nextCursor,
    ),
  };
});

const read = httpHandler({ params: WebhookEndpointIdParams }, async (request) => ({
  status: 200,
  body: webhookEndpointView(await getEndpoint(request.merchant(), request.params.endpointId, deps)),
}));

const update = httpHandler(
  { params: WebhookEndpointIdParams, body: UpdateWebhookEndpointRequest },
  async (request) => {
    const { enabled_events: enabledEvents, ...rest } = request.body;
    const changes = { ...rest, enabledEvents };
    const endpoint = await updateEndpoint(request.merchant(), request.params.endpointId, changes, deps);
    return { status: 200, body: webhookEndpointView(endpoint) };
  },
);

const remove = httpHandler({ params: WebhookEndpointIdParams }, async (request) => ({
  status: 200,
  body: deletedWebhookEndpointView(await deleteEndpoint(request.merchant(), request.params.endpointId, deps)),
}));

const deliveries = httpHandler(
  { params: WebhookEndpointIdParams, query: ListWebhookQuery },
  async (request) => {
    const page = await listDeliveries(request.merchant(), request.params.endpointId, request.query, {
      ...deps,
      cursors: await cursorCodec(),
    });
    return { status: 200, body: listView(page.attempts.map(webhookDeliveryView), page.nextCursor) };
  },
);

const events = httpHandler({ query: ListEventsQuery }, async (request) => {
  const page = await listEvents(request.merchant(), request.query, {
    events: webhookEvents(),
    cursors: await cursorCodec(),
  });
  return { status: 200, body: listView(page.events.map(eventView), page.nextCursor) };
});

const event = httpHandler({ params: EventIdParams }, async (request) => ({
  status: 200,
  body: eventView(await getEvent(request.merchant(), request.params.eventId, { events: webhookEvents() })),
}));

const resend = httpHandler({ params: EventIdParams, body: ResendEventRequest }, async (request) => ({
  status: 202,
  body: eventView(
    await resendEvent(request.merchant(), request.params.eventId, request.body.endpoint, eventDeps()),
  ),
}));

export const handler = byRoute('webhookEndpoints', {
  'POST /v1/webhook_endpoints': create,
  'GET /v1/webhook_endpoints': list,
  'GET /v1/webhook_endpoints/{endpointId}': read,
  'POST /v1/webhook_endpoints/{endpointId}': update,
  'DELETE /v1/webhook_endpoints/{endpointId}': remove,
  'GET /v1/webhook_endpoints/{endpointId}/deliveries': deliveries,
  'GET /v1/events': events,
  'GET /v1/events/{eventId}': event,
  'POST /v1/events/{eventId}/resend': resend,
});
