import { jest } from '@jest/globals';
import type { EventBridgeEvent } from 'aws-lambda';
import { AwsServiceError } from '../../../local/aws-json.js';
import { LocalEventBus } from '../../../local/eventbridge/bus.js';
import { LocalLambda } from '../../../local/lambda.js';
import { Counters } from '../../../local/metrics.js';
import type { RuleDefinition } from '../../../shared/infra/events.js';

type BusEvent = EventBridgeEvent<string, unknown>;

const BUS = 'tween-payments-test';

const rules: readonly RuleDefinition[] = [
  {
    name: 'audit-tween-events',
    description: 'Every tween.* event to the audit function',
    pattern: { source: [{ prefix: 'tween.' }] },
    target: 'eventsAudit',
  },
  {
    name: 'large-payments',
    description: 'Completed payments above 1000 to the health function (any target will do)',
    pattern: { 'detail-type': ['PaymentCompleted'], detail: { amount: [{ numeric: ['>', 1000] }] } },
    target: 'health',
  },
];

interface Harness {
  bus: LocalEventBus;
  counters: Counters;
  received: Record<string, BusEvent[]>;
  /** Makes the named target fail this many times before it succeeds. */
  failFirst: (target: string, times: number) => void;
}

function harness(ruleList: readonly RuleDefinition[] = rules): Harness {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  const received: Record<string, BusEvent[]> = {};
  const failures: Record<string, number> = {};
  for (const name of ['eventsAudit', 'health']) {
    received[name] = [];
    lambda.register(name, {
      memoryMb: 128,
      timeoutSeconds: 5,
      load: async () => async (event) => {
        const remaining = failures[name] ?? 0;
        if (remaining > 0) {
          failures[name] = remaining - 1;
          throw new Error('target is not ready');
        }
        received[name]?.push(event as BusEvent);
        return null;
      },
    });
  }
  return {
    bus: new LocalEventBus(BUS, ruleList, lambda, counters),
    counters,
    received,
    failFirst: (target, times) => {
      failures[target] = times;
    },
  };
}

/** Waits until no delivery is pending, without closing the bus (closing stops retries). */
async function settled(bus: LocalEventBus, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (bus.deliveries().some((delivery) => delivery.status === 'pending')) {
    if (Date.now() > deadline) throw new Error('deliveries did not settle');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Class: LocalEventBus', () => {
  describe('Method: putEvents', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('returns one EventId per entry and no failures when every entry is valid', async () => {
      // Arrange
      const { bus, counters } = harness();

      // Act
      const result = bus.putEvents([
        { Source: 'tween.payments', DetailType: 'PaymentCompleted', Detail: '{"amount":5}' },
        { Source: 'tween.wallet', DetailType: 'TopUpCredited', Detail: { amount: 7 } },
      ]);
      await bus.close();

      // Assert
      expect(result.FailedEntryCount).toBe(0);
      expect(result.Entries).toHaveLength(2);
      for (const entry of result.Entries) expect(entry.EventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.Entries[0]?.EventId).not.toBe(result.Entries[1]?.EventId);
      expect(counters.snapshot().eventsPut).toBe(2);
    });

    it('delivers the event to the rule target in the EventBridge event shape', async () => {
      // Arrange
      const { bus, received } = harness();

      // Act
      const result = bus.putEvents([
        {
          Source: 'tween.payments',
          DetailType: 'PaymentCompleted',
          Detail: JSON.stringify({ paymentId: 'pay_1', amount: 500 }),
          Resources: ['arn:tween:payment/pay_1'],
          Time: '2030-01-02T03:04:05.678Z',
        },
      ]);
      await bus.close();

      // Assert
      expect(received.eventsAudit).toEqual([
        {
          version: '0',
          id: result.Entries[0]?.EventId,
          'detail-type': 'PaymentCompleted',
          source: 'tween.payments',
          account: '000000000000',
          time: '2030-01-02T03:04:05Z',
          region: 'us-east-1',
          resources: ['arn:tween:payment/pay_1'],
          detail: { paymentId: 'pay_1', amount: 500 },
        },
      ]);
    });

    it('reads a numeric Time as seconds since the epoch', async () => {
      // Arrange
      const { bus } = harness();

      // Act
      bus.putEvents([{ Source: 'other.app', DetailType: 'Tick', Detail: '{}', Time: 1_893_456_000 }]);
      await bus.close();

      // Assert
      expect(bus.recentEvents()[0]?.time).toBe('2030-01-01T00:00:00Z');
    });

    it('delivers an event to every rule it matches and to no other', async () => {
      // Arrange
      const { bus, received } = harness();

      // Act
      bus.putEvents([
        { Source: 'tween.payments', DetailType: 'PaymentCompleted', Detail: '{"amount":5000}' },
        { Source: 'tween.payments', DetailType: 'PaymentCompleted', Detail: '{"amount":10}' },
      ]);
      await bus.close();

      // Assert
      expect(received.eventsAudit).toHaveLength(2);
      expect(received.health?.map((event) => event.detail)).toEqual([{ amount: 5000 }]);
      expect(bus.deliveries().map((delivery) => [delivery.rule, delivery.status])).toEqual([
        ['audit-tween-events', 'delivered'],
        ['large-payments', 'delivered'],
        ['audit-tween-events', 'delivered'],
      ]);
    });

    it('does not deliver an event that matches no rule, but still accepts it', async () => {
      // Arrange
      const { bus, received } = harness();

      // Act
      const result = bus.putEvents([{ Source: 'partner.shop', DetailType: 'OrderPlaced', Detail: '{}' }]);
      await bus.close();

      // Assert
      expect(result.FailedEntryCount).toBe(0);
      expect(received.eventsAudit).toEqual([]);
      expect(received.health).toEqual([]);
      expect(bus.deliveries()).toEqual([]);
      expect(bus.recentEvents()).toHaveLength(1);
    });

    it('retries a target that fails twice and then marks the delivery delivered after 3 attempts', async () => {
      // Arrange
      const { bus, received, failFirst } = harness();
      failFirst('eventsAudit', 2);

      // Act
      const result = bus.putEvents([{ Source: 'tween.payments', DetailType: 'PaymentFailed', Detail: '{}' }]);
      await settled(bus);

      // Assert
      expect(bus.deliveries()).toEqual([
        {
          eventId: result.Entries[0]?.EventId,
          rule: 'audit-tween-events',
          target: 'eventsAudit',
          status: 'delivered',
          attempts: 3,
        },
      ]);
      expect(received.eventsAudit).toHaveLength(1);
      await bus.close();
    });

    it('marks a delivery failed after the first attempt and every retry fail', async () => {
      // Arrange
      const { bus, received, failFirst } = harness();
      failFirst('eventsAudit', 10);
      jest.useFakeTimers();

      // Act
      bus.putEvents([{ Source: 'tween.payments', DetailType: 'PaymentFailed', Detail: '{}' }]);
      await jest.advanceTimersByTimeAsync(100 + 500 + 2_000);
      jest.useRealTimers();

      // Assert
      expect(bus.deliveries()[0]).toMatchObject({ status: 'failed', attempts: 4 });
      expect(received.eventsAudit).toEqual([]);
      await bus.close();
    });

    it.each([
      ['Source', { DetailType: 'PaymentCompleted', Detail: '{}' }],
      ['DetailType', { Source: 'tween.payments', Detail: '{}' }],
      ['Detail', { Source: 'tween.payments', DetailType: 'PaymentCompleted' }],
    ])(
      'returns an InvalidArgument entry and FailedEntryCount 1 when %s is missing',
      async (_field, entry) => {
        // Arrange
        const { bus, received, counters } = harness();

        // Act
        const result = bus.putEvents([entry, { Source: 'tween.payments', DetailType: 'Ok', Detail: '{}' }]);
        await bus.close();

        // Assert
        expect(result.FailedEntryCount).toBe(1);
        expect(result.Entries[0]).toMatchObject({ ErrorCode: 'InvalidArgument' });
        expect(result.Entries[0]).not.toHaveProperty('EventId');
        expect(result.Entries[1]?.EventId).toEqual(expect.any(String));
        expect(received.eventsAudit).toHaveLength(1);
        expect(counters.snapshot().eventsPut).toBe(1);
      },
    );

    it('returns a ResourceNotFoundException entry when the entry names another bus', async () => {
      // Arrange
      const { bus, received } = harness();

      // Act
      const result = bus.putEvents([
        { Source: 'tween.payments', DetailType: 'PaymentCompleted', Detail: '{}', EventBusName: 'default' },
      ]);
      await bus.close();

      // Assert
      expect(result.FailedEntryCount).toBe(1);
      expect(result.Entries[0]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
      expect(received.eventsAudit).toEqual([]);
    });

    it('accepts an entry that names the bus by its name or by its ARN', async () => {
      // Arrange
      const { bus, received } = harness();

      // Act
      const result = bus.putEvents([
        { Source: 'tween.payments', DetailType: 'A', Detail: '{}', EventBusName: BUS },
        { Source: 'tween.payments', DetailType: 'B', Detail: '{}', EventBusName: bus.arn },
      ]);
      await bus.close();

      // Assert
      expect(result.FailedEntryCount).toBe(0);
      expect(received.eventsAudit?.map((event) => event['detail-type'])).toEqual(['A', 'B']);
    });
  });

  describe('Method: service', () => {
    it('returns the PutEvents answer for the PutEvents operation', async () => {
      // Arrange
      const { bus, received } = harness();

      // Act
      const answer = await bus.service('PutEvents', {
        Entries: [{ Source: 'tween.payments', DetailType: 'PaymentCompleted', Detail: '{"a":1}' }],
      });
      await bus.close();

      // Assert
      expect(answer).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
      expect(received.eventsAudit?.[0]?.detail).toEqual({ a: 1 });
    });

    it('returns the bus name and ARN for DescribeEventBus by name', async () => {
      // Arrange
      const { bus } = harness();

      // Act
      const answer = await bus.service('DescribeEventBus', { Name: BUS });

      // Assert
      expect(answer).toEqual({ Name: BUS, Arn: `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}` });
    });

    it('returns the bus for DescribeEventBus by ARN and without a name', async () => {
      // Arrange
      const { bus } = harness();

      // Act
      const byArn = await bus.service('DescribeEventBus', { Name: bus.arn });
      const unnamed = await bus.service('DescribeEventBus', {});

      // Assert
      expect(byArn).toEqual({ Name: BUS, Arn: bus.arn });
      expect(unnamed).toEqual({ Name: BUS, Arn: bus.arn });
    });

    it('throws ResourceNotFoundException for DescribeEventBus of another bus', async () => {
      // Arrange
      const { bus } = harness();

      // Act & Assert
      await expect(bus.service('DescribeEventBus', { Name: 'nope' })).rejects.toMatchObject({
        code: 'ResourceNotFoundException',
      });
    });

    it('throws UnknownOperationException for an operation the local bus does not offer', async () => {
      // Arrange
      const { bus } = harness();

      // Act
      const failure = bus.service('PutRule', { Name: 'x' });

      // Assert
      await expect(failure).rejects.toBeInstanceOf(AwsServiceError);
      await expect(failure).rejects.toMatchObject({ code: 'UnknownOperationException' });
    });
  });

  describe('Method: close', () => {
    it('waits for the deliveries under way before it resolves', async () => {
      // Arrange
      const counters = new Counters();
      const lambda = new LocalLambda(counters);
      const finished: string[] = [];
      lambda.register('eventsAudit', {
        memoryMb: 128,
        timeoutSeconds: 5,
        load: async () => async (event) => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          finished.push((event as BusEvent).id);
          return null;
        },
      });
      const bus = new LocalEventBus(BUS, rules.slice(0, 1), lambda, counters);
      const result = bus.putEvents([{ Source: 'tween.payments', DetailType: 'Slow', Detail: '{}' }]);

      // Act
      await bus.close();

      // Assert
      expect(finished).toEqual([result.Entries[0]?.EventId]);
      expect(bus.deliveries()[0]?.status).toBe('delivered');
    });

    it('accepts but no longer delivers events put after close', async () => {
      // Arrange
      const { bus, received } = harness();
      await bus.close();

      // Act
      const result = bus.putEvents([{ Source: 'tween.payments', DetailType: 'Late', Detail: '{}' }]);

      // Assert
      expect(result.FailedEntryCount).toBe(0);
      expect(bus.deliveries()).toEqual([]);
      expect(received.eventsAudit).toEqual([]);
    });
  });

  describe('constructor', () => {
    it('throws at construction when a rule uses an operator the local matcher does not implement', () => {
      // Arrange
      const counters = new Counters();
      const unsupported = [
        {
          name: 'suffix',
          description: 'Uses suffix',
          pattern: JSON.parse('{"source":[{"suffix":".payments"}]}'),
          target: 'eventsAudit',
        },
      ] satisfies RuleDefinition[];

      // Act & Assert
      expect(() => new LocalEventBus(BUS, unsupported, new LocalLambda(counters), counters)).toThrow(
        /unsupported operator "suffix"/,
      );
    });
  });
});
