/**
 * The local event bus's dead letters: a delivery that failed every retry is kept (as the target's dead-letter
 * queue keeps it on AWS) until a redrive delivers it again, rather than being lost with the capped views.
 */
import { jest } from '@jest/globals';
import { LocalEventBus } from '../../../local/eventbridge/bus.js';
import { LocalLambda } from '../../../local/lambda.js';
import { Counters } from '../../../local/metrics.js';
import type { RuleDefinition } from '../../../shared/infra/events.js';

const rules: readonly RuleDefinition[] = [
  {
    name: 'to-publisher',
    description: 'Every tween.* event to the publisher',
    pattern: { source: [{ prefix: 'tween.' }] },
    target: 'matrixPublisher',
  },
];

/** A bus whose one target fails while `down` says so. */
function harness() {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  const state = { down: true, received: [] as string[] };
  lambda.register('matrixPublisher', {
    memoryMb: 128,
    timeoutSeconds: 5,
    load: async () => async (event) => {
      if (state.down) throw new Error('homeserver unavailable');
      state.received.push((event as { id: string }).id);
      return null;
    },
  });
  return { bus: new LocalEventBus('test-bus', rules, lambda, counters), state };
}

const RETRY_WINDOW_MS = 100 + 500 + 2_000;

describe('Class: LocalEventBus', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('Method: deadLetters', () => {
    it('keeps the event of a delivery that failed every attempt', async () => {
      // Arrange
      const { bus } = harness();
      jest.useFakeTimers();

      // Act
      const put = bus.putEvents([{ Source: 'tween.payments', DetailType: 'gift.created', Detail: '{}' }]);
      await jest.advanceTimersByTimeAsync(RETRY_WINDOW_MS);

      // Assert
      expect(bus.deadLetters()).toEqual([
        {
          event: expect.objectContaining({ id: put.Entries[0]?.EventId, 'detail-type': 'gift.created' }),
          delivery: expect.objectContaining({ status: 'failed', attempts: 4, target: 'matrixPublisher' }),
        },
      ]);
      await bus.close();
    });
  });

  describe('Method: redrive', () => {
    it('delivers every dead letter once the target works again, and keeps none', async () => {
      // Arrange
      const { bus, state } = harness();
      jest.useFakeTimers();
      const put = bus.putEvents([
        { Source: 'tween.payments', DetailType: 'p2p.completed', Detail: '{}' },
        { Source: 'tween.payments', DetailType: 'p2p.expired', Detail: '{}' },
      ]);
      await jest.advanceTimersByTimeAsync(RETRY_WINDOW_MS);
      state.down = false;

      // Act
      const redriven = bus.redrive();
      await jest.advanceTimersByTimeAsync(10);

      // Assert
      expect(redriven).toBe(2);
      expect(state.received.sort()).toEqual(put.Entries.map((entry) => entry.EventId).sort());
      expect(bus.deadLetters()).toEqual([]);
      expect(bus.deliveries().map((delivery) => [delivery.status, delivery.attempts])).toEqual([
        ['delivered', 5],
        ['delivered', 5],
      ]);
      await bus.close();
    });

    it('keeps a redriven event as a dead letter again when its target still fails', async () => {
      // Arrange
      const { bus } = harness();
      jest.useFakeTimers();
      bus.putEvents([{ Source: 'tween.payments', DetailType: 'gift.opened', Detail: '{}' }]);
      await jest.advanceTimersByTimeAsync(RETRY_WINDOW_MS);

      // Act
      bus.redrive();
      await jest.advanceTimersByTimeAsync(RETRY_WINDOW_MS);

      // Assert
      expect(bus.deadLetters()).toHaveLength(1);
      expect(bus.deadLetters()[0]?.delivery).toMatchObject({ status: 'failed', attempts: 8 });
      await bus.close();
    });
  });
});
