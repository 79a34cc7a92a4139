import type {
  CaptureWindow,
  IntentCustomer,
  IntentCustomers,
  PaymentIntentEvent,
  PaymentIntentPage,
  PaymentIntentStore,
  Tenant,
} from '../../../shared/app/payment-intents/ports.js';
import type { MerchantCharge } from '../../../shared/domain/balance.js';
import { ConcurrentModificationError } from '../../../shared/domain/errors.js';
import type { PaymentIntent, PaymentIntentStatus } from '../../../shared/domain/payment-intent.js';
import { roundTrip } from './round-trip.js';

const keyOf = (tenant: Tenant, intentId: string) => `${tenant.merchantId}#${tenant.mode}#${intentId}`;

/** PaymentIntents in memory, with the DynamoDB store's conditions: a change holds only on the intent as read. */
export class InMemoryPaymentIntents implements PaymentIntentStore {
  readonly #intents = new Map<string, PaymentIntent>();
  /** Every event written with a change, in order. */
  readonly events: PaymentIntentEvent[] = [];
  /** Every charge written with a change (an intent succeeding), in order. */
  readonly charges: MerchantCharge[] = [];

  async create(intent: PaymentIntent): Promise<PaymentIntent> {
    await roundTrip();
    const key = keyOf(intent, intent.intentId);
    const stored = this.#intents.get(key);
    if (stored !== undefined) return structuredClone(stored);
    this.#intents.set(key, structuredClone(intent));
    return intent;
  }

  async get(tenant: Tenant, intentId: string): Promise<PaymentIntent | undefined> {
    await roundTrip();
    const stored = this.#intents.get(keyOf(tenant, intentId));
    return stored === undefined ? undefined : structuredClone(stored);
  }

  async save(
    before: PaymentIntent,
    after: PaymentIntent,
    event?: PaymentIntentEvent,
    charge?: MerchantCharge,
  ): Promise<PaymentIntent> {
    await roundTrip();
    const key = keyOf(before, before.intentId);
    const stored = this.#intents.get(key);
    if (
      stored === undefined ||
      stored.status !== before.status ||
      stored.attempts !== before.attempts ||
      stored.updatedAt !== before.updatedAt
    ) {
      throw new ConcurrentModificationError('PaymentIntent');
    }
    if (event !== undefined && this.events.some((e) => e.detail.eventId === event.detail.eventId)) {
      throw new ConcurrentModificationError('PaymentIntent');
    }
    this.#intents.set(key, structuredClone(after));
    if (event !== undefined) this.events.push(event);
    if (charge !== undefined) this.charges.push(charge);
    return after;
  }

  async list(
    tenant: Tenant,
    query: { customerId?: string; status?: PaymentIntentStatus; limit: number; after?: string },
  ): Promise<PaymentIntentPage> {
    const position = (intent: PaymentIntent) => `${intent.createdAt}#${intent.intentId}`;
    const all = [...this.#intents.values()]
      .filter((intent) => intent.merchantId === tenant.merchantId && intent.mode === tenant.mode)
      .filter((intent) => query.status === undefined || intent.status === query.status)
      .filter((intent) => query.customerId === undefined || intent.customerId === query.customerId)
      .sort((a, b) => position(b).localeCompare(position(a)))
      .filter((intent) => query.after === undefined || position(intent) < query.after);
    const intents = all.slice(0, query.limit);
    const last = intents.at(-1);
    return {
      intents: structuredClone(intents),
      ...(all.length > query.limit && last !== undefined ? { after: position(last) } : {}),
    };
  }
}

/** The tenant's customers, registered by the test. */
export class FakeIntentCustomers implements IntentCustomers {
  readonly #customers = new Map<string, IntentCustomer>();

  add(tenant: Tenant, customer: IntentCustomer): this {
    this.#customers.set(keyOf(tenant, customer.customerId), customer);
    return this;
  }

  async find(tenant: Tenant, customerId: string): Promise<IntentCustomer | undefined> {
    return this.#customers.get(keyOf(tenant, customerId));
  }
}

/** Records the capture windows started (one per intent: a duplicate start is harmless). */
export class RecordingCaptureWindow implements CaptureWindow {
  readonly started = new Map<string, Readonly<Record<string, unknown>>>();

  async start(intentId: string, input: Readonly<Record<string, unknown>>): Promise<void> {
    if (!this.started.has(intentId)) this.started.set(intentId, input);
  }
}
