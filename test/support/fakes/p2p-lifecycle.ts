import type { P2pLifecycle } from '../../../shared/app/p2p/ports.js';
import { roundTrip } from './round-trip.js';
import type { RecordedResume } from './workflows.js';

export interface RecordedP2pStart {
  transferId: string;
  input: Readonly<Record<string, unknown>>;
}

/** Records what the P2P use cases ask of Step Functions; a task token answers true once, then false. */
export class RecordingP2pLifecycle implements P2pLifecycle {
  readonly starts: RecordedP2pStart[] = [];
  readonly resumes: RecordedResume[] = [];
  readonly #answered = new Set<string>();

  async start(transferId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    await roundTrip();
    this.starts.push({ transferId, input: structuredClone(input) });
  }

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean> {
    await roundTrip();
    const accepted = !this.#answered.has(taskToken);
    this.#answered.add(taskToken);
    this.resumes.push({ taskToken, output: { ...output }, accepted });
    return accepted;
  }
}
