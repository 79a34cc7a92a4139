import type { GiftLifecycle } from '../../../shared/app/gifts/ports.js';
import { roundTrip } from './round-trip.js';

export interface RecordedGiftStart {
  giftId: string;
  input: Readonly<Record<string, unknown>>;
}

/** Records the gift lifecycles the use cases start (a duplicate start is harmless, so each is recorded). */
export class RecordingGiftLifecycle implements GiftLifecycle {
  readonly starts: RecordedGiftStart[] = [];

  async start(giftId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    await roundTrip();
    this.starts.push({ giftId, input: structuredClone(input) });
  }
}
