/**
 * Paying an invoice (API.md `POST /v1/invoices/{id}/pay`) and billing a subscription's period: a charge is a
 * PaymentIntent like any other (shared/app/payment-intents: created and confirmed for the amount due, with
 * the customer and `metadata.invoice`), so its ledger, fees, settlement and receipt come with it. The
 * invoice becomes `paid` in the very transaction the intent succeeds in (the PaymentIntent store's invoice
 * companion), whichever path makes it succeed: this charge, a retried pay after 3-D Secure, or the
 * processor's webhook. A decline leaves the invoice open with its `last_payment_error` and
 * `invoice.payment_failed`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConcurrentModificationError,
  InvalidStateTransitionError,
  ValidationError,
} from '../../domain/errors.js';
import { assertInvoiceAction, type Invoice } from '../../domain/invoice.js';
import type { PaymentIntent } from '../../domain/payment-intent.js';
import {
  ExpiredCardError,
  PaymentDeclinedError,
  UnknownPaymentMethodError,
} from '../../domain/provider-errors.js';
import type { PeriodToBill, SubscriptionInvoicing, Tenant } from '../billing/ports.js';
import type { PaymentIntentDeps } from '../payment-intents/common.js';
import { confirmPaymentIntent, createPaymentIntent } from '../payment-intents/intents.js';
import {
  createInvoice,
  finalizeInvoice,
  type InvoiceDeps,
  invoiceEvent,
  invoiceOf,
  markInvoiceUncollectible,
} from './invoices.js';

export interface PayDeps extends InvoiceDeps {
  /** The PaymentIntents feature, which charges. */
  charges: PaymentIntentDeps;
}

/** How many times a pay reads the invoice again after a concurrent change (a twin request) before 409. */
const PAY_ATTEMPTS = 3;

/** How long a recorded attempt whose PaymentIntent is not there yet is taken to be a twin's, under way. */
const CLAIM_SECONDS = 60;

/** The processor's idempotency key of an invoice's charge attempt: the PaymentIntent's id derives from it. */
export function chargeKey(invoiceId: string, attempt: number): string {
  return `invoice:${invoiceId}:attempt:${attempt}`;
}

/**
 * 1. Payable from `open` (or `uncollectible`, as Stripe's); a paid, void or draft invoice is 409.
 * 2. A charge still waiting (3-D Secure, or a processor that did not answer) is resumed, never doubled.
 * 3. Otherwise a new attempt: the invoice records the attempt and its PaymentIntent first (conditional: of
 *    two concurrent pays one records it, the other resumes that same intent), then the intent is created
 *    and confirmed with `payment_method`, else the customer's default (400 when there is neither).
 * 4. Returns the invoice as the charge left it: paid, open waiting for 3-D Secure, or, on a decline, open with
 *    `last_payment_error` and `invoice.payment_failed`, then the decline (402) is thrown.
 */
export async function payInvoice(
  tenant: Tenant,
  invoiceId: string,
  input: { paymentMethodId?: string | undefined },
  deps: PayDeps,
): Promise<Invoice> {
  for (let round = 1; ; round += 1) {
    const invoice = await invoiceOf(tenant, invoiceId, deps);
    assertInvoiceAction(invoice, 'pay');
    const waiting = await waitingCharge(tenant, invoice, deps);
    if (waiting !== undefined)
      return settle(tenant, invoice, () => confirmPaymentIntent(waiting, deps.charges), deps);
    const customer = await deps.customers.find(tenant, invoice.customerId);
    const paymentMethodId = input.paymentMethodId ?? customer?.defaultPaymentMethod;
    if (paymentMethodId === undefined) {
      throw new ValidationError('The customer has no default payment method', {
        issues: [{ path: 'payment_method', message: 'Required: the customer has no default payment method' }],
      });
    }
    const attempt = invoice.attemptCount + 1;
    const key = chargeKey(invoiceId, attempt);
    const intentId = deps.ids.derive('pi_', tenant.merchantId, tenant.mode, key);
    const at = deps.clock.now().toISOString();
    const claimed = { ...invoice, attemptCount: attempt, paymentIntentId: intentId, updatedAt: at };
    try {
      await deps.invoices.save(invoice, claimed);
    } catch (error) {
      if (error instanceof ConcurrentModificationError && round < PAY_ATTEMPTS) continue;
      throw error;
    }
    return settle(
      tenant,
      claimed,
      () =>
        createPaymentIntent(
          {
            tenant,
            idempotencyKey: key,
            amount: invoice.amountDue,
            currency: invoice.currency,
            captureMethod: 'automatic',
            customerId: invoice.customerId,
            paymentMethodId,
            confirm: true,
            description: `Invoice ${invoice.number ?? invoiceId}`,
            metadata: { invoice: invoiceId },
          },
          deps.charges,
        ),
      deps,
    );
  }
}

/** The invoice's current charge when it is still under way (3-D Secure, no answer yet): resumed, not redone. */
async function waitingCharge(
  tenant: Tenant,
  invoice: Invoice,
  deps: PayDeps,
): Promise<{ tenant: Tenant; intentId: string } | undefined> {
  if (invoice.paymentIntentId === null) return undefined;
  const intent = await deps.charges.intents.get(tenant, invoice.paymentIntentId);
  if (intent === undefined) {
    // Claimed by a twin that is creating it now; long ago, a request that stopped before it (a new attempt).
    const claimedAt = Date.parse(invoice.updatedAt);
    if (deps.clock.now().getTime() - claimedAt < CLAIM_SECONDS * 1000)
      throw new ConcurrentModificationError('Invoice');
    return undefined;
  }
  const underWay = intent.status === 'requires_action' || intent.status === 'processing';
  return underWay || (intent.status === 'requires_confirmation' && intent.attempts === 0)
    ? { tenant, intentId: intent.intentId }
    : undefined;
}

async function settle(
  tenant: Tenant,
  invoice: Invoice,
  charge: () => Promise<PaymentIntent>,
  deps: PayDeps,
): Promise<Invoice> {
  try {
    await charge();
  } catch (error) {
    if (!isDecline(error)) throw error;
    await recordDecline(tenant, invoice.invoiceId, error, deps);
    throw error;
  }
  return invoiceOf(tenant, invoice.invoiceId, deps);
}

function isDecline(
  error: unknown,
): error is PaymentDeclinedError | ExpiredCardError | UnknownPaymentMethodError {
  return (
    error instanceof PaymentDeclinedError ||
    error instanceof ExpiredCardError ||
    error instanceof UnknownPaymentMethodError
  );
}

/** The decline on the invoice (still open) with `invoice.payment_failed`, once per attempt. */
async function recordDecline(
  tenant: Tenant,
  invoiceId: string,
  error: PaymentDeclinedError | ExpiredCardError | UnknownPaymentMethodError,
  deps: PayDeps,
): Promise<void> {
  const invoice = await invoiceOf(tenant, invoiceId, deps);
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') return;
  const lastPaymentError = {
    code:
      error instanceof PaymentDeclinedError
        ? 'card_declined'
        : error instanceof ExpiredCardError
          ? 'expired_card'
          : 'resource_missing',
    declineCode: error instanceof PaymentDeclinedError ? error.declineCode : null,
    message: error.message,
  };
  const after = { ...invoice, lastPaymentError, updatedAt: deps.clock.now().toISOString() };
  try {
    await deps.invoices.save(invoice, after, invoiceEvent('invoice.payment_failed', after, deps.objectView));
  } catch (conflict) {
    // Another request recorded this attempt's outcome meanwhile; the decline still answers this one.
    if (!(conflict instanceof ConcurrentModificationError)) throw conflict;
  }
}

/** How long a retried or twin billing waits for the charge under way to be decided (then: as it stands). */
const DECIDED_POLLS = 50;
const DECIDED_POLL_MS = 100;

/**
 * The invoice once its current charge is decided: paid, declined (its error recorded), waiting for 3-D
 * Secure, or no charge under way. Still undecided after DECIDED_POLLS reads → ConcurrentModificationError:
 * an open invoice would read as a decline to the caller (a subscription would go past_due while the twin's
 * charge succeeds), so the twin is refused and retried later (its queue message comes back).
 */
async function decided(tenant: Tenant, invoiceId: string, deps: PayDeps): Promise<Invoice> {
  for (let poll = 1; ; poll += 1) {
    const invoice = await invoiceOf(tenant, invoiceId, deps);
    if (invoice.status !== 'open' || invoice.paymentIntentId === null) return invoice;
    if (poll > DECIDED_POLLS) throw new ConcurrentModificationError('Invoice');
    const intent = await deps.charges.intents.get(tenant, invoice.paymentIntentId);
    const underWay =
      intent === undefined || intent.status === 'processing' || intent.status === 'requires_confirmation';
    if (!underWay && (intent.status !== 'requires_payment_method' || invoice.lastPaymentError !== null))
      return invoice;
    await sleep(DECIDED_POLL_MS);
  }
}

/** The SubscriptionInvoicing seam (../billing/ports.ts): the subscriptions feature bills its periods here. */
export function subscriptionInvoicing(deps: PayDeps): SubscriptionInvoicing {
  const chargeOnce = async (tenant: Tenant, invoice: Invoice, attempt: number): Promise<Invoice> => {
    if (invoice.status !== 'open') return invoice;
    // This attempt was made already (a retried or twin call): its outcome once the charge is decided.
    if (invoice.attemptCount >= attempt) return decided(tenant, invoice.invoiceId, deps);
    try {
      return await payInvoice(tenant, invoice.invoiceId, {}, deps);
    } catch (error) {
      if (isDecline(error)) return invoiceOf(tenant, invoice.invoiceId, deps);
      // A twin is charging it (409) or has paid it: its outcome.
      if (error instanceof InvalidStateTransitionError || error instanceof ConcurrentModificationError) {
        return decided(tenant, invoice.invoiceId, deps);
      }
      throw error;
    }
  };
  return {
    async billPeriod(period: PeriodToBill): Promise<Invoice> {
      const { tenant } = period;
      const draft = await createInvoice(
        tenant,
        {
          customerId: period.customerId,
          items: period.items.map((item) => ({ price: item.priceId, quantity: item.quantity })),
          subscriptionId: period.subscriptionId,
          period: { start: period.periodStart, end: period.periodEnd },
        },
        `subscription:${period.subscriptionId}:${period.periodStart}`,
        deps,
      );
      const current = await invoiceOf(tenant, draft.invoiceId, deps);
      const open =
        current.status === 'draft' ? await finalizeInvoice(tenant, draft.invoiceId, deps) : current;
      return chargeOnce(tenant, open, 1);
    },
    async retry(tenant: Tenant, invoiceId: string, attempt: number): Promise<Invoice> {
      return chargeOnce(tenant, await invoiceOf(tenant, invoiceId, deps), attempt + 1);
    },
    markUncollectible: (tenant: Tenant, invoiceId: string) =>
      markInvoiceUncollectible(tenant, invoiceId, deps),
  };
}
