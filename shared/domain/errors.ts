/**
 * Errors the business rules raise. Each carries the API error code it surfaces as; the HTTP layer maps
 * codes to statuses in one table (shared/http/errors.ts). Nothing here knows about HTTP.
 */
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'INVALID_AMOUNT'
  | 'UNSUPPORTED_CURRENCY'
  | 'IDEMPOTENCY_KEY_MISSING'
  | 'EXPIRED_CARD'
  | 'UNAUTHORIZED'
  | 'MFA_FAILED'
  | 'PAYMENT_REQUIRED'
  | 'INSUFFICIENT_FUNDS'
  | 'PAYMENT_DECLINED'
  | 'FORBIDDEN'
  | 'NOT_ROOM_MEMBER'
  | 'NOT_FOUND'
  | 'INVALID_STATE_TRANSITION'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'ALREADY_OPENED'
  | 'GIFT_EMPTY'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'MFA_REQUIRED'
  | 'STEP_UP_REQUIRED'
  | 'RATE_LIMITED'
  | 'MFA_LOCKED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL'
  | 'PROCESSOR_ERROR'
  | 'DEPENDENCY_UNAVAILABLE'
  // The merchant platform's (API.md "Conventions", added for the merchant platform).
  | 'PAYOUT_BELOW_MINIMUM'
  | 'PAYOUT_LIMIT_EXCEEDED'
  | 'PRICE_OUT_OF_RANGE'
  | 'PURCHASE_LIMIT_EXCEEDED'
  | 'INVALID_API_KEY'
  | 'INSUFFICIENT_SCOPE'
  | 'MERCHANT_NOT_ACTIVE'
  | 'RISK_DECLINED'
  | 'WAITING_ROOM_REQUIRED'
  | 'MERCHANT_STATE';

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  constructor(message: string, details?: ErrorDetails) {
    super('VALIDATION_ERROR', message, details);
  }
}

/** A request body above the service's limit: refused before it is parsed or stored. */
export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes`, { limitBytes });
  }
}

/** The caller has used up a per-caller limit; they may try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests; try again later', { retryAfterSeconds });
  }
}

export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  constructor(message = 'You may not act on this resource') {
    super('FORBIDDEN', message);
  }
}

/** Room-scoped operations (P2P, gifts) need the caller, and sometimes others, in the Matrix room. */
export class NotRoomMemberError extends DomainError {
  override readonly name = 'NotRoomMemberError';
  constructor(message = 'Only members of the room may do this') {
    super('NOT_ROOM_MEMBER', message);
  }
}

/**
 * A service the operation needs (the Matrix homeserver, mail, a chain) did not answer: nothing was done,
 * and the same request (same Idempotency-Key) may be sent again once it is back (503, never stored).
 */
export class DependencyUnavailableError extends DomainError {
  override readonly name = 'DependencyUnavailableError';
  constructor(dependency: string, options?: { cause?: unknown }) {
    super('DEPENDENCY_UNAVAILABLE', `The ${dependency} is unavailable; retry with the same Idempotency-Key`, {
      dependency,
    });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  constructor(resource: string) {
    super('NOT_FOUND', `${resource} was not found`);
  }
}

export class InvalidStateTransitionError extends DomainError {
  override readonly name = 'InvalidStateTransitionError';
  constructor(from: string, event: string) {
    super('INVALID_STATE_TRANSITION', `Cannot ${event} from ${from}`, { from, event });
  }
}

/** Someone else changed the item between our read and our conditional write. */
export class ConcurrentModificationError extends DomainError {
  override readonly name = 'ConcurrentModificationError';
  constructor(resource: string) {
    super('INVALID_STATE_TRANSITION', `${resource} was changed concurrently; read it again`);
  }
}
