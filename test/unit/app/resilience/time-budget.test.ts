/**
 * Time budgets (issue #13, item 5): every provider call made while serving a request ends with the
 * request's deadline, and no retry starts that the budget cannot hold. A processor that hangs is abandoned
 * at the deadline, once; the Matrix homeserver's attempt is aborted at it; the HTTP pipeline derives the
 * deadline from the function's remaining time, never past API Gateway's 29 s.
 */
import { jest } from '@jest/globals';
import {
  HomeserverUnavailableError,
  MatrixClientServerApi,
} from '../../../../shared/adapters/matrix/client.js';
import { timeLeft, withDeadline } from '../../../../shared/app/deadline.js';
import { ResilientPaymentProvider } from '../../../../shared/app/resilience/resilient-provider.js';
import { DeadlineExceededError, ProcessorError } from '../../../../shared/domain/provider-errors.js';
import { InMemoryBreakerStore } from '../../../support/breaker.js';
import { FakePaymentProvider } from '../../../support/fakes/payment-provider.js';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { requestDeadline } = await import('../../../../shared/http/handler.js');

const T0 = 1_700_000_000_000;
const BUDGET_MS = 2_000;

/** A provider whose retrieveCard does what `attempt` says, counting the calls. */
function scripted(attempt: () => Promise<never>) {
  const inner = new FakePaymentProvider();
  let calls = 0;
  inner.retrieveCard = () => {
    calls += 1;
    return attempt();
  };
  const provider = new ResilientPaymentProvider(inner, new InMemoryBreakerStore(), {
    breaker: { failureThreshold: 5, coolDownMs: 30_000 },
    attempts: 3,
    backoff: { baseMs: 200, maxMs: 2_000 },
    random: () => 0.5,
  });
  return { provider, calls: () => calls };
}

/** Settles to the error (or 'resolved'), and says meanwhile whether it has settled. */
function watch(promise: Promise<unknown>) {
  const state: { settled: boolean; outcome?: unknown } = { settled: false };
  promise.then(
    () => Object.assign(state, { settled: true, outcome: 'resolved' }),
    (error: unknown) => Object.assign(state, { settled: true, outcome: error }),
  );
  return state;
}

describe('Class: ResilientPaymentProvider (time budget)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('abandons a hanging call at the deadline with a ProcessorError and starts no retry after it', async () => {
    // Arrange
    const { provider, calls } = scripted(() => new Promise<never>(() => undefined));

    // Act
    const call = watch(withDeadline(T0 + BUDGET_MS, () => provider.retrieveCard('pm_card_visa')));
    await jest.advanceTimersByTimeAsync(BUDGET_MS - 1);
    const settledBeforeDeadline = call.settled;
    await jest.advanceTimersByTimeAsync(1);
    const settledAtDeadline = call.settled;
    await jest.advanceTimersByTimeAsync(60_000);

    // Assert
    expect(settledBeforeDeadline).toBe(false);
    expect(settledAtDeadline).toBe(true);
    expect(call.outcome).toBeInstanceOf(ProcessorError);
    expect((call.outcome as ProcessorError).cause).toBeInstanceOf(DeadlineExceededError);
    expect(calls()).toBe(1);
  });

  it('answers with the failure at once when the budget cannot hold the backoff and another attempt', async () => {
    // Arrange: each attempt fails as an outage after 1.5 s, so 0.5 s are left after the first.
    const outage = new ProcessorError({ cause: new Error('ECONNRESET') });
    const { provider, calls } = scripted(
      () => new Promise<never>((_resolve, reject) => setTimeout(() => reject(outage), 1_500)),
    );

    // Act
    const call = watch(withDeadline(T0 + BUDGET_MS, () => provider.retrieveCard('pm_card_visa')));
    await jest.advanceTimersByTimeAsync(1_500);
    const settledAfterFirstFailure = call.settled;
    await jest.advanceTimersByTimeAsync(60_000);

    // Assert
    expect(settledAfterFirstFailure).toBe(true);
    expect(call.outcome).toBe(outage);
    expect(calls()).toBe(1);
  });

  it('retries as many times as configured when no budget is set', async () => {
    // Arrange
    const { provider, calls } = scripted(() =>
      Promise.reject(new ProcessorError({ cause: new Error('ECONNREFUSED') })),
    );

    // Act
    const call = watch(provider.retrieveCard('pm_card_visa'));
    await jest.advanceTimersByTimeAsync(60_000);

    // Assert
    expect(call.outcome).toBeInstanceOf(ProcessorError);
    expect(calls()).toBe(3);
  });

  it('starts no attempt at all when the budget is already spent', async () => {
    // Arrange
    const { provider, calls } = scripted(() => new Promise<never>(() => undefined));

    // Act
    const call = watch(withDeadline(T0 + 100, () => provider.retrieveCard('pm_card_visa')));
    await jest.advanceTimersByTimeAsync(0);

    // Assert
    expect(call.outcome).toBeInstanceOf(ProcessorError);
    expect((call.outcome as ProcessorError).cause).toBeInstanceOf(DeadlineExceededError);
    expect(calls()).toBe(0);
  });
});

describe('Class: MatrixClientServerApi (time budget)', () => {
  it('aborts a hanging attempt at the deadline and does not retry', async () => {
    // Arrange: a homeserver that never answers; only the request's signal ends the wait.
    let calls = 0;
    const hanging: typeof fetch = (_url, init) => {
      calls += 1;
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    const client = new MatrixClientServerApi({
      homeserverUrl: 'http://homeserver.invalid',
      accessToken: () => 'syt_token',
      timeoutMs: 30_000,
      fetch: hanging,
      sleep: async () => undefined,
      random: () => 0.5,
    });
    const started = Date.now();

    // Act
    const error = await withDeadline(started + 300, () =>
      client.send('!room:tween.example', 'm.room.message', 'txn-1', { body: 'hi' }),
    ).catch((caught: unknown) => caught);

    // Assert: ended by the 300 ms budget (generous bound), far before the 30 s attempt timeout.
    expect(error).toBeInstanceOf(HomeserverUnavailableError);
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('Function: timeLeft', () => {
  it('returns the call timeout outside a budget and what is left of the budget inside one', async () => {
    // Arrange & Act
    const outside = timeLeft(10_000, T0);
    const inside = await withDeadline(T0 + 2_500, async () => timeLeft(10_000, T0));
    const nested = await withDeadline(T0 + 2_500, () =>
      withDeadline(T0 + 20_000, async () => timeLeft(10_000, T0)),
    );
    const spent = await withDeadline(T0 - 1, async () => timeLeft(10_000, T0));

    // Assert
    expect(outside).toBe(10_000);
    expect(inside).toBe(2_500);
    expect(nested).toBe(10_000); // a new request's budget replaces the one it was started in
    expect(spent).toBe(0);
  });
});

describe('Function: requestDeadline', () => {
  it("returns the function's remaining time less the answer reserve", () => {
    // Arrange & Act & Assert
    expect(requestDeadline({ getRemainingTimeInMillis: () => 15_000 }, T0)).toBe(T0 + 14_000);
  });

  it("returns at most API Gateway's 29 s less the reserve, whatever the function's timeout", () => {
    // Arrange & Act & Assert
    expect(requestDeadline({ getRemainingTimeInMillis: () => 60_000 }, T0)).toBe(T0 + 28_000);
  });
});
