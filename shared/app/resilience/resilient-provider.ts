/**
 * Any PaymentProvider, with bounded retries and a circuit breaker whose state every invocation shares.
 *
 * Retrying is safe for every method: each call that changes something carries our own idempotency key
 * (createPayment: the top-up or payment id; createCustomer: one derived from the user; attachCard,
 * confirm/capture/cancel/refund: the key their use case derives),
 * so the processor answers a repeat with the first result and never charges twice; retrievePayment and
 * retrieveCard only read. verifyWebhook is local (no network) and passes straight through.
 *
 * Only retryable failures (a ProcessorError marked retryable: unreachable, timed out, 5xx) are retried and
 * count against the breaker, one count per failed attempt. Any other answer (a decline, an expired card, a
 * refused request) proves the processor is up. An open breaker fails fast with the same ProcessorError a
 * dead processor gives (502 PROCESSOR_ERROR), caused by a CircuitOpenError, without calling it.
 *
 * Within a request's time budget (app/deadline.ts): an attempt that outlives the deadline is abandoned with
 * a retryable ProcessorError caused by a DeadlineExceededError (the adapters also cut their own timeouts to
 * it, so the connection is closed too), and no attempt starts, nor backoff waits, when what is left of the
 * budget is less than the backoff plus `minAttemptMs`. So a request answers before API Gateway's 29 s even
 * when the processor hangs.
 */

import { fullJitterDelay } from '../../domain/backoff.js';
import {
  admit,
  type BreakerPolicy,
  type BreakerState,
  closesAfterSuccess,
  opensAfterFailure,
  phaseOf,
} from '../../domain/circuit-breaker.js';
import { DomainError } from '../../domain/errors.js';
import {
  CircuitOpenError,
  DeadlineExceededError,
  isRetryableProviderFailure,
  ProcessorError,
} from '../../domain/provider-errors.js';
import { budgetSpent, currentDeadline } from '../deadline.js';
import type {
  CardDetails,
  PaymentProvider,
  ProviderEvent,
  ProviderName,
  ProviderPayment,
  ProviderRefund,
  WebhookHeaders,
} from '../payments/ports.js';
import type { BreakerStore } from './ports.js';

export interface ResilienceOptions {
  breaker: BreakerPolicy;
  /** Attempts per call, the first included (1: no retry). */
  attempts: number;
  /** Full-jitter exponential backoff between attempts. */
  backoff: { baseMs: number; maxMs: number };
  /** The least budget worth starting an attempt with (default 500 ms). */
  minAttemptMs?: number;
  /** Epoch milliseconds now. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told what the breaker and the retries do, for logs and metrics. */
  observe?: (event: ResilienceEvent) => void;
}

export type ResilienceEvent =
  | { type: 'retrying'; breaker: string; operation: string; retry: number; delayMs: number }
  | { type: 'opened'; breaker: string; failures: number }
  | { type: 'rejected'; breaker: string; operation: string; retryAt: number }
  | { type: 'trial'; breaker: string; operation: string }
  | { type: 'closed'; breaker: string };

export const DEFAULT_BACKOFF = { baseMs: 200, maxMs: 2_000 };
export const DEFAULT_MIN_ATTEMPT_MS = 500;

/** What admission left the attempt holding: the state it read, and the trial's claim if it won one. */
interface Admitted {
  state: BreakerState;
  /** The `openedAt` this attempt wrote when it claimed the half-open trial. */
  trial?: number;
}

export class ResilientPaymentProvider implements PaymentProvider {
  readonly name: PaymentProvider['name'];
  readonly #inner: PaymentProvider;
  readonly #store: BreakerStore;
  readonly #options: ResilienceOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #minAttemptMs: number;

  constructor(inner: PaymentProvider, store: BreakerStore, options: ResilienceOptions) {
    if (!Number.isInteger(options.attempts) || options.attempts < 1) {
      throw new Error('attempts must be a positive integer');
    }
    if (!Number.isInteger(options.breaker.failureThreshold) || options.breaker.failureThreshold < 1) {
      throw new Error('failureThreshold must be a positive integer');
    }
    this.name = inner.name;
    this.#inner = inner;
    this.#store = store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#minAttemptMs = options.minAttemptMs ?? DEFAULT_MIN_ATTEMPT_MS;
  }

  createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<ProviderPayment> {
    return this.#run('createPayment', () => this.#inner.createPayment(input));
  }

  confirmPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return this.#run('confirmPayment', () => this.#inner.confirmPayment(paymentId, idempotencyKey));
  }

  capturePayment(paymentId: string, idempotencyKey: string, amount?: number): Promise<ProviderPayment> {
    return this.#run('capturePayment', () => this.#inner.capturePayment(paymentId, idempotencyKey, amount));
  }

  cancelPayment(paymentId: string, idempotencyKey: string): Promise<ProviderPayment> {
    return this.#run('cancelPayment', () => this.#inner.cancelPayment(paymentId, idempotencyKey));
  }

  retrievePayment(paymentId: string): Promise<ProviderPayment> {
    return this.#run('retrievePayment', () => this.#inner.retrievePayment(paymentId));
  }

  refund(input: Parameters<PaymentProvider['refund']>[0]): Promise<ProviderRefund> {
    return this.#run('refund', () => this.#inner.refund(input));
  }

  retrieveRefund(paymentId: string, refundId: string): Promise<ProviderRefund> {
    return this.#run('retrieveRefund', () => this.#inner.retrieveRefund(paymentId, refundId));
  }

  retrieveCard(paymentMethodId: string): Promise<CardDetails> {
    return this.#run('retrieveCard', () => this.#inner.retrieveCard(paymentMethodId));
  }

  createCustomer(input: Parameters<PaymentProvider['createCustomer']>[0]): Promise<string> {
    return this.#run('createCustomer', () => this.#inner.createCustomer(input));
  }

  attachCard(input: Parameters<PaymentProvider['attachCard']>[0]): Promise<CardDetails> {
    return this.#run('attachCard', () => this.#inner.attachCard(input));
  }

  providerFor(paymentMethodId: string): ProviderName {
    return this.#inner.providerFor(paymentMethodId);
  }

  verifyWebhook(rawBody: string, headers: WebhookHeaders): Promise<ProviderEvent> {
    return this.#inner.verifyWebhook(rawBody, headers);
  }

  async #run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (budgetSpent(this.#minAttemptMs, this.#now())) {
        throw new ProcessorError({ cause: new DeadlineExceededError(operation) });
      }
      const admitted = await this.#admit(operation);
      let result: T;
      try {
        result = await this.#withinBudget(operation, call);
      } catch (error) {
        if (!isRetryableProviderFailure(error)) {
          // The processor answered (a decline, a refused request): it is up.
          if (error instanceof DomainError) await this.#succeeded(admitted);
          throw error;
        }
        const opened = await this.#failed(admitted);
        // An open breaker would refuse the next attempt anyway: answer with the real failure now.
        if (opened || attempt >= this.#options.attempts) throw error;
        const delayMs = fullJitterDelay(attempt, this.#options.backoff, this.#options.random);
        // No time for the wait and another attempt: answer with the real failure now.
        if (budgetSpent(delayMs + this.#minAttemptMs, this.#now())) throw error;
        this.#options.observe?.({ type: 'retrying', breaker: this.name, operation, retry: attempt, delayMs });
        await this.#sleep(delayMs);
        continue;
      }
      await this.#succeeded(admitted);
      return result;
    }
  }

  /** The call, abandoned with a retryable ProcessorError when the request's deadline passes first. */
  #withinBudget<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const deadline = currentDeadline();
    if (deadline === undefined) return call();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ProcessorError({ cause: new DeadlineExceededError(operation) })),
        Math.max(0, deadline - this.#now()),
      );
      call()
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  }

  /** Lets the attempt through, or throws the fast ProcessorError of an open breaker. */
  async #admit(operation: string): Promise<Admitted> {
    const state = await this.#store.read(this.name);
    const now = this.#now();
    const admission = admit(state, this.#options.breaker, now);
    if (admission.kind === 'call') return { state };
    if (admission.kind === 'trial' && (await this.#store.open(this.name, admission.seen, now))) {
      this.#options.observe?.({ type: 'trial', breaker: this.name, operation });
      return { state, trial: now };
    }
    // Open, or another invocation claimed the trial first (which restarted the cool-down at about now).
    const retryAt = admission.kind === 'reject' ? admission.retryAt : now + this.#options.breaker.coolDownMs;
    this.#options.observe?.({ type: 'rejected', breaker: this.name, operation, retryAt });
    throw new ProcessorError({ cause: new CircuitOpenError(this.name, retryAt) });
  }

  /** Counts the failure; opens the breaker at the threshold or after a failed trial. True when now open. */
  async #failed(admitted: Admitted): Promise<boolean> {
    const counted = await this.#store.addFailure(this.name);
    const now = this.#now();
    if (!opensAfterFailure(counted, this.#options.breaker, admitted.trial !== undefined)) {
      return phaseOf(counted, this.#options.breaker, now) !== 'closed';
    }
    // Of concurrent invocations crossing the threshold exactly one opens it; a failed trial re-opens it from
    // its own claim. A lost race means someone else opened it: it is open all the same.
    if (await this.#store.open(this.name, admitted.trial, now)) {
      this.#options.observe?.({ type: 'opened', breaker: this.name, failures: counted.failures });
    }
    return true;
  }

  /** A trial's success closes the breaker; a success while closed ends a run of failures. */
  async #succeeded(admitted: Admitted): Promise<void> {
    if (!closesAfterSuccess(admitted.state, admitted.trial !== undefined)) return;
    if ((await this.#store.close(this.name, admitted.trial)) && admitted.trial !== undefined) {
      this.#options.observe?.({ type: 'closed', breaker: this.name });
    }
  }
}
