import type { MfaMethod } from '../../domain/mfa.js';
import type { MfaEnrolment } from './ports.js';

/**
 * `enrolment` read at most once per user for as long as the returned object lives: one request that asks
 * twice (a payment needing MFA checks the payer has a factor, and its answer lists them) reads once.
 */
export function enrolmentReadOnce(enrolment: MfaEnrolment): MfaEnrolment {
  const read = new Map<string, Promise<MfaMethod[]>>();
  return {
    methodsOf(userId) {
      const known = read.get(userId);
      if (known !== undefined) return known;
      const methods = enrolment.methodsOf(userId);
      read.set(userId, methods);
      return methods;
    },
  };
}
