/**
 * The invoices feature composed: its use cases' dependencies (the invoice store, the catalogue's prices, the
 * merchant's customers, and the PaymentIntents that charge), and the SubscriptionInvoicing seam the
 * subscriptions feature bills its periods through (shared/app/billing/ports.ts).
 */

import { systemClock } from '../adapters/clock.js';
import { randomIds } from '../adapters/ids.js';
import type { SubscriptionInvoicing } from '../app/billing/ports.js';
import { type PayDeps, subscriptionInvoicing } from '../app/invoices/pay.js';
import type { PaymentIntentDeps } from '../app/payment-intents/common.js';
import { onceAsync } from '../lazy.js';
import { prices } from './catalogue.js';
import { eventInvoiceView, invoiceStore } from './invoice-companions.js';
import { paymentIntentDeps } from './payment-intent-deps.js';
import { intentCustomers } from './payment-intents.js';
import { currencies } from './settings.js';

/** The PaymentIntents feature as an invoice's charge uses it (as /v1/payment_intents does). */
function charges(): Promise<PaymentIntentDeps> {
  // An invoice's charge captures at once: no authorization waits for a capture window.
  return paymentIntentDeps({
    start: () => Promise.reject(new Error('An invoice charge is captured automatically')),
  });
}

/** Everything the invoice use cases need; built on first use (the processor's client reads its secret). */
export const invoiceDeps = onceAsync(
  async (): Promise<PayDeps> => ({
    invoices: invoiceStore(),
    prices: prices(),
    customers: intentCustomers(),
    currencies: currencies(),
    ids: randomIds,
    clock: systemClock,
    objectView: eventInvoiceView,
    charges: await charges(),
  }),
);

/** The SubscriptionInvoicing seam: create, finalize and charge a period's invoice; retry; uncollectible. */
export const invoicing = onceAsync(
  async (): Promise<SubscriptionInvoicing> => subscriptionInvoicing(await invoiceDeps()),
);
