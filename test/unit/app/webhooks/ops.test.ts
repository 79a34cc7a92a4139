import { CursorCodec } from '../../../../shared/app/cursor.js';
import type { ProviderEvent } from '../../../../shared/app/payments/ports.js';
import { listWebhookEvents, replayWebhookEvent } from '../../../../shared/app/webhooks/ops.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../../shared/domain/errors.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { InMemoryWebhookInbox } from '../../../support/fakes/webhook-inbox.js';
import { RecordingWebhookQueue } from '../../../support/fakes/webhook-queue.js';

const OPS = ['ops'];
const SECRET = 'a-cursor-secret-of-at-least-32-characters';

function event(id: string, objectId = 'pi_1'): ProviderEvent {
  return {
    provider: 'stripe',
    id,
    type: 'payment_intent.succeeded',
    objectId,
    paymentId: objectId,
    createdAt: '2026-03-01T12:00:00.000Z',
    payload: { id },
  };
}

/** Five events received a second apart (evt_1 first); evt_2 and evt_4 processed, evt_3 failed. */
async function setup() {
  const clock = fixedClock('2026-03-01T12:00:00.000Z');
  const inbox = new InMemoryWebhookInbox();
  for (const id of ['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5']) {
    await inbox.receive(event(id), clock.now().toISOString());
    clock.advance(1_000);
  }
  for (const id of ['stripe:evt_2', 'stripe:evt_4']) {
    await inbox.settle(id, { status: 'processed', outcome: 'topup_completed' }, clock.now().toISOString());
  }
  await inbox.fail('stripe:evt_3', 'UnknownWebhookSubjectError: ...', clock.now().toISOString());
  const queue = new RecordingWebhookQueue();
  const deps = { inbox, queue, cursors: new CursorCodec(SECRET), ids: sequentialIds() };
  return { deps, inbox, queue };
}

describe('Use case: listWebhookEvents', () => {
  it('refuses a caller without the ops role', async () => {
    // Arrange
    const { deps } = await setup();

    // Act & Assert
    await expect(listWebhookEvents(['user'], { limit: 10 }, deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listWebhookEvents([], { limit: 10 }, deps)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('returns the events of one status, newest first', async () => {
    // Arrange
    const { deps } = await setup();

    // Act
    const page = await listWebhookEvents(OPS, { status: 'processed', limit: 10 }, deps);

    // Assert
    expect(page.records.map((record) => record.eventId)).toEqual(['stripe:evt_4', 'stripe:evt_2']);
    expect(page.nextCursor).toBeNull();
  });

  it('pages through every status, newest first, with signed cursors', async () => {
    // Arrange
    const { deps } = await setup();

    // Act
    const first = await listWebhookEvents(OPS, { limit: 2 }, deps);
    const second = await listWebhookEvents(OPS, { limit: 2, cursor: first.nextCursor ?? '' }, deps);
    const third = await listWebhookEvents(OPS, { limit: 2, cursor: second.nextCursor ?? '' }, deps);

    // Assert
    expect([first, second, third].flatMap((page) => page.records.map((record) => record.eventId))).toEqual([
      'stripe:evt_5',
      'stripe:evt_4',
      'stripe:evt_3',
      'stripe:evt_2',
      'stripe:evt_1',
    ]);
    expect(third.nextCursor).toBeNull();
  });

  it("refuses a cursor of another status's listing", async () => {
    // Arrange
    const { deps } = await setup();
    const all = await listWebhookEvents(OPS, { limit: 1 }, deps);

    // Act & Assert
    await expect(
      listWebhookEvents(OPS, { status: 'failed', limit: 1, cursor: all.nextCursor ?? '' }, deps),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('Use case: replayWebhookEvent', () => {
  it('queues the stored event again under a fresh deduplication id', async () => {
    // Arrange
    const { deps, queue } = await setup();

    // Act
    const first = await replayWebhookEvent(OPS, 'stripe:evt_3', deps);
    await replayWebhookEvent(OPS, 'evt_3', deps);

    // Assert
    expect(first).toMatchObject({ eventId: 'stripe:evt_3', status: 'failed' });
    expect(queue.sent).toEqual([
      { event: event('evt_3'), groupId: 'pi_1', deduplicationId: 'stripe:evt_3#replay_1' },
      { event: event('evt_3'), groupId: 'pi_1', deduplicationId: 'stripe:evt_3#replay_2' },
    ]);
  });

  it('answers NOT_FOUND and queues nothing for an event the inbox does not have', async () => {
    // Arrange
    const { deps, queue } = await setup();

    // Act & Assert
    await expect(replayWebhookEvent(OPS, 'stripe:evt_none', deps)).rejects.toBeInstanceOf(NotFoundError);
    expect(queue.sent).toEqual([]);
  });

  it('refuses a caller without the ops role and queues nothing', async () => {
    // Arrange
    const { deps, queue } = await setup();

    // Act & Assert
    await expect(replayWebhookEvent(['user'], 'stripe:evt_3', deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect(queue.sent).toEqual([]);
  });
});
