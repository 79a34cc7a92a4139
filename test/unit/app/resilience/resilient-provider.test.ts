/**
 * ResilientPaymentProvider over a scripted provider and the in-memory breaker store: bounded retries on
 * retryable failures only, the breaker opening after N consecutive failed attempts and failing fast, one
 * trial after the cool-down even when many invocations arrive at once, and verifyWebhook untouched.
 */
import {
  type ResilienceEvent,
  type ResilienceOptions,
  ResilientPaymentProvider,
} from '../../../../shared/app/resilience/resilient-provider.js';
import {
  CircuitOpenError,
  PaymentDeclinedError,
  ProcessorError,
} from '../../../../shared/domain/provider-errors.js';
import { InMemoryBreakerStore } from '../../../support/breaker.js';
import { FAKE_WEBHOOK_HEADERS, FakePaymentProvider } from '../../../support/fakes/payment-provider.js';

const T0 = 1_700_000_000_000;

interface Harness {
  provider: ResilientPaymentProvider;
  inner: FakePaymentProvider;
  store: InMemoryBreakerStore;
  clock: { now: number };
  sleeps: number[];
  events: ResilienceEvent[];
  /** What retrieveCard does next, one entry per call; `ok` when the list runs out. */
  script: ('ok' | 'down' | 'refused' | 'declined')[];
  /** How many times the inner retrieveCard ran. */
  calls: () => number;
}

function harness(options: Partial<ResilienceOptions> = {}): Harness {
  const inner = new FakePaymentProvider().card('pm_card_visa', 'succeeded');
  const store = new InMemoryBreakerStore();
  const clock = { now: T0 };
  const sleeps: number[] = [];
  const events: ResilienceEvent[] = [];
  const script: Harness['script'] = [];
  let calls = 0;
  const original = inner.retrieveCard.bind(inner);
  inner.retrieveCard = async (id: string) => {
    calls += 1;
    switch (script.shift() ?? 'ok') {
      case 'down':
        throw new ProcessorError({ cause: new Error('ECONNREFUSED') });
      case 'refused':
        throw new ProcessorError({ retryable: false });
      case 'declined':
        throw new PaymentDeclinedError('generic_decline');
      case 'ok':
        return original(id);
    }
  };
  const provider = new ResilientPaymentProvider(inner, store, {
    breaker: { failureThreshold: 3, coolDownMs: 30_000 },
    attempts: 3,
    backoff: { baseMs: 100, maxMs: 1_000 },
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    observe: (event) => events.push(event),
    ...options,
  });
  return { provider, inner, store, clock, sleeps, events, script, calls: () => calls };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Class: ResilientPaymentProvider', () => {
  describe('Method: retrieveCard (any provider call)', () => {
    it('returns the answer and writes nothing to the breaker when the provider answers at once', async () => {
      // Arrange
      const h = harness();

      // Act
      const card = await h.provider.retrieveCard('pm_card_visa');

      // Assert
      expect(card.id).toBe('pm_card_visa');
      expect(h.store.writes).toEqual([]);
    });

    it('retries a retryable failure with full-jitter backoff and returns the later success', async () => {
      // Arrange
      const h = harness();
      h.script.push('down', 'down');

      // Act
      const card = await h.provider.retrieveCard('pm_card_visa');

      // Assert
      expect(card.id).toBe('pm_card_visa');
      expect(h.calls()).toBe(3);
      expect(h.sleeps).toEqual([50, 100]); // random 0.5 × min(1000, 100 · 2^(retry-1))
      // The success ends the run of failures.
      expect(h.store.state('stripe')).toEqual({ failures: 0 });
    });

    it('throws the ProcessorError after the bounded attempts when the provider stays down', async () => {
      // Arrange
      const h = harness({ breaker: { failureThreshold: 10, coolDownMs: 30_000 } });
      h.script.push('down', 'down', 'down', 'down');

      // Act
      const error = await failure(h.provider.retrieveCard('pm_card_visa'));

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expect(h.calls()).toBe(3);
      expect(h.store.state('stripe')).toEqual({ failures: 3 });
    });

    it.each([
      ['a decline', 'declined' as const, PaymentDeclinedError],
      ['a refused request', 'refused' as const, ProcessorError],
    ])('neither retries nor counts %s, and resets earlier failures', async (_, outcome, type) => {
      // Arrange
      const h = harness();
      h.store.set('stripe', { failures: 2 });
      h.script.push(outcome);

      // Act
      const error = await failure(h.provider.retrieveCard('pm_card_visa'));

      // Assert
      expect(error).toBeInstanceOf(type);
      expect(h.calls()).toBe(1);
      expect(h.store.state('stripe')).toEqual({ failures: 0 });
    });

    it('opens after the threshold of consecutive failed attempts and stops retrying at once', async () => {
      // Arrange
      const h = harness();
      h.script.push('down', 'down', 'down', 'down');

      // Act
      const error = await failure(h.provider.retrieveCard('pm_card_visa'));

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expect(h.calls()).toBe(3);
      expect(h.store.state('stripe')).toEqual({ failures: 3, openedAt: h.clock.now });
      expect(h.events.filter((e) => e.type === 'opened')).toHaveLength(1);
    });

    it('fails fast with PROCESSOR_ERROR caused by CircuitOpenError, without calling the provider, while open', async () => {
      // Arrange
      const h = harness();
      h.store.set('stripe', { failures: 3, openedAt: T0 });
      h.clock.now = T0 + 29_999;

      // Act
      const error = await failure(h.provider.retrieveCard('pm_card_visa'));

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expect((error as ProcessorError).code).toBe('PROCESSOR_ERROR');
      expect((error as ProcessorError).cause).toBeInstanceOf(CircuitOpenError);
      expect((error as ProcessorError).cause).toMatchObject({ retryAt: T0 + 30_000 });
      expect(h.calls()).toBe(0);
      expect(h.sleeps).toEqual([]);
    });

    it('closes after the cool-down when the trial succeeds', async () => {
      // Arrange
      const h = harness();
      h.store.set('stripe', { failures: 3, openedAt: T0 });
      h.clock.now = T0 + 30_000;

      // Act
      const card = await h.provider.retrieveCard('pm_card_visa');

      // Assert
      expect(card.id).toBe('pm_card_visa');
      expect(h.store.state('stripe')).toEqual({ failures: 0 });
      expect(h.events.map((e) => e.type)).toEqual(['trial', 'closed']);
    });

    it('re-opens for another whole cool-down, without retrying, when the trial fails', async () => {
      // Arrange
      const h = harness();
      h.store.set('stripe', { failures: 3, openedAt: T0 });
      h.clock.now = T0 + 31_000;
      h.script.push('down');

      // Act
      const error = await failure(h.provider.retrieveCard('pm_card_visa'));
      const next = await failure(h.provider.retrieveCard('pm_card_visa'));

      // Assert
      expect(error).toBeInstanceOf(ProcessorError);
      expect(h.calls()).toBe(1);
      expect(h.store.state('stripe')).toEqual({ failures: 4, openedAt: T0 + 31_000 });
      expect((next as ProcessorError).cause).toMatchObject({ retryAt: T0 + 61_000 });
    });

    it('lets exactly one of many concurrent invocations through as the half-open trial', async () => {
      // Arrange: ten invocations (sharing the store, each its own decorator) arrive after the cool-down.
      const h = harness();
      h.store.set('stripe', { failures: 3, openedAt: T0 });
      h.clock.now = T0 + 30_000;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const original = h.inner.retrieveCard.bind(h.inner);
      h.inner.retrieveCard = async (id: string) => {
        await gate; // the trial is still running while the others arrive
        return original(id);
      };
      const invocations = Array.from(
        { length: 10 },
        () =>
          new ResilientPaymentProvider(h.inner, h.store, {
            breaker: { failureThreshold: 3, coolDownMs: 30_000 },
            attempts: 3,
            backoff: { baseMs: 100, maxMs: 1_000 },
            now: () => h.clock.now,
          }),
      );

      // Act
      const answers = invocations.map((provider) =>
        provider.retrieveCard('pm_card_visa').then(
          () => 'ok',
          (error: unknown) => error,
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
      release();
      const settled = await Promise.all(answers);

      // Assert
      expect(settled.filter((answer) => answer === 'ok')).toHaveLength(1);
      const rejected = settled.filter((answer) => answer instanceof ProcessorError);
      expect(rejected).toHaveLength(9);
      expect(h.calls()).toBe(1);
      expect(h.store.writes.filter((w) => w.op === 'open' && w.won)).toHaveLength(1);
      expect(h.store.state('stripe')).toEqual({ failures: 0 });
    });

    it('counts every failure of concurrent invocations and opens the breaker once', async () => {
      // Arrange
      const h = harness({ attempts: 1, breaker: { failureThreshold: 5, coolDownMs: 30_000 } });
      h.script.push(...Array.from({ length: 8 }, () => 'down' as const));

      // Act
      await Promise.all(Array.from({ length: 8 }, () => failure(h.provider.retrieveCard('pm_card_visa'))));

      // Assert
      expect(h.store.state('stripe')).toEqual({ failures: 8, openedAt: T0 });
      expect(h.store.writes.filter((w) => w.op === 'open' && w.won)).toHaveLength(1);
    });
  });

  describe('Method: createPayment', () => {
    it('retries with the same idempotency key, so the provider charges once', async () => {
      // Arrange
      const h = harness();
      const charged: string[] = [];
      const original = h.inner.createPayment.bind(h.inner);
      h.inner.createPayment = async (input) => {
        const payment = await original(input);
        charged.push(payment.id);
        // The first time the card is charged but the answer is lost on the way back.
        if (charged.length === 1) throw new ProcessorError({ cause: new Error('socket hang up') });
        return payment;
      };

      // Act
      const payment = await h.provider.createPayment({
        idempotencyKey: 'tu_1',
        amount: 1_000,
        currency: 'USD',
        paymentMethodId: 'pm_card_visa',
        capture: 'automatic',
      });

      // Assert
      expect(payment.status).toBe('succeeded');
      expect(h.inner.charges().map((c) => c.idempotencyKey)).toEqual(['tu_1', 'tu_1']);
      expect(charged).toEqual([payment.id, payment.id]);
    });
  });

  describe('Method: verifyWebhook', () => {
    it('passes through without asking the breaker, even while it is open', async () => {
      // Arrange
      const h = harness();
      h.store.set('stripe', { failures: 3, openedAt: T0 });
      const body = JSON.stringify({
        id: 'evt_1',
        type: 'payment_intent.succeeded',
        objectId: 'pi_1',
        createdAt: '2026-03-01T12:00:00.000Z',
      });

      // Act
      const event = await h.provider.verifyWebhook(body, FAKE_WEBHOOK_HEADERS);

      // Assert
      expect(event.id).toBe('evt_1');
      expect(h.store.writes).toEqual([]);
    });
  });

  describe('Constructor', () => {
    it('refuses zero attempts', () => {
      expect(
        () =>
          new ResilientPaymentProvider(new FakePaymentProvider(), new InMemoryBreakerStore(), {
            breaker: { failureThreshold: 1, coolDownMs: 1 },
            attempts: 0,
            backoff: { baseMs: 1, maxMs: 1 },
          }),
      ).toThrow('attempts');
    });
  });
});
