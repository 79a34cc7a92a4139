import {
  type BusRejection,
  type EventBus,
  EventRejectedError,
  type OutboxRecord,
  type OutgoingEvent,
  relayOutbox,
} from '../../../shared/app/relay-outbox.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { domainEventId, UnknownDomainEventError } from '../../../shared/domain/events.js';

const ROOM = '!chat:tween.example';
const BOB = '@bob:tween.example';

/** An in-memory bus that keeps what it took and rejects the events it is told to reject. */
class FakeEventBus implements EventBus {
  readonly taken: OutgoingEvent[] = [];
  readonly calls: number[] = [];
  rejectEventIds = new Set<string>();

  async put(events: readonly OutgoingEvent[]): Promise<BusRejection[]> {
    this.calls.push(events.length);
    const rejections: BusRejection[] = [];
    for (const [index, event] of events.entries()) {
      if (rejections.length > 0) {
        rejections.push({ index, reason: 'Not sent: an earlier event was rejected' });
      } else if (this.rejectEventIds.has(String(event.detail.eventId))) {
        rejections.push({ index, reason: 'ThrottlingException: Rate exceeded' });
      } else {
        this.taken.push(event);
      }
    }
    return rejections;
  }
}

function giftOpened(giftId: string, extra: Record<string, unknown> = {}): OutboxRecord {
  return {
    detailType: 'gift.opened',
    detail: {
      eventId: domainEventId('gift.opened', giftId, BOB),
      occurredAt: '2030-01-01T10:00:00.000Z',
      roomId: ROOM,
      giftId,
      userId: BOB,
      amount: 250,
      currency: 'USD',
      remaining: 1,
      ...extra,
    },
  };
}

const idsOf = (events: readonly OutgoingEvent[]) => events.map((event) => event.detail.giftId);

describe('Use case: relayOutbox', () => {
  it('puts every record on the bus in order and reports none failed when all are valid', async () => {
    // Arrange
    const bus = new FakeEventBus();

    // Act
    const outcome = await relayOutbox([giftOpened('g1'), giftOpened('g2'), giftOpened('g3')], bus);

    // Assert
    expect(outcome).toEqual({ relayed: 3, failed: [] });
    expect(idsOf(bus.taken)).toEqual(['g1', 'g2', 'g3']);
    expect(bus.taken[0]?.detailType).toBe('gift.opened');
  });

  it('relays the detail exactly as written, fields the schema does not know included', async () => {
    // Arrange
    const bus = new FakeEventBus();
    const record = giftOpened('g1', { openedVia: 'app' });

    // Act
    await relayOutbox([record], bus);

    // Assert
    expect(bus.taken[0]?.detail).toEqual('detail' in record ? record.detail : undefined);
    expect(bus.taken[0]?.detail).toHaveProperty('openedVia', 'app');
  });

  it('fails a record whose detail breaks its schema, with every record after it, and relays those before it', async () => {
    // Arrange
    const bus = new FakeEventBus();
    const records = [giftOpened('g1'), giftOpened('g2', { amount: '2.50' }), giftOpened('g3')];

    // Act
    const outcome = await relayOutbox(records, bus);

    // Assert
    expect(outcome).toMatchObject({ relayed: 1, failed: [1, 2], cause: { index: 1 } });
    expect(outcome.cause?.error).toBeInstanceOf(ValidationError);
    expect(idsOf(bus.taken)).toEqual(['g1']);
  });

  it('fails a record of a detail-type the service does not define instead of dropping it', async () => {
    // Arrange
    const bus = new FakeEventBus();

    // Act
    const outcome = await relayOutbox([{ detailType: 'gift.regifted', detail: {} }], bus);

    // Assert
    expect(outcome).toMatchObject({ relayed: 0, failed: [0] });
    expect(outcome.cause?.error).toBeInstanceOf(UnknownDomainEventError);
    expect(bus.calls).toEqual([]);
  });

  it('fails a record that could not be read, with the reason it could not', async () => {
    // Arrange
    const bus = new FakeEventBus();
    const unreadable = new Error('Number 12345678901234567890 is greater than Number.MAX_SAFE_INTEGER');

    // Act
    const outcome = await relayOutbox([giftOpened('g1'), { unreadable }], bus);

    // Assert
    expect(outcome).toEqual({ relayed: 1, failed: [1], cause: { index: 1, error: unreadable } });
    expect(idsOf(bus.taken)).toEqual(['g1']);
  });

  it('fails the first record the bus rejects and every record after it, so none overtakes it', async () => {
    // Arrange
    const bus = new FakeEventBus();
    const records = [giftOpened('g1'), giftOpened('g2'), giftOpened('g3')];
    bus.rejectEventIds.add(domainEventId('gift.opened', 'g2', BOB));

    // Act
    const outcome = await relayOutbox(records, bus);

    // Assert
    expect(outcome).toMatchObject({ relayed: 1, failed: [1, 2], cause: { index: 1 } });
    expect(outcome.cause?.error).toBeInstanceOf(EventRejectedError);
    expect(outcome.cause?.error.message).toBe('ThrottlingException: Rate exceeded');
  });

  it('reports the earlier of a bus rejection and an invalid record', async () => {
    // Arrange
    const bus = new FakeEventBus();
    const records = [giftOpened('g1'), giftOpened('g2'), giftOpened('g3', { currency: 'usd' })];
    bus.rejectEventIds.add(domainEventId('gift.opened', 'g1', BOB));

    // Act
    const outcome = await relayOutbox(records, bus);

    // Assert
    expect(outcome).toMatchObject({ relayed: 0, failed: [0, 1, 2], cause: { index: 0 } });
  });

  it('calls the bus not at all for an empty batch', async () => {
    // Arrange
    const bus = new FakeEventBus();

    // Act
    const outcome = await relayOutbox([], bus);

    // Assert
    expect(outcome).toEqual({ relayed: 0, failed: [] });
    expect(bus.calls).toEqual([]);
  });

  it('rejects when the bus cannot be reached, so the whole batch is retried', async () => {
    // Arrange
    const unreachable: EventBus = {
      put: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };

    // Act & Assert
    await expect(relayOutbox([giftOpened('g1')], unreachable)).rejects.toThrow('ECONNREFUSED');
  });
});
