/**
 * The billing events (API.md "Billing and checkout"): invoices, subscriptions and checkout sessions, for the
 * merchant's webhooks (and the invoice emails). Each carries the merchant envelope and, in `object`, the
 * object as the merchant API shows it at the moment of the event; the few fields besides it are what a
 * consumer other than the webhooks needs (the notifier: who to email, how much).
 */
import * as z from 'zod/mini';
import '../zod-locale.js';

export const billingEventTypes = [
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'checkout.session.completed',
  'checkout.session.expired',
] as const;

export type BillingEventType = (typeof billingEventTypes)[number];

const id = z.string().check(z.minLength(1));
const minorUnits = z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));
const currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case'));

function billingDetail<T extends z.core.$ZodLooseShape>(envelope: T) {
  return {
    invoice: z.object({
      ...envelope,
      invoiceId: id,
      customerId: id,
      subscriptionId: z.optional(id),
      status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']),
      /** Gap-free per merchant and mode, given at finalization (`MCHDEMO-0001`). */
      number: z.optional(z.string()),
      total: minorUnits,
      amountDue: minorUnits,
      currency,
      /** Why the last charge failed (payment_failed): the processor's decline code. */
      failureCode: z.optional(z.string()),
    }),
    subscription: z.object({
      ...envelope,
      subscriptionId: id,
      customerId: id,
      status: z.enum(['trialing', 'active', 'past_due', 'canceled', 'unpaid']),
      previousStatus: z.optional(z.string()),
    }),
    checkoutSession: z.object({
      ...envelope,
      sessionId: id,
      sessionMode: z.enum(['payment', 'subscription']),
      status: z.enum(['open', 'complete', 'expired']),
      amountTotal: minorUnits,
      currency,
      paymentIntentId: z.optional(id),
      subscriptionId: z.optional(id),
      customerId: z.optional(id),
    }),
  };
}

/** The billing events' schemas, keyed by type, built on the domain events' merchant envelope. */
export function billingEventSchemas<T extends z.core.$ZodLooseShape>(envelope: T) {
  const detail = billingDetail(envelope);
  return {
    'invoice.created': detail.invoice,
    'invoice.finalized': detail.invoice,
    'invoice.paid': detail.invoice,
    'invoice.payment_failed': detail.invoice,
    'invoice.voided': detail.invoice,
    'invoice.marked_uncollectible': detail.invoice,
    'customer.subscription.created': detail.subscription,
    'customer.subscription.updated': detail.subscription,
    'customer.subscription.deleted': detail.subscription,
    'checkout.session.completed': detail.checkoutSession,
    'checkout.session.expired': detail.checkoutSession,
  } as const satisfies Record<BillingEventType, z.ZodMiniType>;
}
