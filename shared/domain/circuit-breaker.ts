/**
 * A circuit breaker around a remote dependency, as pure decisions over the state every invocation shares
 * (stored in the table, so one cold Lambda does not hammer a provider the others already found dead).
 *
 *   closed    — calls go through; each failed attempt adds one to `failures`, a success resets them.
 *   open      — from `failureThreshold` consecutive failures on, calls fail fast until `openedAt + coolDown`.
 *   half-open — after the cool-down, ONE trial call goes through. The caller claims it by moving `openedAt`
 *               to now with a conditional write, which also restarts the cool-down: every other caller sees
 *               the breaker open again, and if the trial's invocation dies mid-call, another trial comes after
 *               one more cool-down instead of the breaker staying stuck. The trial's success closes the
 *               breaker; its failure re-opens it for another cool-down.
 *
 * Only the trial decides an open breaker: a call admitted before the breaker opened that finishes afterwards
 * (a straggler) neither closes it (success) nor extends it (failure).
 */

export interface BreakerPolicy {
  /** Consecutive failed attempts that open the breaker (at least 1). */
  failureThreshold: number;
  /** How long an open breaker fails fast before it lets one trial call through. */
  coolDownMs: number;
}

/** What is stored: consecutive failed attempts, and since when (epoch ms) the breaker is open, if it is. */
export interface BreakerState {
  failures: number;
  /** When the breaker opened, or when its latest trial was let through (which restarts the cool-down). */
  openedAt?: number;
}

export type BreakerPhase = 'closed' | 'open' | 'half_open';

export const CLOSED_BREAKER: BreakerState = { failures: 0 };

/** What a caller may do now. */
export type Admission =
  /** Closed: call. */
  | { kind: 'call' }
  /** Half-open: call only after winning the claim on the trial (`openedAt` still `seen`, moved to now). */
  | { kind: 'trial'; seen: number }
  /** Open: fail fast; a trial may go through from `retryAt` (epoch ms) on. */
  | { kind: 'reject'; retryAt: number };

export function phaseOf(state: BreakerState, policy: BreakerPolicy, now: number): BreakerPhase {
  if (state.openedAt === undefined) return 'closed';
  return now < state.openedAt + policy.coolDownMs ? 'open' : 'half_open';
}

export function admit(state: BreakerState, policy: BreakerPolicy, now: number): Admission {
  switch (phaseOf(state, policy, now)) {
    case 'closed':
      return { kind: 'call' };
    case 'half_open':
      return { kind: 'trial', seen: state.openedAt ?? now };
    case 'open':
      return { kind: 'reject', retryAt: (state.openedAt ?? now) + policy.coolDownMs };
  }
}

/**
 * Whether a failed attempt opens the breaker, given the state right after its failure was counted (`counted`
 * includes it). `heldTrial`: the attempt was the half-open trial, whose failure re-opens it for another
 * cool-down. A straggler's failure (the breaker opened meanwhile) is counted but does not extend it.
 */
export function opensAfterFailure(counted: BreakerState, policy: BreakerPolicy, heldTrial: boolean): boolean {
  if (heldTrial) return true;
  if (counted.openedAt !== undefined) return false;
  return counted.failures >= policy.failureThreshold;
}

/**
 * Whether a successful attempt writes the breaker closed: the trial's success closes it; a success while
 * closed ends a run of failures (none to end costs no write); a straggler's success leaves it open.
 */
export function closesAfterSuccess(state: BreakerState, heldTrial: boolean): boolean {
  if (heldTrial) return true;
  return state.openedAt === undefined && state.failures > 0;
}
