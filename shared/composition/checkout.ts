/**
 * Hosted checkout: its sessions on the single table, the prices they are made of (the invoices part's
 * PriceReader), the merchant's customers, and the PaymentIntents and subscriptions its page starts.
 */

import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { systemClock } from '../adapters/clock.js';
import { DynamoDbCheckoutSessions } from '../adapters/dynamodb/checkout-sessions.js';
import { randomIds } from '../adapters/ids.js';
import type { CheckoutPageDeps } from '../app/checkout/pay.js';
import type { CheckoutDeps } from '../app/checkout/sessions.js';
import type { CustomerDeps } from '../app/merchant-customers/customers.js';
import type { PaymentIntentDeps } from '../app/payment-intents/common.js';
import { readTableName } from '../config.js';
import { checkoutSessionObject } from '../http/views/checkout.js';
import { customerView } from '../http/views/customers.js';
import { paymentIntentView } from '../http/views/payment-intents.js';
import { once, onceAsync } from '../lazy.js';
import { merchantLedger } from './balance.js';
import { prices } from './catalogue.js';
import { customerStore, providerCustomers } from './merchant-customers.js';
import { merchants } from './merchants.js';
import { captureWindowSeconds, intentCustomers, paymentIntents } from './payment-intents.js';
import { paymentProvider } from './providers.js';
import { currencies } from './settings.js';
import { checkoutSubscriptions } from './subscriptions.js';
import { workflows } from './workflows.js';

export const checkoutSessions = once(() => new DynamoDbCheckoutSessions(documentClient(), readTableName()));

const paymentIntentDeps = onceAsync(
  async (): Promise<PaymentIntentDeps> => ({
    intents: paymentIntents(),
    provider: await paymentProvider(),
    customers: intentCustomers(),
    merchants: merchants(),
    captureWindow: workflows('paymentIntentCapture'),
    currencies: currencies(),
    ids: randomIds,
    clock: systemClock,
    captureWindowSeconds: captureWindowSeconds(),
    objectView: paymentIntentView,
    ledger: merchantLedger(),
  }),
);

export const checkoutDeps = once(
  (): CheckoutDeps => ({
    sessions: checkoutSessions(),
    prices: prices(),
    customers: {
      exists: async (tenant, customerId) => (await customerStore().get(tenant, customerId)) !== undefined,
    },
    ids: randomIds,
    clock: systemClock,
    objectView: checkoutSessionObject,
    paymentIntents: paymentIntentDeps,
  }),
);

const customerDeps = once(
  (): CustomerDeps => ({
    customers: customerStore(),
    providerCustomers,
    ids: randomIds,
    clock: systemClock,
    objectView: customerView,
  }),
);

export const checkoutPageDeps = once(
  (): CheckoutPageDeps => ({
    sessions: checkoutSessions(),
    clock: systemClock,
    objectView: checkoutSessionObject,
    merchants: merchants(),
    paymentIntents: paymentIntentDeps,
    customers: async () => customerDeps(),
    subscriptions: async () => checkoutSubscriptions(),
  }),
);
