/**
 * The time budget of the request being served: an epoch-ms deadline, request-scoped (AsyncLocalStorage), so
 * every provider call made while serving it (Stripe, PayPal, the Matrix homeserver) shortens its timeout and
 * stops retrying in time, without the use cases or the ports knowing about it. The HTTP pipeline derives it
 * from the Lambda function's remaining time; nothing here knows about Lambda. Outside any scope there is no
 * budget: each call keeps its own timeout.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<number>();

/** Runs `work` under the deadline `deadlineAt` (epoch ms), whatever scope it was called in. */
export function withDeadline<T>(deadlineAt: number, work: () => Promise<T>): Promise<T> {
  return scope.run(deadlineAt, work);
}

/**
 * Runs `work` outside any budget: an invocation of its own (the local stack runs every function in one
 * process, and an invocation started while a request is served must not inherit that request's deadline).
 */
export function withoutDeadline<T>(work: () => Promise<T>): Promise<T> {
  return scope.exit(work);
}

/** The current deadline (epoch ms), or undefined outside any scope. */
export function currentDeadline(): number | undefined {
  return scope.getStore();
}

/** Milliseconds a call may take now: its own timeout `capMs`, cut to what is left of the budget (≥ 0). */
export function timeLeft(capMs: number, now: number = Date.now()): number {
  const deadline = scope.getStore();
  return deadline === undefined ? capMs : Math.max(0, Math.min(capMs, deadline - now));
}

/** The deadline has passed (or is within `marginMs`). Never outside a scope. */
export function budgetSpent(marginMs = 0, now: number = Date.now()): boolean {
  const deadline = scope.getStore();
  return deadline !== undefined && deadline - now <= marginMs;
}
