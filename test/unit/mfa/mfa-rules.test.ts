import { DomainError, ValidationError } from '../../../shared/domain/errors.js';
import {
  afterFailure,
  assertPinFormat,
  assessAttempt,
  type Challenge,
  challengeNonce,
  InvalidPinFormatError,
  isChallengeExpired,
  isLocked,
  isValidPinFormat,
  lockoutWindowStart,
  MFA_CHALLENGE,
  MFA_LOCKOUT,
  MfaChallengeClosedError,
  MfaChallengeExpiredError,
  MfaFailedError,
  MfaLockedError,
  MfaNotEnrolledError,
  mfaRequired,
  newChallenge,
  nonceBindsPayment,
  parseChallengeNonce,
  parseThresholds,
} from '../../../shared/domain/mfa.js';
import { UnsupportedCurrencyError } from '../../../shared/domain/money.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
/** The payment the nonces of these tests are built for. */
const PAYMENT = { appId: 'app_shop', paymentId: 'pay_1', amount: 5000, currency: 'USD' };
const RANDOM = 'q3VhbmRvbS1wYXJ0LTEyMw';

function challenge(overrides: Partial<Challenge> = {}): Challenge {
  return {
    ...newChallenge({
      challengeId: 'mfa_1',
      paymentId: 'pay_1',
      userId: '@alice:tween.example',
      method: 'transaction_pin',
      now: NOW,
    }),
    ...overrides,
  };
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('Constants: MFA_CHALLENGE and MFA_LOCKOUT', () => {
  it('allow three attempts in five minutes and lock after five failures in an hour', () => {
    // Assert
    expect(MFA_CHALLENGE).toEqual({ maxAttempts: 3, lifetimeSeconds: 300 });
    expect(MFA_LOCKOUT).toEqual({ failures: 5, windowSeconds: 3600 });
  });
});

describe('Function: parseThresholds', () => {
  it('returns a map of currency to minor-unit threshold', () => {
    // Act
    const thresholds = parseThresholds('USD:5000,EUR:4500');

    // Assert
    expect(thresholds).toEqual(
      new Map([
        ['USD', 5000],
        ['EUR', 4500],
      ]),
    );
  });

  it('ignores whitespace around entries', () => {
    // Act
    const thresholds = parseThresholds(' USD:5000 , JPY:0 ');

    // Assert
    expect(thresholds).toEqual(
      new Map([
        ['USD', 5000],
        ['JPY', 0],
      ]),
    );
  });

  it('returns an empty map for an empty setting', () => {
    // Act
    const thresholds = parseThresholds('  ');

    // Assert
    expect(thresholds.size).toBe(0);
  });

  it.each([
    ['a missing amount', 'USD'],
    ['a lower-case currency', 'usd:5000'],
    ['a decimal amount', 'USD:50.00'],
    ['a negative amount', 'USD:-1'],
    ['a leading zero', 'USD:05000'],
    ['an empty entry', 'USD:5000,,EUR:10'],
    ['a trailing comma', 'USD:5000,'],
    ['a wrong separator', 'USD=5000'],
    ['an amount beyond safe integers', 'USD:9999999999999999'],
  ])('throws ValidationError for %s', (_name, value) => {
    // Act
    const error = errorOf(() => parseThresholds(value));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('throws ValidationError when a currency is listed twice', () => {
    // Act
    const error = errorOf(() => parseThresholds('USD:5000,USD:10'));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toHaveProperty('message', 'MFA threshold for USD is given twice');
  });

  it('throws UnsupportedCurrencyError for a code that is not an ISO 4217 currency', () => {
    // Act
    const error = errorOf(() => parseThresholds('ABC:5000'));

    // Assert
    expect(error).toBeInstanceOf(UnsupportedCurrencyError);
  });
});

describe('Function: mfaRequired', () => {
  const thresholds = parseThresholds('USD:5000,EUR:4500');
  const base = { thresholds, paymentsInLastHour: 0, velocityLimit: 5 };

  it('returns true when the amount is above the currency threshold', () => {
    // Act
    const required = mfaRequired({ ...base, amount: 5001, currency: 'USD' });

    // Assert
    expect(required).toBe(true);
  });

  it('returns false when the amount equals the threshold', () => {
    // Act
    const required = mfaRequired({ ...base, amount: 5000, currency: 'USD' });

    // Assert
    expect(required).toBe(false);
  });

  it('returns false when the amount is below the threshold', () => {
    // Act
    const required = mfaRequired({ ...base, amount: 4500, currency: 'USD' });

    // Assert
    expect(required).toBe(false);
  });

  it('applies each currency its own threshold', () => {
    // Act
    const eur = mfaRequired({ ...base, amount: 4501, currency: 'EUR' });

    // Assert
    expect(eur).toBe(true);
  });

  it('returns true for a currency with no configured threshold, whatever the amount', () => {
    // Act
    const required = mfaRequired({ ...base, amount: 1, currency: 'GBP' });

    // Assert
    expect(required).toBe(true);
  });

  it('returns true for a small amount once the hourly velocity limit is reached', () => {
    // Act
    const required = mfaRequired({ ...base, amount: 100, currency: 'USD', paymentsInLastHour: 5 });

    // Assert
    expect(required).toBe(true);
  });

  it('returns false for a small amount just under the velocity limit', () => {
    // Act
    const required = mfaRequired({ ...base, amount: 100, currency: 'USD', paymentsInLastHour: 4 });

    // Assert
    expect(required).toBe(false);
  });
});

describe('Function: isValidPinFormat', () => {
  it.each(['000000', '123456', '999999'])('returns true for %s', (pin) => {
    // Assert
    expect(isValidPinFormat(pin)).toBe(true);
  });

  it.each([
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['a letter', '12345a'],
    ['a space', '123 456'],
    ['a trailing newline', '123456\n'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['full-width digits', '１２３４５６'],
    ['a number', 123456],
    ['undefined', undefined],
  ])('returns false for %s', (_name, pin) => {
    // Assert
    expect(isValidPinFormat(pin)).toBe(false);
  });

  it('throws InvalidPinFormatError (VALIDATION_ERROR) from assertPinFormat', () => {
    // Act
    const error = errorOf(() => assertPinFormat('12345'));

    // Assert
    expect(error).toBeInstanceOf(InvalidPinFormatError);
    expect(error).toHaveProperty('code', 'VALIDATION_ERROR');
  });
});

describe('Function: challengeNonce', () => {
  it('returns the documented v2 format binding app, payment, amount and currency', () => {
    // Act
    const nonce = challengeNonce(PAYMENT, RANDOM);

    // Assert
    expect(nonce).toBe(`tween-mfa:v2:app_shop:pay_1:5000:USD:${RANDOM}`);
  });

  it.each([
    ['the amount', { amount: 50000 }],
    ['the app', { appId: 'app_other' }],
  ])('returns a different nonce when only %s differs', (_what, change) => {
    // Act
    const a = challengeNonce(PAYMENT, RANDOM);
    const b = challengeNonce({ ...PAYMENT, ...change }, RANDOM);

    // Assert
    expect(a).not.toBe(b);
  });

  it.each([
    ['a payment id with a colon', { paymentId: 'pay:1' }, RANDOM],
    ['an empty payment id', { paymentId: '' }, RANDOM],
    ['an app id with a colon', { appId: 'app:1' }, RANDOM],
    ['an empty app id', { appId: '' }, RANDOM],
    ['a fractional amount', { amount: 50.5 }, RANDOM],
    ['a zero amount', { amount: 0 }, RANDOM],
    ['a lower-case currency', { currency: 'usd' }, RANDOM],
    ['a short random part', {}, 'abc'],
    ['a random part with a colon', {}, `${RANDOM}:x`],
  ])('throws ValidationError for %s', (_name, change, random) => {
    // Act
    const error = errorOf(() => challengeNonce({ ...PAYMENT, ...change }, random));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('Function: parseChallengeNonce', () => {
  it('returns the parts challengeNonce put in', () => {
    // Arrange
    const payment = { appId: 'app_demo.v2', paymentId: 'pay_ABC123', amount: 123456, currency: 'EUR' };
    const nonce = challengeNonce(payment, RANDOM);

    // Act
    const parts = parseChallengeNonce(nonce);

    // Assert
    expect(parts).toEqual({ ...payment, random: RANDOM });
  });

  it.each([
    ['the v1 format (no app id)', `tween-mfa:v1:pay_1:5000:USD:${RANDOM}`],
    ['another prefix', `tween-mfa:v3:app_shop:pay_1:5000:USD:${RANDOM}`],
    ['a missing field', `tween-mfa:v2:app_shop:pay_1:5000:${RANDOM}`],
    ['an extra field', `tween-mfa:v2:app_shop:pay_1:5000:USD:${RANDOM}:extra`],
    ['garbage', 'not a nonce'],
  ])('throws ValidationError for %s', (_name, nonce) => {
    // Act
    const error = errorOf(() => parseChallengeNonce(nonce));

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
  });
});

describe('Function: nonceBindsPayment', () => {
  const nonce = challengeNonce(PAYMENT, RANDOM);

  it('returns true for the payment the nonce was built for', () => {
    // Assert
    expect(nonceBindsPayment(nonce, PAYMENT)).toBe(true);
  });

  it.each([
    ['another payment', { paymentId: 'pay_2' }],
    ['another app', { appId: 'app_other' }],
    ['another amount', { amount: 5001 }],
    ['another currency', { currency: 'EUR' }],
  ])('returns false for %s', (_name, change) => {
    // Assert
    expect(nonceBindsPayment(nonce, { ...PAYMENT, ...change })).toBe(false);
  });
});

describe('Function: newChallenge', () => {
  it('returns a pending challenge with no attempts that expires in five minutes', () => {
    // Act
    const created = newChallenge({
      challengeId: 'mfa_1',
      paymentId: 'pay_1',
      userId: '@alice:tween.example',
      method: 'biometric',
      now: NOW,
      nonce: challengeNonce(PAYMENT, RANDOM),
    });

    // Assert
    expect(created).toEqual({
      challengeId: 'mfa_1',
      paymentId: 'pay_1',
      userId: '@alice:tween.example',
      method: 'biometric',
      status: 'pending',
      attempts: 0,
      maxAttempts: 3,
      expiresAt: '2025-06-01T12:05:00.000Z',
      createdAt: '2025-06-01T12:00:00.000Z',
      nonce: `tween-mfa:v2:app_shop:pay_1:5000:USD:${RANDOM}`,
    });
  });

  it('leaves out the nonce when none is given', () => {
    // Act
    const created = challenge();

    // Assert
    expect(created).not.toHaveProperty('nonce');
  });
});

describe('Function: assessAttempt', () => {
  it('accepts an attempt on a pending challenge within its lifetime', () => {
    // Arrange
    const pending = challenge({ attempts: 2 });
    const justBefore = new Date(Date.parse(pending.expiresAt) - 1);

    // Act
    const act = () => assessAttempt(pending, justBefore);

    // Assert
    expect(act).not.toThrow();
  });

  it('throws MfaChallengeExpiredError (409) at the expiry instant', () => {
    // Arrange
    const pending = challenge();

    // Act
    const error = errorOf(() => assessAttempt(pending, new Date(pending.expiresAt)));

    // Assert
    expect(error).toBeInstanceOf(MfaChallengeExpiredError);
    expect(error).toHaveProperty('code', 'INVALID_STATE_TRANSITION');
    expect(error).toHaveProperty('message', 'The challenge has expired');
  });

  it('throws MfaChallengeExpiredError for a challenge already marked expired', () => {
    // Act
    const error = errorOf(() => assessAttempt(challenge({ status: 'expired' }), NOW));

    // Assert
    expect(error).toBeInstanceOf(MfaChallengeExpiredError);
  });

  it.each(['verified', 'failed'] as const)('throws MfaChallengeClosedError for a %s challenge', (status) => {
    // Act
    const error = errorOf(() => assessAttempt(challenge({ status }), NOW));

    // Assert
    expect(error).toBeInstanceOf(MfaChallengeClosedError);
    expect(error).toHaveProperty('code', 'INVALID_STATE_TRANSITION');
    expect(error).toHaveProperty('details', { status });
  });

  it('throws MfaChallengeClosedError when a pending challenge has no attempts left', () => {
    // Act
    const error = errorOf(() => assessAttempt(challenge({ attempts: 3 }), NOW));

    // Assert
    expect(error).toBeInstanceOf(MfaChallengeClosedError);
  });

  it('treats an unreadable expiry as expired', () => {
    // Act
    const expired = isChallengeExpired({ expiresAt: 'not a date' }, NOW);

    // Assert
    expect(expired).toBe(true);
  });
});

describe('Function: afterFailure', () => {
  it.each([
    [0, { attempts: 1, attemptsRemaining: 2, exhausted: false }],
    [1, { attempts: 2, attemptsRemaining: 1, exhausted: false }],
    [2, { attempts: 3, attemptsRemaining: 0, exhausted: true }],
  ])('after %i earlier failures returns %o', (attempts, outcome) => {
    // Act
    const result = afterFailure(challenge({ attempts }));

    // Assert
    expect(result).toEqual(outcome);
  });

  it('never reports negative attempts remaining', () => {
    // Act
    const result = afterFailure(challenge({ attempts: 5 }));

    // Assert
    expect(result).toEqual({ attempts: 6, attemptsRemaining: 0, exhausted: true });
  });
});

describe('Function: isLocked', () => {
  it.each([
    [0, false],
    [4, false],
    [5, true],
    [9, true],
  ])('with %i failures in the window returns %s', (failures, locked) => {
    // Assert
    expect(isLocked(failures)).toBe(locked);
  });

  it('measures the window back one hour from now', () => {
    // Act
    const start = lockoutWindowStart(NOW);

    // Assert
    expect(start.toISOString()).toBe('2025-06-01T11:00:00.000Z');
  });
});

describe('Errors: MFA', () => {
  it('MfaFailedError carries MFA_FAILED and attempts remaining', () => {
    // Act
    const error = new MfaFailedError(2);

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('MFA_FAILED');
    expect(error.details).toEqual({ attemptsRemaining: 2 });
  });

  it('MfaLockedError carries MFA_LOCKED, with retryAfterSeconds only when given', () => {
    // Act
    const bare = new MfaLockedError();
    const timed = new MfaLockedError(120);

    // Assert
    expect(bare.code).toBe('MFA_LOCKED');
    expect(bare.details).toBeUndefined();
    expect(timed.details).toEqual({ retryAfterSeconds: 120 });
  });

  it('MfaNotEnrolledError carries MFA_REQUIRED and the enrolled methods', () => {
    // Act
    const none = new MfaNotEnrolledError();
    const some = new MfaNotEnrolledError(['totp']);

    // Assert
    expect(none.code).toBe('MFA_REQUIRED');
    expect(none.message).toBe('Enrol a second factor first');
    expect(none.details).toEqual({ methods: [] });
    expect(some.details).toEqual({ methods: ['totp'] });
  });
});
