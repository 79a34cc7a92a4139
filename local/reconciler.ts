/**
 * The local stand-in for the reconciliation schedule (EventBridge Scheduler on AWS): invokes the reconciler
 * function every `periodSeconds`, one run at a time. `runOnce` (POST /local/reconcile) runs it now, after a
 * run under way, so a test need not wait for the timer. A failed run is reported on stderr, as the function's
 * own logs say which records failed; the next tick runs again, as the schedule would. The settlement job's
 * timer is one of these too, invoking the settlement function.
 */
import type { LocalLambda } from './lambda.js';

export const RECONCILER_FUNCTION = 'reconciler';

export class LocalReconcileSchedule {
  readonly #lambda: LocalLambda;
  readonly #periodMs: number;
  readonly #functionName: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(lambda: LocalLambda, periodSeconds: number, functionName: string = RECONCILER_FUNCTION) {
    this.#lambda = lambda;
    this.#periodMs = periodSeconds * 1000;
    this.#functionName = functionName;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.runOnce().catch((error: unknown) => {
        process.stderr.write(
          `local ${this.#functionName} schedule: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      });
    }, this.#periodMs);
    // The schedule alone never keeps the process alive.
    this.#timer.unref();
  }

  /** Runs the function now (after any run under way) and answers what it returned. */
  runOnce(event: unknown = {}): Promise<unknown> {
    const run = this.#running
      .catch(() => undefined)
      .then(() => this.#lambda.invoke(this.#functionName, event));
    this.#running = run;
    return run;
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running.catch(() => undefined);
  }
}
