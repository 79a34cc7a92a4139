/** The ops routes over the webhook inbox: list it by status, replay an event. Both need the `ops` role. */
import { randomIds } from '../../shared/adapters/ids.js';
import { listWebhookEvents, replayWebhookEvent } from '../../shared/app/webhooks/ops.js';
import { cursorCodec } from '../../shared/composition/cursors.js';
import { httpHandler } from '../../shared/composition/http.js';
import { webhookInbox, webhookQueue } from '../../shared/composition/webhooks.js';
import { byRoute } from '../../shared/http/handler.js';
import { ReplayRequest, WebhookEventsQuery } from '../../shared/http/schemas/webhooks.js';
import { webhookEventView } from '../../shared/http/views/webhooks.js';

const deps = { inbox: webhookInbox(), queue: webhookQueue(), ids: randomIds };

const list = httpHandler({ query: WebhookEventsQuery }, async (request) => {
  const { status, limit, cursor } = request.query;
  const page = await listWebhookEvents(
    request.caller().roles,
    { limit, ...(status === undefined ? {} : { status }), ...(cursor === undefined ? {} : { cursor }) },
    { inbox: deps.inbox, cursors: await cursorCodec() },
  );
  return { status: 200, body: { items: page.records.map(webhookEventView), nextCursor: page.nextCursor } };
});

const replay = httpHandler({ body: ReplayRequest }, async (request) => {
  const record = await replayWebhookEvent(request.caller().roles, request.body.eventId, deps);
  return { status: 202, body: { eventId: record.eventId, status: record.status, replayed: true } };
});

export const handler = byRoute('webhookOps', {
  'GET /api/v1/webhooks/events': list,
  'POST /api/v1/webhooks/replay': replay,
});
