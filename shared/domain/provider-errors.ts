/**
 * What a card processor's answers mean to the business, whichever processor gave them. Messages are short
 * fixed sentences: the processor's own text and request ids never reach a response (adapters may keep the
 * original error as `cause`, for logs only).
 */
import { DomainError } from './errors.js';

/** Where a failed attempt left things at the processor, for reconciliation and logs; never in a response. */
export interface DeclineContext {
  /** The processor's payment the failed attempt belongs to, when one was created. */
  providerPaymentId?: string;
  /** The processor's own decline reason when it differs from the one the payer is told. */
  providerDeclineCode?: string;
}

/**
 * The issuer or the processor refused the card (402). `declineCode` is what the payer may be told:
 * `generic_decline`, `insufficient_funds`, `incorrect_cvc`, ... A card's insufficient funds are a decline
 * like any other; INSUFFICIENT_FUNDS is the wallet's own balance check.
 */
export class PaymentDeclinedError extends DomainError {
  override readonly name = 'PaymentDeclinedError';
  readonly providerPaymentId: string | undefined;
  readonly providerDeclineCode: string;

  constructor(
    readonly declineCode: string,
    context: DeclineContext = {},
  ) {
    super('PAYMENT_DECLINED', 'The card was declined', { declineCode });
    this.providerPaymentId = context.providerPaymentId;
    this.providerDeclineCode = context.providerDeclineCode ?? declineCode;
  }
}

/** The card is past its expiry date (400): the payer must use another card. */
export class ExpiredCardError extends DomainError {
  override readonly name = 'ExpiredCardError';
  readonly providerPaymentId: string | undefined;

  constructor(context: Pick<DeclineContext, 'providerPaymentId'> = {}) {
    super('EXPIRED_CARD', 'The card has expired');
    this.providerPaymentId = context.providerPaymentId;
  }
}

/** A payment method id the processor does not know (400): the client sent it, so it is theirs to fix. */
export class UnknownPaymentMethodError extends DomainError {
  override readonly name = 'UnknownPaymentMethodError';

  constructor() {
    super('VALIDATION_ERROR', 'Unknown payment method');
  }
}

/**
 * The processor refused the operation in the payment's current state on its side (409), e.g. capturing a
 * payment it has already captured or cancelling one that succeeded: our view was stale, read it again.
 */
export class ProviderStateConflictError extends DomainError {
  override readonly name = 'ProviderStateConflictError';
  /** The processor's status of the payment, when its answer said. */
  readonly providerStatus: string | undefined;

  constructor(providerStatus?: string) {
    super('INVALID_STATE_TRANSITION', 'The payment processor does not allow this in the current state');
    this.providerStatus = providerStatus;
  }
}

/**
 * The processor could not be reached, failed, throttled us, or refused our credentials or request (502).
 * Raised only after the bounded retries; never the caller's fault. Step Functions `Retry` blocks match on
 * the name `ProcessorError`.
 */
export class ProcessorError extends DomainError {
  override readonly name = 'ProcessorError';
  /**
   * Whether the same request may succeed if sent again soon: true for an outage (unreachable, timed out,
   * 5xx, a lock conflict), false when the processor answered and would answer the same again (our
   * credentials or request refused, an answer we cannot read). Only retryable failures are retried and
   * count against the circuit breaker; the others prove the processor is up.
   */
  readonly retryable: boolean;

  constructor(options: { cause?: unknown; retryable?: boolean } = {}) {
    super('PROCESSOR_ERROR', 'The payment processor could not complete the request');
    if ('cause' in options) this.cause = options.cause;
    this.retryable = options.retryable ?? true;
  }
}

/**
 * The request's time budget ran out before the processor answered, or left no time for another attempt (the
 * cause of a ProcessorError: to the caller it is a processor that timed out).
 */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';

  constructor(readonly operation: string) {
    super(`No time left in the request's budget for ${operation}`);
  }
}

/** The processor's circuit breaker is open: the call was not attempted (the cause of a fast ProcessorError). */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';

  constructor(
    readonly breaker: string,
    /** When (epoch ms) a trial call may go through again. */
    readonly retryAt: number,
  ) {
    super(`The ${breaker} circuit breaker is open until ${new Date(retryAt).toISOString()}`);
  }
}

/** True for a failure worth retrying that counts against the circuit breaker: a retryable ProcessorError. */
export function isRetryableProviderFailure(error: unknown): boolean {
  return error instanceof ProcessorError && error.retryable;
}

/** A provider webhook whose signature is missing, wrong or too old (400). */
export class WebhookSignatureError extends DomainError {
  override readonly name = 'WebhookSignatureError';

  constructor() {
    super('VALIDATION_ERROR', 'Invalid webhook signature');
  }
}
