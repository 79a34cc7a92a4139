/** In-memory fakes of the subscriptions' ports (and of the billing seams they call), for the unit tests. */
import type {
  PeriodToBill,
  PriceReader,
  SubscriptionInvoicing,
} from '../../../../shared/app/billing/ports.js';
import type {
  StoredSubscription,
  SubscriptionCustomers,
  SubscriptionEvent,
  SubscriptionSchedule,
  SubscriptionStore,
} from '../../../../shared/app/subscriptions/ports.js';
import type { SubscriptionDeps } from '../../../../shared/app/subscriptions/subscriptions.js';
import type { Customer, Tenant } from '../../../../shared/domain/customer.js';
import { ConcurrentModificationError } from '../../../../shared/domain/errors.js';
import type { Invoice } from '../../../../shared/domain/invoice.js';
import type { Price } from '../../../../shared/domain/price.js';
import type { Subscription, SubscriptionStep } from '../../../../shared/domain/subscription.js';
import { subscriptionView } from '../../../../shared/http/views/subscriptions.js';
import { fixedClock, type TestClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';

export const TENANT: Tenant = { merchantId: 'mch_1', mode: 'test' };

export class FakeSubscriptions implements SubscriptionStore {
  readonly stored = new Map<string, StoredSubscription>();
  readonly events: SubscriptionEvent[] = [];

  async create(subscription: Subscription, event: SubscriptionEvent) {
    const earlier = this.stored.get(subscription.subscriptionId);
    if (earlier !== undefined) return earlier;
    const entry = { subscription, version: 1 };
    this.stored.set(subscription.subscriptionId, entry);
    this.events.push(event);
    return entry;
  }
  async get(_tenant: Tenant, id: string) {
    return this.stored.get(id);
  }
  async change(next: Subscription, version: number, event?: SubscriptionEvent) {
    const current = this.stored.get(next.subscriptionId);
    if (current?.version !== version) throw new ConcurrentModificationError('Subscription');
    const entry = { subscription: next, version: version + 1 };
    this.stored.set(next.subscriptionId, entry);
    if (event !== undefined) this.events.push(event);
    return entry;
  }
  async list() {
    return { items: [...this.stored.values()].map((entry) => entry.subscription).reverse() };
  }
  only(): Subscription {
    const [first] = this.stored.values();
    if (first === undefined) throw new Error('No subscription');
    return first.subscription;
  }
}

/** Charges succeed unless `declining` is set; one invoice per (subscription, period), one charge per attempt. */
export class FakeInvoicing implements SubscriptionInvoicing {
  declining = false;
  readonly invoices = new Map<string, Invoice>();
  readonly charges: string[] = [];
  readonly uncollectible: string[] = [];

  async billPeriod(period: PeriodToBill) {
    const invoiceId = `in_${period.subscriptionId}_${period.periodStart}`;
    const earlier = this.invoices.get(invoiceId);
    if (earlier !== undefined) return earlier;
    return this.#charge(invoice(invoiceId, period), 'first');
  }
  async retry(_tenant: Tenant, invoiceId: string, attempt: number) {
    const current = this.invoices.get(invoiceId);
    if (current === undefined) throw new Error('No invoice');
    if (current.status !== 'open' || current.attemptCount > attempt) return current;
    return this.#charge(current, String(attempt));
  }
  async markUncollectible(_tenant: Tenant, invoiceId: string) {
    const current = this.invoices.get(invoiceId);
    if (current === undefined) throw new Error('No invoice');
    this.uncollectible.push(invoiceId);
    const next = { ...current, status: 'uncollectible' as const };
    this.invoices.set(invoiceId, next);
    return next;
  }
  #charge(current: Invoice, attempt: string): Invoice {
    this.charges.push(`${current.invoiceId}#${attempt}`);
    const next: Invoice = this.declining
      ? {
          ...current,
          status: 'open',
          attemptCount: current.attemptCount + 1,
          lastPaymentError: { code: 'card_declined', declineCode: 'generic_decline', message: 'declined' },
        }
      : {
          ...current,
          status: 'paid',
          attemptCount: current.attemptCount + 1,
          amountPaid: current.total,
          amountDue: 0,
        };
    this.invoices.set(current.invoiceId, next);
    return next;
  }
}

function invoice(invoiceId: string, period: PeriodToBill): Invoice {
  const at = period.periodStart;
  return {
    ...period.tenant,
    invoiceId,
    customerId: period.customerId,
    subscriptionId: period.subscriptionId,
    status: 'open',
    number: 'MCH1-0001',
    currency: 'USD',
    lines: [],
    subtotal: 1500,
    tax: 0,
    total: 1500,
    amountPaid: 0,
    amountDue: 1500,
    dueDays: 0,
    dueDate: at,
    paymentIntentId: null,
    attemptCount: 0,
    lastPaymentError: null,
    createdAt: at,
    updatedAt: at,
    finalizedAt: at,
    paidAt: null,
    voidedAt: null,
  };
}

export class FakeSchedule implements SubscriptionSchedule {
  readonly scheduled: { step: SubscriptionStep; at: Date }[] = [];
  async scheduleAt(step: SubscriptionStep, at: Date) {
    this.scheduled.push({ step, at });
  }
  last(): { step: SubscriptionStep; at: Date } {
    const last = this.scheduled.at(-1);
    if (last === undefined) throw new Error('Nothing scheduled');
    return last;
  }
}

export function price(priceId: string, overrides: Partial<Price> = {}): Price {
  return {
    ...TENANT,
    priceId,
    productId: 'prod_1',
    unitAmount: 1500,
    currency: 'USD',
    recurring: { interval: 'month' },
    active: true,
    createdAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The test customer, with a default card unless `withoutCard`. */
export function customer(withoutCard = false): Customer {
  return {
    ...TENANT,
    customerId: 'cus_1',
    metadata: {},
    ...(withoutCard ? {} : { defaultPaymentMethod: 'pm_card_visa' }),
    providerCustomerId: 'cus_provider',
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

export interface World {
  deps: SubscriptionDeps;
  store: FakeSubscriptions;
  invoicing: FakeInvoicing;
  schedule: FakeSchedule;
  clock: TestClock;
  customers: Map<string, Customer>;
}

export function world(prices: readonly Price[] = [price('price_month')]): World {
  const store = new FakeSubscriptions();
  const invoicing = new FakeInvoicing();
  const schedule = new FakeSchedule();
  const clock = fixedClock('2026-12-07T10:00:00.000Z');
  const customers = new Map<string, Customer>([['cus_1', customer()]]);
  const priceReader: PriceReader = {
    get: async (_tenant, priceId) => prices.find((candidate) => candidate.priceId === priceId),
  };
  const customerPort: SubscriptionCustomers = {
    get: async (_tenant, id) => customers.get(id),
    setDefaultPaymentMethod: async (_tenant, id, paymentMethodId) => {
      const current = customers.get(id);
      if (current === undefined) throw new Error('No customer');
      const next = { ...current, defaultPaymentMethod: paymentMethodId };
      customers.set(id, next);
      return next;
    },
  };
  return {
    deps: {
      subscriptions: store,
      customers: customerPort,
      prices: priceReader,
      invoicing,
      schedule,
      ids: sequentialIds(),
      clock,
      settings: { dunning: [3, 5, 7], secondsPerMonth: 60 },
      objectView: subscriptionView,
    },
    store,
    invoicing,
    schedule,
    clock,
    customers,
  };
}
