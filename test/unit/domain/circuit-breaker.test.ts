/**
 * The circuit breaker's decisions (shared/domain/circuit-breaker.ts), example by example and as properties
 * over random histories of outcomes: the breaker opens exactly when `failureThreshold` consecutive failures
 * pile up, an open breaker rejects until its cool-down ends, and of all callers in the half-open window
 * exactly one gets the trial.
 */
import fc from 'fast-check';
import {
  admit,
  type BreakerPolicy,
  type BreakerState,
  CLOSED_BREAKER,
  closesAfterSuccess,
  opensAfterFailure,
  phaseOf,
} from '../../../shared/domain/circuit-breaker.js';

const policy: BreakerPolicy = { failureThreshold: 3, coolDownMs: 30_000 };
const T0 = 1_700_000_000_000;

describe('Module: circuit-breaker', () => {
  describe('Function: admit', () => {
    it('lets calls through when the breaker is closed, whatever the failures below the threshold', () => {
      // Arrange / Act / Assert
      expect(admit({ failures: 2 }, policy, T0)).toEqual({ kind: 'call' });
    });

    it('rejects until openedAt + coolDown when the breaker is open', () => {
      // Arrange
      const open: BreakerState = { failures: 3, openedAt: T0 };

      // Act / Assert
      expect(admit(open, policy, T0 + 29_999)).toEqual({ kind: 'reject', retryAt: T0 + 30_000 });
      expect(phaseOf(open, policy, T0 + 29_999)).toBe('open');
    });

    it('offers the trial, naming the openedAt to claim it on, once the cool-down has passed', () => {
      // Arrange
      const open: BreakerState = { failures: 3, openedAt: T0 };

      // Act / Assert
      expect(admit(open, policy, T0 + 30_000)).toEqual({ kind: 'trial', seen: T0 });
      expect(phaseOf(open, policy, T0 + 30_000)).toBe('half_open');
    });
  });

  describe('Function: opensAfterFailure', () => {
    it('opens at the threshold and not before when closed', () => {
      expect(opensAfterFailure({ failures: 2 }, policy, false)).toBe(false);
      expect(opensAfterFailure({ failures: 3 }, policy, false)).toBe(true);
    });

    it('re-opens after a failed trial and leaves an open breaker alone for a straggler', () => {
      expect(opensAfterFailure({ failures: 9, openedAt: T0 }, policy, true)).toBe(true);
      expect(opensAfterFailure({ failures: 9, openedAt: T0 }, policy, false)).toBe(false);
    });
  });

  describe('Function: closesAfterSuccess', () => {
    it('closes after the trial, resets a run of failures, and writes nothing when there is nothing to reset', () => {
      expect(closesAfterSuccess({ failures: 3, openedAt: T0 }, true)).toBe(true);
      expect(closesAfterSuccess({ failures: 2 }, false)).toBe(true);
      expect(closesAfterSuccess(CLOSED_BREAKER, false)).toBe(false);
    });

    it('leaves an open breaker open for a straggler that succeeds', () => {
      expect(closesAfterSuccess({ failures: 3, openedAt: T0 }, false)).toBe(false);
    });
  });

  describe('Property: a sequential history of outcomes', () => {
    it('is open exactly when the last `threshold` admitted outcomes failed, and admits one trial per cool-down', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.array(fc.record({ ok: fc.boolean(), waitMs: fc.integer({ min: 0, max: 40_000 }) }), {
            maxLength: 60,
          }),
          (failureThreshold, history) => {
            const rules: BreakerPolicy = { failureThreshold, coolDownMs: 30_000 };
            let state: BreakerState = CLOSED_BREAKER;
            let now = T0;
            let run = 0; // consecutive failures the model has seen since the last close
            for (const { ok, waitMs } of history) {
              now += waitMs;
              const admission = admit(state, rules, now);
              if (admission.kind === 'reject') {
                // Open, and only while the cool-down runs.
                expect(state.openedAt).toBeDefined();
                expect(now).toBeLessThan((state.openedAt ?? 0) + rules.coolDownMs);
                continue;
              }
              const heldTrial = admission.kind === 'trial';
              if (heldTrial) {
                // The claim: openedAt moves to now, so a second caller at the same instant is rejected.
                state = { failures: state.failures, openedAt: now };
                expect(admit(state, rules, now).kind).toBe('reject');
              }
              if (ok) {
                if (closesAfterSuccess(state, heldTrial)) state = CLOSED_BREAKER;
                run = 0;
              } else {
                const counted: BreakerState = { ...state, failures: state.failures + 1 };
                state = opensAfterFailure(counted, rules, heldTrial)
                  ? { failures: counted.failures, openedAt: now }
                  : counted;
                run += 1;
              }
              // Closed below the threshold, open at or above it (in the sequential case).
              expect(state.openedAt !== undefined).toBe(run >= failureThreshold);
              if (state.openedAt === undefined) expect(state.failures).toBe(run);
            }
          },
        ),
      );
    });
  });
});
