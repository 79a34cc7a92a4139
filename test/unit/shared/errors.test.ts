import { z } from 'zod';
import {
  ConcurrentModificationError,
  DependencyUnavailableError,
  DomainError,
  type ErrorCode,
  ForbiddenError,
  InvalidStateTransitionError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import { errorBody, mapError, statusOf } from '../../../shared/http/errors.js';

/** The code → status table of API.md ("Errors, always this shape"). */
const documented: [code: ErrorCode, status: number][] = [
  ['VALIDATION_ERROR', 400],
  ['INVALID_AMOUNT', 400],
  ['UNSUPPORTED_CURRENCY', 400],
  ['IDEMPOTENCY_KEY_MISSING', 400],
  ['EXPIRED_CARD', 400],
  ['UNAUTHORIZED', 401],
  ['MFA_FAILED', 401],
  ['PAYMENT_REQUIRED', 402],
  ['INSUFFICIENT_FUNDS', 402],
  ['PAYMENT_DECLINED', 402],
  ['FORBIDDEN', 403],
  ['NOT_ROOM_MEMBER', 403],
  ['NOT_FOUND', 404],
  ['INVALID_STATE_TRANSITION', 409],
  ['IDEMPOTENCY_IN_PROGRESS', 409],
  ['ALREADY_OPENED', 409],
  ['GIFT_EMPTY', 409],
  ['IDEMPOTENCY_KEY_REUSED', 422],
  ['MFA_REQUIRED', 428],
  ['STEP_UP_REQUIRED', 428],
  ['RATE_LIMITED', 429],
  ['MFA_LOCKED', 429],
  ['INTERNAL', 500],
  ['PROCESSOR_ERROR', 502],
  ['DEPENDENCY_UNAVAILABLE', 503],
];

const GENERIC_INTERNAL = { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } };

describe('Object: statusOf', () => {
  it.each(documented)('returns the documented status for %s (HTTP %i)', (code, status) => {
    // Arrange & Act & Assert
    expect(statusOf[code]).toBe(status);
  });
});

describe('Function: errorBody', () => {
  it('returns the error shape without details when none are given', () => {
    // Arrange & Act
    const body = errorBody('NOT_FOUND', 'Payment was not found');

    // Assert
    expect(body).toStrictEqual({ error: { code: 'NOT_FOUND', message: 'Payment was not found' } });
  });

  it('returns the error shape with details when they are given', () => {
    // Arrange & Act
    const body = errorBody('MFA_FAILED', 'Wrong code', { attemptsRemaining: 2 });

    // Assert
    expect(body).toStrictEqual({
      error: { code: 'MFA_FAILED', message: 'Wrong code', details: { attemptsRemaining: 2 } },
    });
  });
});

describe('Function: mapError', () => {
  it.each(documented.filter(([, status]) => status < 500))(
    'returns its code and message when a DomainError with code %s (HTTP %i) is thrown',
    (code, status) => {
      // Arrange
      const error = new DomainError(code, `the ${code} message`);

      // Act
      const mapped = mapError(error);

      // Assert
      expect(mapped).toStrictEqual({
        status,
        body: { error: { code, message: `the ${code} message` } },
        unexpected: false,
      });
    },
  );

  it('returns the details of a DomainError that carries them', () => {
    // Arrange
    const error = new DomainError('MFA_FAILED', 'The code is wrong', { attemptsRemaining: 1 });

    // Act
    const mapped = mapError(error);

    // Assert
    expect(mapped.status).toBe(401);
    expect(mapped.body.error.details).toEqual({ attemptsRemaining: 1 });
  });

  it.each([
    ['ValidationError', new ValidationError('amount is wrong', { field: 'amount' }), 400, 'VALIDATION_ERROR'],
    ['UnauthorizedError', new UnauthorizedError(), 401, 'UNAUTHORIZED'],
    ['ForbiddenError', new ForbiddenError(), 403, 'FORBIDDEN'],
    ['NotFoundError', new NotFoundError('Payment'), 404, 'NOT_FOUND'],
    [
      'InvalidStateTransitionError',
      new InvalidStateTransitionError('Completed', 'cancel'),
      409,
      'INVALID_STATE_TRANSITION',
    ],
    [
      'ConcurrentModificationError',
      new ConcurrentModificationError('Payment'),
      409,
      'INVALID_STATE_TRANSITION',
    ],
  ] as const)('returns its code and message when a %s is thrown (HTTP %i)', (_name, error, status, code) => {
    // Arrange & Act
    const mapped = mapError(error);

    // Assert
    expect(mapped.status).toBe(status);
    expect(mapped.body.error.code).toBe(code);
    expect(mapped.body.error.message).toBe(error.message);
    expect(mapped.unexpected).toBe(false);
  });

  it('returns the subclass details, such as the from state and event of a refused transition', () => {
    // Arrange
    const error = new InvalidStateTransitionError('Completed', 'cancel');

    // Act
    const mapped = mapError(error);

    // Assert
    expect(mapped.body).toStrictEqual({
      error: {
        code: 'INVALID_STATE_TRANSITION',
        message: 'Cannot cancel from Completed',
        details: { from: 'Completed', event: 'cancel' },
      },
    });
  });

  it('returns 400 VALIDATION_ERROR with every issue and its path for a ZodError', () => {
    // Arrange
    const schema = z.object({
      note: z.object({ text: z.string().max(3) }),
      roomId: z.string().length(3),
    });
    const parsed = schema.safeParse({ note: { text: 'too long' }, roomId: 'ab' });
    if (parsed.success) throw new Error('expected the input to be refused');

    // Act
    const mapped = mapError(parsed.error);

    // Assert
    expect(mapped.status).toBe(400);
    expect(mapped.unexpected).toBe(false);
    expect(mapped.body.error.code).toBe('VALIDATION_ERROR');
    expect(mapped.body.error.message).toBe('The request is not valid');
    expect(mapped.body.error.details).toEqual({
      issues: [
        { path: 'note.text', message: expect.any(String) },
        { path: 'roomId', message: expect.any(String) },
      ],
    });
  });

  it('returns a generic 500 INTERNAL without the original message for an unknown Error', () => {
    // Arrange
    const error = new Error('connect ECONNREFUSED 10.0.0.12:8000 table tween-payments-prod');

    // Act
    const mapped = mapError(error);

    // Assert
    expect(mapped).toStrictEqual({ status: 500, body: GENERIC_INTERNAL, unexpected: true });
    expect(JSON.stringify(mapped.body)).not.toContain('ECONNREFUSED');
  });

  it.each([
    ['a string', 'secret string'],
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { message: 'secret object' }],
  ])('returns a generic 500 INTERNAL when the thrown value is %s', (_kind, thrown) => {
    // Arrange & Act
    const mapped = mapError(thrown);

    // Assert
    expect(mapped).toStrictEqual({ status: 500, body: GENERIC_INTERNAL, unexpected: true });
  });

  it('returns a generic 500 INTERNAL without its message or details for an INTERNAL DomainError', () => {
    // Arrange
    const error = new DomainError('INTERNAL', 'KMS key arn:aws:kms:secret is disabled', { keyId: 'k-1' });

    // Act
    const mapped = mapError(error);

    // Assert
    expect(mapped).toStrictEqual({ status: 500, body: GENERIC_INTERNAL, unexpected: true });
    expect(JSON.stringify(mapped.body)).not.toContain('arn:aws:kms');
  });

  it('returns 502 PROCESSOR_ERROR keeping its message and marked unexpected', () => {
    // Arrange
    const error = new DomainError('PROCESSOR_ERROR', 'The payment processor did not answer');

    // Act
    const mapped = mapError(error);

    // Assert
    expect(mapped).toStrictEqual({
      status: 502,
      body: { error: { code: 'PROCESSOR_ERROR', message: 'The payment processor did not answer' } },
      unexpected: true,
    });
  });

  it('returns 503 DEPENDENCY_UNAVAILABLE keeping its message and details, marked unexpected', () => {
    // Arrange
    const error = new DependencyUnavailableError('Matrix homeserver', { cause: new Error('ECONNREFUSED') });

    // Act
    const mapped = mapError(error);

    // Assert
    expect(mapped).toStrictEqual({
      status: 503,
      body: {
        error: {
          code: 'DEPENDENCY_UNAVAILABLE',
          message: 'The Matrix homeserver is unavailable; retry with the same Idempotency-Key',
          details: { dependency: 'Matrix homeserver' },
        },
      },
      unexpected: true,
    });
    expect(JSON.stringify(mapped.body)).not.toContain('ECONNREFUSED');
  });

  it('returns a body without a stack whatever is thrown', () => {
    // Arrange
    const errors: unknown[] = [
      new Error('boom'),
      new NotFoundError('Payment'),
      new DomainError('INTERNAL', 'x'),
    ];

    // Act
    const bodies = errors.map((error) => JSON.stringify(mapError(error).body));

    // Assert
    for (const body of bodies) expect(body).not.toMatch(/stack|\bat .*\.ts:/);
  });
});

describe('Function: mapError (money fields)', () => {
  const map = mapError;
  const schema = z
    .object({ amount: z.number().int().positive(), currency: z.string(), note: z.string().optional() })
    .strict();
  const zodErrorOf = (value: unknown) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) throw new Error('expected a ZodError');
    return parsed.error;
  };

  it.each([
    ['a float amount', { amount: 1.5, currency: 'USD' }],
    ['a string amount', { amount: '100', currency: 'USD' }],
    ['a missing amount', { currency: 'USD' }],
  ])('answers 400 INVALID_AMOUNT for %s', (_, body) => {
    // Act
    const mapped = map(zodErrorOf(body));

    // Assert
    expect(mapped.status).toBe(400);
    expect(mapped.body.error.code).toBe('INVALID_AMOUNT');
  });

  it('answers 400 UNSUPPORTED_CURRENCY when only the currency is wrong', () => {
    // Act
    const mapped = map(zodErrorOf({ amount: 100, currency: 840 }));

    // Assert
    expect(mapped.body.error.code).toBe('UNSUPPORTED_CURRENCY');
  });

  it('answers 400 VALIDATION_ERROR when another field is wrong', () => {
    // Act
    const mapped = map(zodErrorOf({ amount: 100, currency: 'USD', state: 'Completed' }));

    // Assert
    expect(mapped.body.error.code).toBe('VALIDATION_ERROR');
  });
});
