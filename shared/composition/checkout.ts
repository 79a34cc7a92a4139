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
import { readTableName } from '../config.js';
import { checkoutSessionObject } from '../http/views/checkout.js';
import { customerView } from '../http/views/customers.js';
import { once, onceAsync } from '../lazy.js';
import { prices } from './catalogue.js';
import { customerStore, providerCustomers } from './merchant-customers.js';
import { merchants } from './merchants.js';
import { paymentIntentDeps } from './payment-intent-deps.js';
import { checkoutSubscriptions } from './subscriptions.js';
import { workflows } from './workflows.js';

export const checkoutSessions = once(() => new DynamoDbCheckoutSessions(documentClient(), readTableName()));

const intentDeps = onceAsync(() => paymentIntentDeps(workflows('paymentIntentCapture')));

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
    paymentIntents: intentDeps,
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
    paymentIntents: intentDeps,
    customers: async () => customerDeps(),
    subscriptions: async () => checkoutSubscriptions(),
  }),
);
