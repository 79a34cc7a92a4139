/**
 * A scripted stand-in for the `paymentLifecycle` task function (functions/payments/lifecycle.ts), for
 * running the real payment ASL with mocked tasks:
 * - it accepts exactly the task payloads the real handler parses (strictly: a field the ASL or the local
 *   runner adds by mistake fails the task, as a missing one would);
 * - `await_mfa` / `await_provider` store the task token and answer `{status: 'waiting'}`;
 * - `process` answers from a per-payment script (the last answer repeats), throwing the domain's
 *   `ProcessorError` for an outage as the provider adapter does;
 * - `fail` answers as `failPayment` does: Failed, with the reason as the failure code.
 * Event details are built by the same functions the use cases use, from a fixed payment per id.
 */
import { paymentCompletedDetail, paymentFailedDetail } from '../../../shared/app/payments/events.js';
import type { Payment } from '../../../shared/domain/payment.js';
import { ProcessorError } from '../../../shared/domain/provider-errors.js';
import { PaymentTask } from '../../../shared/infra/lifecycle-tasks.js';

/** What one `process` call does. */
export type ProcessAnswer = 'completed' | 'waiting_for_provider' | 'declined' | 'processor_error';

export type LifecycleTask = PaymentTask;

const CREATED_AT = '2025-01-02T03:04:05.000Z';
const UPDATED_AT = '2025-01-02T03:04:06.000Z';
const TOKEN_POLL_MS = 10;

/** The card a `declined` answer reports, as processPayment records a PaymentDeclinedError. */
export const DECLINE_CODE = 'card_declined';

export class ScriptedLifecycle {
  readonly #scripts = new Map<string, ProcessAnswer[]>();
  readonly #calls = new Map<string, LifecycleTask[]>();

  /** `process` for `paymentId` answers `answers` in order, then keeps answering the last one. */
  script(paymentId: string, answers: readonly [ProcessAnswer, ...ProcessAnswer[]]): void {
    this.#scripts.set(paymentId, [...answers]);
  }

  /** Every task the state machine ran for `paymentId`, in order. */
  calls(paymentId: string): readonly LifecycleTask[] {
    return this.#calls.get(paymentId) ?? [];
  }

  /** The actions run for `paymentId`, in order (`fail` with its reason: `fail:mfa_timeout`). */
  actions(paymentId: string): string[] {
    return this.calls(paymentId).map((task) =>
      task.action === 'fail' ? `fail:${task.reason}` : task.action,
    );
  }

  /** The token the `occurrence`-th wait of kind `action` stored, as the API later reads it off the payment. */
  async tokenFor(
    paymentId: string,
    action: 'await_mfa' | 'await_provider',
    occurrence = 1,
    timeoutMs = 5_000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waits = this.calls(paymentId).filter((task) => task.action === action);
      const wait = waits[occurrence - 1];
      if (wait !== undefined && 'taskToken' in wait) return wait.taskToken;
      if (Date.now() > deadline) throw new Error(`no ${action} token for ${paymentId} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, TOKEN_POLL_MS));
    }
  }

  /** The detail `process` answers with when it completes `paymentId` (and so the `payment.completed` detail). */
  completedDetail(paymentId: string): ReturnType<typeof paymentCompletedDetail> {
    return paymentCompletedDetail(
      fixturePayment(paymentId, {
        state: 'Completed',
        completedAt: UPDATED_AT,
        roomId: '!room:tween.example',
      }),
    );
  }

  /** The detail of a payment that ended Failed with `failureCode` (and so the `payment.failed` detail). */
  failedDetail(paymentId: string, failureCode: string): ReturnType<typeof paymentFailedDetail> {
    return paymentFailedDetail(fixturePayment(paymentId, { state: 'Failed', failureCode }));
  }

  /** The Lambda handler the local runner invokes as `paymentLifecycle`. */
  readonly handler = async (event: unknown): Promise<unknown> => {
    const task = PaymentTask.parse(event);
    const calls = this.#calls.get(task.paymentId) ?? [];
    calls.push(task);
    this.#calls.set(task.paymentId, calls);
    switch (task.action) {
      case 'await_mfa':
      case 'await_provider':
        return { status: 'waiting' };
      case 'process':
        return this.#process(task.paymentId, calls.filter((call) => call.action === 'process').length);
      case 'fail':
        return { status: 'failed', event: this.failedDetail(task.paymentId, task.reason) };
    }
  };

  #process(paymentId: string, call: number): unknown {
    const script = this.#scripts.get(paymentId);
    if (script === undefined) throw new Error(`no process script for ${paymentId}`);
    const answer = script[Math.min(call, script.length) - 1];
    switch (answer) {
      case 'completed':
        return { status: 'completed', event: this.completedDetail(paymentId) };
      case 'waiting_for_provider':
        // The real handler adds `event: null`: the ASL's ResultSelector reads `$.Payload.event` every time.
        return { status: 'waiting_for_provider', event: null };
      case 'declined':
        return { status: 'failed', event: this.failedDetail(paymentId, DECLINE_CODE) };
      case 'processor_error':
        throw new ProcessorError();
      case undefined:
        throw new Error(`empty process script for ${paymentId}`);
    }
  }
}

function fixturePayment(paymentId: string, override: Partial<Payment>): Payment {
  return {
    paymentId,
    userId: '@alice:tween.example',
    appId: 'app_shop',
    amount: { value: 1050, currency: 'USD' },
    paymentMethod: { type: 'card', id: 'pm_card_visa' },
    description: 'Two coffees',
    metadata: {},
    state: 'Processing',
    mfaRequired: false,
    refundedAmount: 0,
    history: [],
    createdAt: CREATED_AT,
    updatedAt: UPDATED_AT,
    ...override,
  };
}
