/**
 * The provider event types we act on, as each provider names them (a table, not a branch: the consumer
 * treats a type by its row, whichever provider sent it). The ingest acknowledges and drops any other after
 * verifying it.
 */

/** Events about a payment's status: applied by asking the provider for the payment as it is now. */
export const PAYMENT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'CHECKOUT.ORDER.APPROVED',
  'PAYMENT.CAPTURE.COMPLETED',
  'PAYMENT.CAPTURE.DENIED',
  'PAYMENT.CAPTURE.PENDING',
]);

/**
 * Events about money after the payment, noted for ops: refunds made at the provider. (A dispute's events,
 * `charge.dispute.created` among them, are in DISPUTE_EVENT_TYPES.)
 */
export const CHARGE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'charge.refunded',
  'PAYMENT.CAPTURE.REFUNDED',
]);

/**
 * Events about one of our refunds at the provider (its status moved on): applied by asking the provider for
 * the refund as it is now, only forward (pending → succeeded | failed).
 */
export const REFUND_EVENT_TYPES: ReadonlySet<string> = new Set([
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
]);

/**
 * Events about a dispute, each carrying the dispute as it stands: on a top-up they freeze, release or debit
 * the wallet; on a payment they are noted for ops. Kept for good.
 */
export const DISPUTE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
]);

/** A connected account's payout ended (Connect events): applied to the payout its metadata names. */
export const PAYOUT_EVENT_TYPES: ReadonlySet<string> = new Set(['payout.paid', 'payout.failed']);

export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...PAYMENT_EVENT_TYPES,
  ...CHARGE_EVENT_TYPES,
  ...REFUND_EVENT_TYPES,
  ...DISPUTE_EVENT_TYPES,
  ...PAYOUT_EVENT_TYPES,
]);

/** What each payment event claims happened, when it claims an end. */
export const CLAIMED_ENDS: Readonly<Record<string, 'succeeded' | 'failed'>> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'failed',
  'PAYMENT.CAPTURE.COMPLETED': 'succeeded',
  'PAYMENT.CAPTURE.DENIED': 'failed',
};
