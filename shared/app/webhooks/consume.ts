import { type DisputeReport, isProviderDisputeStatus } from '../../domain/dispute.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { ExpiredCardError, PaymentDeclinedError } from '../../domain/provider-errors.js';
import type { MerchantLedgerDeps } from '../balance/charge.js';
import { applyPaymentOutcome } from '../payments/apply-provider-outcome.js';
import type {
  PaymentProvider,
  PaymentRepository,
  ProviderEvent,
  ProviderPayment,
  Workflows,
} from '../payments/ports.js';
import { applyProviderRefund } from '../payments/refund-payment.js';
import { applyPayoutEvent, type PayoutEventDeps } from '../payouts/provider-events.js';
import type { Clock, Ledger } from '../ports.js';
import { type AppliedOutcome, outcomeOf } from '../provider-outcome.js';
import { applyIntentRefundEvent, type IntentRefundEndDeps } from '../refunds/intent-refund-ends.js';
import type { DisputeRepository, TopupRepository } from '../wallets/ports.js';
import { applyTopupOutcome } from '../wallets/top-up.js';
import { applyTopupDispute } from '../wallets/top-up-dispute.js';
import {
  CLAIMED_ENDS,
  DISPUTE_EVENT_TYPES,
  HANDLED_EVENT_TYPES,
  PAYMENT_EVENT_TYPES,
  PAYOUT_EVENT_TYPES,
  REFUND_EVENT_TYPES,
} from './event-types.js';
import type { WebhookInbox, WebhookRecord, WebhookSettlement, WebhookSubject } from './ports.js';

/** Settled events stay this long (the provider retries for three days); disputes stay for good. */
export const INBOX_RETENTION_SECONDS = 90 * 24 * 3600;

export interface ConsumeDeps {
  inbox: WebhookInbox;
  provider: Pick<PaymentProvider, 'retrievePayment' | 'confirmPayment' | 'retrieveRefund'>;
  topups: TopupRepository;
  ledger: Ledger;
  payments: PaymentRepository;
  workflows: Workflows;
  disputes: DisputeRepository;
  clock: Clock /** The merchant side of a completion (fees, balance transaction): see merchantChargeFor. */;
  merchantLedger?: MerchantLedgerDeps;
  /** PaymentIntent refunds, ended by their processor refund's events. */
  intentRefunds?: IntentRefundEndDeps;
  /** Merchants' payouts, ended by their connected account's payout events. */
  payouts?: PayoutEventDeps;
}

/** The metadata names one of our records we cannot find (yet): retried, never acknowledged and dropped. */
export class UnknownWebhookSubjectError extends Error {
  override readonly name = 'UnknownWebhookSubjectError';

  constructor(subject: WebhookSubject) {
    super(`The ${subject.type} ${subject.id} the event is about is not known (yet)`);
  }
}

/** The event says the payment ended but the provider does not show it yet: retried until it does. */
export class ProviderNotSettledError extends Error {
  override readonly name = 'ProviderNotSettledError';

  constructor(claimed: string, status: string) {
    super(`The event says ${claimed}, the provider still says ${status}`);
  }
}

/**
 * 1. Store the event in the inbox, once. One already processed or ignored is a duplicate: nothing happens.
 * 2. Ask the provider for its payment as it is now: an event says what changed, the provider what is true,
 *    whatever order events arrive in. A payment waiting for our confirmation (the payer approved it at the
 *    provider) is confirmed now, under an idempotency key of our record, so redeliveries confirm it once.
 * 3. Find our record from the payment's metadata (`topupId` or `paymentId`). One we do not know (yet)
 *    fails the delivery: it is retried, then dead-lettered, never dropped.
 * 4. Apply it by the same rules as the API (applyTopupOutcome, applyPaymentOutcome): each effect once, a
 *    status only forward. A dispute of a top-up freezes, releases or debits the wallet (applyTopupDispute);
 *    refunds and disputes of payments are noted on the inbox item.
 * 5. Settle the item processed or ignored (with why). A failure is recorded on it and thrown.
 */
export async function consumeWebhook(event: ProviderEvent, deps: ConsumeDeps): Promise<WebhookRecord> {
  const { record } = await deps.inbox.receive(event, now(deps));
  if (record.status === 'processed' || record.status === 'ignored') return record;
  let settlement: WebhookSettlement;
  try {
    settlement = await apply(event, deps);
  } catch (error) {
    await recordFailure(record.eventId, error, deps);
    throw error;
  }
  return deps.inbox.settle(record.eventId, settlement, now(deps));
}

export interface QueuedMessage {
  messageId: string;
  /** The FIFO message group: one provider object's events, in order. */
  groupId: string;
  body: string;
}

export interface BatchFailure {
  messageId: string;
  /** Why it failed; undefined when it was held back behind an earlier failure of its group. */
  error: unknown;
}

/**
 * A batch from the queue: groups side by side, each group's messages in order. After a failure the rest of
 * that group is not applied but reported failed too, so no event overtakes an earlier one of its object.
 */
export async function consumeWebhookBatch(
  messages: readonly QueuedMessage[],
  parse: (body: string) => ProviderEvent,
  deps: ConsumeDeps,
): Promise<BatchFailure[]> {
  const groups = new Map<string, QueuedMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.groupId) ?? [];
    group.push(message);
    groups.set(message.groupId, group);
  }
  const failures = await Promise.all(
    [...groups.values()].map(async (group) => {
      const failed: BatchFailure[] = [];
      for (const message of group) {
        if (failed.length > 0) {
          failed.push({ messageId: message.messageId, error: undefined });
          continue;
        }
        try {
          await consumeWebhook(parse(message.body), deps);
        } catch (error) {
          failed.push({ messageId: message.messageId, error });
        }
      }
      return failed;
    }),
  );
  return failures.flat();
}

async function apply(event: ProviderEvent, deps: ConsumeDeps): Promise<WebhookSettlement> {
  if (!HANDLED_EVENT_TYPES.has(event.type)) return ignored(event, 'unhandled_type', deps);
  if (PAYOUT_EVENT_TYPES.has(event.type)) {
    const applied =
      deps.payouts === undefined ? undefined : await applyPayoutEvent(event.details ?? {}, deps.payouts);
    if (applied === undefined) return ignored(event, 'not_ours', deps);
    return processed(applied.outcome, { type: 'payout', id: applied.payoutId }, event.details, deps);
  }
  if (event.paymentId === undefined) return ignored(event, 'no_provider_payment', deps);
  const current = await deps.provider.retrievePayment(event.paymentId);
  const subject = subjectOf(current);
  if (subject === undefined) {
    const intentId = current.metadata?.paymentIntentId;
    if (intentId === undefined || !REFUND_EVENT_TYPES.has(event.type))
      return ignored(event, 'not_ours', deps);
    return applyIntentRefund(event, { type: 'payment_intent', id: intentId }, deps);
  }
  try {
    if (PAYMENT_EVENT_TYPES.has(event.type)) {
      const charge =
        current.status === 'requires_confirmation' && (await stillWaiting(subject, deps))
          ? await confirmed(current, subject, deps)
          : current;
      return await applyPaymentEvent(event, charge, subject, deps);
    }
    if (REFUND_EVENT_TYPES.has(event.type)) return await applyRefundEvent(event, subject, deps);
    if (DISPUTE_EVENT_TYPES.has(event.type) && subject.type === 'topup') {
      return await applyDisputeEvent(event, event.paymentId, subject, deps);
    }
    return await noteChargeEvent(event, subject, deps);
  } catch (error) {
    if (error instanceof NotFoundError) throw new UnknownWebhookSubjectError(subject);
    throw error;
  }
}

async function applyPaymentEvent(
  event: ProviderEvent,
  charge: ProviderPayment,
  subject: WebhookSubject,
  deps: ConsumeDeps,
): Promise<WebhookSettlement> {
  const claimed = CLAIMED_ENDS[event.type];
  const truth = outcomeOf(charge).kind;
  if (claimed !== undefined && truth !== 'succeeded' && truth !== 'failed') {
    throw new ProviderNotSettledError(claimed, charge.status);
  }
  const applied: AppliedOutcome =
    subject.type === 'topup'
      ? (await applyTopupOutcome(subject.id, charge, deps)).applied
      : (await applyPaymentOutcome(subject.id, charge, deps)).applied;
  return processed(`${subject.type}_${applied}`, subject, event.details, deps);
}

/**
 * A dispute of a top-up, as the event's snapshot of it says (the provider's dispute status only moves
 * forward, and so does ours). Kept for good, with what the wallet could freeze and the shortfall.
 */
async function applyDisputeEvent(
  event: ProviderEvent,
  providerPaymentId: string,
  subject: WebhookSubject,
  deps: ConsumeDeps,
): Promise<WebhookSettlement> {
  const { dispute, applied } = await applyTopupDispute(
    subject.id,
    disputeReportOf(event, providerPaymentId),
    deps,
  );
  const { expiresAt: _kept, ...settlement } = processed(
    `dispute_${applied}`,
    subject,
    { ...event.details, frozenAmount: dispute.frozenAmount, shortfall: dispute.shortfall },
    deps,
  );
  return settlement;
}

/** The dispute as the event carries it; one that says too little to act on is refused (and kept for ops). */
function disputeReportOf(event: ProviderEvent, providerPaymentId: string): DisputeReport {
  const { disputeId, amount, currency, status, reason } = event.details ?? {};
  if (
    typeof disputeId !== 'string' ||
    typeof amount !== 'number' ||
    !Number.isInteger(amount) ||
    amount <= 0 ||
    typeof currency !== 'string' ||
    !isProviderDisputeStatus(status)
  ) {
    throw new ValidationError(`The dispute event ${event.id} lacks its dispute's id, amount or status`);
  }
  return {
    disputeId,
    providerPaymentId,
    amount,
    currency,
    providerStatus: status,
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

/**
 * A refund's status moved at the provider: the refund as the provider holds it now is applied to ours
 * (applyProviderRefund: forward only, the money with the status). A refund we did not ask for (no refund id
 * of ours on it, or a top-up's) is noted for ops like charge.refunded.
 */
async function applyRefundEvent(
  event: ProviderEvent,
  subject: WebhookSubject,
  deps: ConsumeDeps,
): Promise<WebhookSettlement> {
  if (subject.type !== 'payment' || event.paymentId === undefined)
    return noteChargeEvent(event, subject, deps);
  const atProvider = await deps.provider.retrieveRefund(event.paymentId, event.objectId);
  const refundId = atProvider.metadata?.refundId;
  const refund = refundId === undefined ? undefined : await deps.payments.getRefund(refundId);
  if (refund === undefined || refund.paymentId !== subject.id) return noteChargeEvent(event, subject, deps);
  const payment = await deps.payments.get(refund.paymentId);
  if (payment === undefined) throw new NotFoundError('Payment');
  const after = await applyProviderRefund(payment, refund, atProvider, 'provider', deps);
  return processed(
    `refund_${after.refund.status}`,
    subject,
    { ...event.details, refundId: refund.refundId },
    deps,
  );
}

/**
 * A refund of a PaymentIntent moved at the provider: the refund as the provider holds it now ends ours
 * (applyIntentRefundEvent: only pending → succeeded | failed, once). One we did not ask for is noted.
 */
async function applyIntentRefund(
  event: ProviderEvent,
  subject: WebhookSubject,
  deps: ConsumeDeps,
): Promise<WebhookSettlement> {
  if (deps.intentRefunds === undefined || event.paymentId === undefined)
    return ignored(event, 'not_ours', deps);
  const atProvider = await deps.provider.retrieveRefund(event.paymentId, event.objectId);
  const refund = await applyIntentRefundEvent(atProvider, { ...deps.intentRefunds, clock: deps.clock });
  if (refund === undefined) return processed('refund_noted', subject, event.details, deps);
  return processed(`refund_${refund.status}`, subject, { ...event.details, refundId: refund.refundId }, deps);
}

/** Refunds are ours (already recorded when we asked for them); disputes are kept for ops, for good. */
async function noteChargeEvent(
  event: ProviderEvent,
  subject: WebhookSubject,
  deps: ConsumeDeps,
): Promise<WebhookSettlement> {
  const recorded = await recordedRefundOf(subject, deps);
  if (DISPUTE_EVENT_TYPES.has(event.type)) {
    const { expiresAt: _kept, ...settlement } = processed('dispute_noted', subject, event.details, deps);
    return settlement;
  }
  return processed('refund_noted', subject, { ...event.details, recordedRefunded: recorded }, deps);
}

/**
 * The payer's approval confirmed under our key. A decline is an outcome, not a failed delivery: the payment
 * is read back as the provider now holds it (declined) and applied like any other.
 */
async function confirmed(
  current: ProviderPayment,
  subject: WebhookSubject,
  deps: ConsumeDeps,
): Promise<ProviderPayment> {
  try {
    return await deps.provider.confirmPayment(current.id, `${subject.id}:confirm`);
  } catch (error) {
    if (!(error instanceof PaymentDeclinedError || error instanceof ExpiredCardError)) throw error;
    return deps.provider.retrievePayment(current.id);
  }
}

/**
 * Whether our record still waits on the provider, so that an approval may be confirmed (money taken): a
 * payment that meanwhile failed, timed out or was cancelled must not be charged by a late approval. Throws
 * NotFoundError for a record we do not know, before anything is confirmed.
 */
async function stillWaiting(subject: WebhookSubject, deps: ConsumeDeps): Promise<boolean> {
  if (subject.type === 'payment') {
    const payment = await deps.payments.get(subject.id);
    if (payment === undefined) throw new NotFoundError('Payment');
    return payment.state === 'Processing';
  }
  const topup = await deps.topups.get(subject.id);
  if (topup === undefined) throw new NotFoundError('Top-up');
  return topup.status !== 'succeeded' && topup.status !== 'failed';
}

/** What we have recorded as refunded; throws NotFoundError for a record we do not know. */
async function recordedRefundOf(subject: WebhookSubject, deps: ConsumeDeps): Promise<number> {
  if (subject.type === 'payment') {
    const payment = await deps.payments.get(subject.id);
    if (payment === undefined) throw new NotFoundError('Payment');
    return payment.refundedAmount;
  }
  // Top-ups are never refunded by us: anything refunded was done at the provider, which ops should see.
  if ((await deps.topups.get(subject.id)) === undefined) throw new NotFoundError('Top-up');
  return 0;
}

function subjectOf(charge: ProviderPayment): WebhookSubject | undefined {
  const topupId = charge.metadata?.topupId;
  if (topupId !== undefined) return { type: 'topup', id: topupId };
  const paymentId = charge.metadata?.paymentId;
  if (paymentId !== undefined) return { type: 'payment', id: paymentId };
  return undefined;
}

function processed(
  outcome: string,
  subject: WebhookSubject,
  details: WebhookSettlement['details'],
  deps: ConsumeDeps,
): WebhookSettlement {
  return {
    status: 'processed',
    outcome,
    subject,
    ...(details === undefined ? {} : { details }),
    expiresAt: expiry(deps),
  };
}

function ignored(event: ProviderEvent, reason: string, deps: ConsumeDeps): WebhookSettlement {
  return {
    status: 'ignored',
    outcome: 'ignored',
    reason,
    ...(event.details === undefined ? {} : { details: event.details }),
    expiresAt: expiry(deps),
  };
}

async function recordFailure(eventId: string, error: unknown, deps: ConsumeDeps): Promise<void> {
  const description = error instanceof Error ? `${error.name}: ${error.message}` : 'Unknown error';
  try {
    await deps.inbox.fail(eventId, description.slice(0, 500), now(deps));
  } catch (inboxError) {
    throw new AggregateError([error, inboxError], `Webhook ${eventId} failed and could not be marked failed`);
  }
}

function expiry(deps: ConsumeDeps): number {
  return Math.floor(deps.clock.now().getTime() / 1000) + INBOX_RETENTION_SECONDS;
}

function now(deps: ConsumeDeps): string {
  return deps.clock.now().toISOString();
}
