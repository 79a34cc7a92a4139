import type { Workflows } from '../../../shared/app/payments/ports.js';
import { roundTrip } from './round-trip.js';

export interface RecordedStart {
  paymentId: string;
  input: Readonly<Record<string, unknown>>;
}

export interface RecordedResume {
  taskToken: string;
  output: Readonly<Record<string, unknown>>;
  /** False when the task had already been resumed or failed (it no longer exists). */
  accepted: boolean;
}

export interface RecordedFailure {
  taskToken: string;
  error: string;
  cause: string;
  accepted: boolean;
}

/**
 * Records what the use cases ask of Step Functions. A task token answers once: the first resume or fail of
 * it returns true, every later one false, like SendTaskSuccess on a task that no longer exists. A start can
 * be made to throw once (`failNextStart`), to interrupt a request after its writes.
 */
export class RecordingWorkflows implements Workflows {
  readonly starts: RecordedStart[] = [];
  readonly resumes: RecordedResume[] = [];
  readonly failures: RecordedFailure[] = [];
  readonly #answered = new Set<string>();
  readonly #startFailures: Error[] = [];

  /** The next startPayment throws `error` (and starts nothing). */
  failNextStart(error: Error = new Error('Step Functions is unavailable')): this {
    this.#startFailures.push(error);
    return this;
  }

  async startPayment(paymentId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    await roundTrip();
    const failure = this.#startFailures.shift();
    if (failure !== undefined) throw failure;
    this.starts.push({ paymentId, input: { ...input } });
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    await roundTrip();
    const accepted = this.#answer(taskToken);
    this.resumes.push({ taskToken, output: { ...output }, accepted });
    return accepted;
  }

  async fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    await roundTrip();
    const accepted = this.#answer(taskToken);
    this.failures.push({ taskToken, error, cause, accepted });
    return accepted;
  }

  #answer(taskToken: string): boolean {
    if (this.#answered.has(taskToken)) return false;
    this.#answered.add(taskToken);
    return true;
  }
}
