/**
 * The WebhookInbox port's contract (shared/app/webhooks/ports.ts), run against InMemoryWebhookInbox and
 * DynamoDbWebhookInbox. The inbox lists across every event in the table, so the listing case receives its
 * events far in the future, where nothing else in a shared table is newer.
 */
import type { ProviderEvent } from '../../shared/app/payments/ports.js';
import { type WebhookInbox, webhookEventId } from '../../shared/app/webhooks/ports.js';
import { at, unique } from './subject.js';

function eventOf(): ProviderEvent {
  return {
    provider: 'stripe',
    id: unique('evt_'),
    type: 'payment_intent.succeeded',
    objectId: unique('pi_'),
    createdAt: at(0),
    payload: {},
  };
}

/** An instant in 2199, `seconds` after a start unique to this run. */
function farFuture(start: number, seconds: number): string {
  return new Date(Date.UTC(2199, 0, 1) + start * 1000 + seconds * 1000).toISOString();
}

export function webhookInboxContract(make: () => { inbox: WebhookInbox }): void {
  describe('Port: WebhookInbox', () => {
    it('stores an event once as received and counts every delivery', async () => {
      const { inbox } = make();
      const event = eventOf();

      const first = await inbox.receive(event, at(1));
      const second = await inbox.receive({ ...event, type: 'other' }, at(2));

      expect(first.isNew).toBe(true);
      expect(first.record).toMatchObject({
        eventId: webhookEventId(event),
        type: event.type,
        status: 'received',
        deliveries: 1,
        failures: 0,
      });
      expect(second.isNew).toBe(false);
      expect(second.record).toMatchObject({ type: event.type, status: 'received', deliveries: 2 });
      expect(await inbox.get(webhookEventId(event))).toEqual(second.record);
    });

    it('settles an event once: the first settlement wins and a later one returns it as stored', async () => {
      const { inbox } = make();
      const event = eventOf();
      await inbox.receive(event, at(1));
      const eventId = webhookEventId(event);

      const processed = await inbox.settle(
        eventId,
        { status: 'processed', outcome: 'topup_completed' },
        at(2),
      );
      const later = await inbox.settle(
        eventId,
        { status: 'ignored', outcome: 'unknown', reason: 'late' },
        at(3),
      );

      expect(processed).toMatchObject({ status: 'processed', outcome: 'topup_completed' });
      expect(later).toEqual(processed);
    });

    it('records a failed attempt only while the event is open', async () => {
      const { inbox } = make();
      const event = eventOf();
      await inbox.receive(event, at(1));
      const eventId = webhookEventId(event);

      await inbox.fail(eventId, 'Error: boom', at(2));
      const failed = await inbox.get(eventId);
      await inbox.settle(eventId, { status: 'processed', outcome: 'payment_completed' }, at(3));
      await inbox.fail(eventId, 'Error: again', at(4));

      expect(failed).toMatchObject({ status: 'failed', failures: 1 });
      expect(await inbox.get(eventId)).toMatchObject({ status: 'processed', failures: 1 });
    });

    it('lists newest first, of one status or of all, page by page', async () => {
      const { inbox } = make();
      const start = Math.floor(Math.random() * 1_000_000) * 10;
      const events = [eventOf(), eventOf(), eventOf()];
      for (const [n, event] of events.entries()) await inbox.receive(event, farFuture(start, n));
      await inbox.settle(
        webhookEventId(events[1] as ProviderEvent),
        { status: 'ignored', outcome: 'x' },
        farFuture(start, 5),
      );
      const newestFirst = [...events].reverse().map(webhookEventId);

      const first = await inbox.list({ limit: 2 });
      const second = await inbox.list({
        limit: 1,
        ...(first.after === undefined ? {} : { after: first.after }),
      });
      const received = await inbox.list({ status: 'received', limit: 2 });

      expect(first.records.map((record) => record.eventId)).toEqual(newestFirst.slice(0, 2));
      expect(first.after).toBeDefined();
      expect(second.records.map((record) => record.eventId)).toEqual(newestFirst.slice(2, 3));
      expect(received.records.map((record) => record.eventId)).toEqual([newestFirst[0], newestFirst[2]]);
    });
  });
}
