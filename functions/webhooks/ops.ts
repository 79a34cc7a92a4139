/** The ops routes over the webhook inbox: list it by status, replay an event. Both need the `ops` role. */

import { loadAppSecrets } from '../../shared/adapters/aws/app-secrets.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { CursorCodec } from '../../shared/app/cursor.js';
import { listWebhookEvents, replayWebhookEvent } from '../../shared/app/webhooks/ops.js';
import { httpHandler } from '../../shared/composition/http.js';
import { byRoute } from '../../shared/http/handler.js';
import { ReplayRequest, WebhookEventsQuery } from '../../shared/http/schemas/webhooks.js';
import { webhookEventView } from '../../shared/http/views/webhooks.js';
import { inbox, webhookQueue } from './context.js';

const cursors = new CursorCodec((await loadAppSecrets()).cursorSecret);

const list = httpHandler({ query: WebhookEventsQuery }, async (request) => {
  const { status, limit, cursor } = request.query;
  const page = await listWebhookEvents(
    request.caller().roles,
    { limit, ...(status === undefined ? {} : { status }), ...(cursor === undefined ? {} : { cursor }) },
    { inbox: inbox(), cursors },
  );
  return { status: 200, body: { items: page.records.map(webhookEventView), nextCursor: page.nextCursor } };
});

const replay = httpHandler({ body: ReplayRequest }, async (request) => {
  const record = await replayWebhookEvent(request.caller().roles, request.body.eventId, {
    inbox: inbox(),
    queue: webhookQueue(),
    ids: randomIds,
  });
  return { status: 202, body: { eventId: record.eventId, status: record.status, replayed: true } };
});

export const handler = byRoute('webhookOps', {
  'GET /api/v1/webhooks/events': list,
  'POST /api/v1/webhooks/replay': replay,
});
