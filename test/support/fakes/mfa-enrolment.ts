import type { MfaEnrolment } from '../../../shared/app/mfa/ports.js';
import type { MfaMethod } from '../../../shared/domain/mfa.js';
import { roundTrip } from './round-trip.js';

/** The second factors each user has, fixed when the test builds it; anyone else has none. */
export class StaticMfaEnrolment implements MfaEnrolment {
  readonly #byUser: ReadonlyMap<string, readonly MfaMethod[]>;

  constructor(methods: Readonly<Record<string, readonly MfaMethod[]>> = {}) {
    this.#byUser = new Map(Object.entries(methods));
  }

  async methodsOf(userId: string): Promise<MfaMethod[]> {
    await roundTrip();
    return [...(this.#byUser.get(userId) ?? [])];
  }
}
