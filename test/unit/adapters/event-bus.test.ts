import { EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgeEventBus } from '../../../shared/adapters/aws/event-bus.js';
import type { OutgoingEvent } from '../../../shared/app/relay-outbox.js';

const BUS = 'tween-payments-test';
const eventBridgeMock = mockClient(EventBridgeClient);
const client = new EventBridgeClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function event(n: number): OutgoingEvent {
  return {
    detailType: 'gift.opened',
    detail: {
      eventId: `gift.opened:g${n}:@bob:tween.example`,
      occurredAt: '2030-01-01T10:00:00.000Z',
      giftId: `g${n}`,
    },
  };
}

const events = (count: number) => Array.from({ length: count }, (_, index) => event(index));
const taken = (count: number): PutEventsResultEntry[] =>
  Array.from({ length: count }, (_, index) => ({ EventId: `bus-${index}` }));

describe('Class: EventBridgeEventBus', () => {
  beforeEach(() => {
    eventBridgeMock.reset();
  });

  describe('Method: put', () => {
    it('puts each event with the service source, its detail-type, its detail as JSON and its time', async () => {
      // Arrange
      eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: taken(1) });
      const bus = new EventBridgeEventBus(client, BUS);

      // Act
      const rejected = await bus.put([event(1)]);

      // Assert
      expect(rejected).toEqual([]);
      expect(eventBridgeMock).toHaveReceivedCommandWith(PutEventsCommand, {
        Entries: [
          {
            EventBusName: BUS,
            Source: 'tween.payments',
            DetailType: 'gift.opened',
            Detail: JSON.stringify(event(1).detail),
            Time: new Date('2030-01-01T10:00:00.000Z'),
          },
        ],
      });
    });

    it('puts 25 events in three calls of at most ten, in order', async () => {
      // Arrange
      eventBridgeMock.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
        FailedEntryCount: 0,
        Entries: taken(input.Entries.length),
      }));
      const bus = new EventBridgeEventBus(client, BUS);

      // Act
      const rejected = await bus.put(events(25));

      // Assert
      expect(rejected).toEqual([]);
      const sizes = eventBridgeMock
        .commandCalls(PutEventsCommand)
        .map((call) => call.args[0].input.Entries?.length);
      expect(sizes).toEqual([10, 10, 5]);
      const giftIds = eventBridgeMock
        .commandCalls(PutEventsCommand)
        .flatMap((call) => call.args[0].input.Entries ?? [])
        .map((entry) => (JSON.parse(entry.Detail ?? '{}') as { giftId: string }).giftId);
      expect(giftIds).toEqual(events(25).map((e) => e.detail.giftId));
    });

    it('returns the entries the bus rejected and every later event as not sent, and sends no further call', async () => {
      // Arrange
      const entries = taken(10);
      entries[3] = { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
      eventBridgeMock
        .on(PutEventsCommand)
        .resolvesOnce({ FailedEntryCount: 0, Entries: taken(10) })
        .resolvesOnce({ FailedEntryCount: 1, Entries: entries });
      const bus = new EventBridgeEventBus(client, BUS);

      // Act
      const rejected = await bus.put(events(25));

      // Assert
      expect(eventBridgeMock).toHaveReceivedCommandTimes(PutEventsCommand, 2);
      expect(rejected[0]).toEqual({ index: 13, reason: 'ThrottlingException: Rate exceeded' });
      expect(rejected.map((rejection) => rejection.index)).toEqual([13, 20, 21, 22, 23, 24]);
    });

    it('counts a whole call as not taken when the failed count names no entry', async () => {
      // Arrange
      eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 2, Entries: taken(3) });
      const bus = new EventBridgeEventBus(client, BUS);

      // Act
      const rejected = await bus.put(events(3));

      // Assert
      expect(rejected.map((rejection) => rejection.index)).toEqual([0, 1, 2]);
    });

    it('counts an entry without an event id as not taken', async () => {
      // Arrange
      eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'bus-0' }] });
      const bus = new EventBridgeEventBus(client, BUS);

      // Act
      const rejected = await bus.put(events(2));

      // Assert
      expect(rejected).toEqual([{ index: 1, reason: 'The bus returned no event id for the entry' }]);
    });

    it('rejects when the bus cannot be reached', async () => {
      // Arrange
      eventBridgeMock.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
      const bus = new EventBridgeEventBus(client, BUS);

      // Act & Assert
      await expect(bus.put(events(1))).rejects.toThrow('ECONNREFUSED');
    });
  });
});
