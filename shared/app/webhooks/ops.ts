import { NotFoundError } from '../../domain/errors.js';
import { assertOps } from '../access.js';
import type { CursorCodec } from '../cursor.js';
import type { Ids } from '../ports.js';
import type { WebhookInbox, WebhookQueue, WebhookRecord, WebhookStatus } from './ports.js';

/**
 * 1. Ops only.
 * 2. One page of the inbox, newest first, of one status or of all; the cursor is signed and bound to the
 *    filter, so a tampered cursor or one from another listing is refused.
 */
export async function listWebhookEvents(
  roles: readonly string[],
  page: { status?: WebhookStatus; limit: number; cursor?: string },
  deps: { inbox: WebhookInbox; cursors: CursorCodec },
): Promise<{ records: WebhookRecord[]; nextCursor: string | null }> {
  assertOps(roles);
  const list = `webhooks:${page.status ?? 'all'}`;
  const after = page.cursor === undefined ? undefined : deps.cursors.decode(list, page.cursor);
  const found = await deps.inbox.list({
    limit: page.limit,
    ...(page.status === undefined ? {} : { status: page.status }),
    ...(after === undefined ? {} : { after }),
  });
  return {
    records: found.records,
    nextCursor: found.after === undefined ? null : deps.cursors.encode(list, found.after),
  };
}

/**
 * 1. Ops only; the event must be in the inbox (by its inbox id, or a Stripe `evt_` id).
 * 2. Queue it again as it came, under a fresh deduplication id so the queue does not drop it. The consumer
 *    decides as for any delivery: an event already processed or ignored changes nothing; a failed one is
 *    applied again.
 */
export async function replayWebhookEvent(
  roles: readonly string[],
  eventId: string,
  deps: { inbox: WebhookInbox; queue: WebhookQueue; ids: Ids },
): Promise<WebhookRecord> {
  assertOps(roles);
  const record = await deps.inbox.get(inboxIdOf(eventId));
  if (record === undefined) throw new NotFoundError('Webhook event');
  await deps.queue.enqueue(record.event, `${record.eventId}#${deps.ids.next('replay_')}`);
  return record;
}

function inboxIdOf(eventId: string): string {
  return eventId.startsWith('evt_') ? `stripe:${eventId}` : eventId;
}
