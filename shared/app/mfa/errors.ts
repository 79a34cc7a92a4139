/**
 * MFA errors that are about requests rather than business rules (the rules' own errors are in
 * shared/domain/mfa.ts).
 */
import { DomainError } from '../../domain/errors.js';
import type { MfaMethod } from '../../domain/mfa.js';

/** A challenge was asked for with a method the payer has not enrolled: 400, naming the enrolled ones. */
export class MfaMethodNotEnrolledError extends DomainError {
  override readonly name = 'MfaMethodNotEnrolledError';
  constructor(method: MfaMethod, methods: readonly MfaMethod[]) {
    super('VALIDATION_ERROR', `The method ${method} is not enrolled`, { method, methods: [...methods] });
  }
}

/** The verify body carries a factor of another kind than the challenge's method. */
export class MfaFactorMismatchError extends DomainError {
  override readonly name = 'MfaFactorMismatchError';
  constructor(method: MfaMethod, expected: 'pin' | 'code' | 'signature') {
    super('VALIDATION_ERROR', `This ${method} challenge is answered with "${expected}"`, {
      method,
      expected,
    });
  }
}

/** The first TOTP code did not verify, so enrolment stays pending. Not an attempt on a payment. */
export class TotpCodeRejectedError extends DomainError {
  override readonly name = 'TotpCodeRejectedError';
  constructor() {
    super('MFA_FAILED', 'The code was not accepted; check the authenticator app and try the next code');
  }
}

/** Confirmation without a pending enrolment (never started, restarted meanwhile, or already confirmed). */
export class TotpEnrolmentStateError extends DomainError {
  override readonly name = 'TotpEnrolmentStateError';
  constructor(message: string) {
    super('INVALID_STATE_TRANSITION', message);
  }
}

/** The device id is already registered with another key; register the new key under a new device id. */
export class DeviceAlreadyRegisteredError extends DomainError {
  override readonly name = 'DeviceAlreadyRegisteredError';
  constructor(deviceId: string) {
    super('INVALID_STATE_TRANSITION', `Device ${deviceId} is already registered with another key`, {
      deviceId,
    });
  }
}
