/**
 * A merchant of a test's own ready to bill (test/support/merchant-shops.ts `newShop`), over HTTP as its
 * server calls the API: a customer with a card (or none), a product and its recurring price, subscriptions
 * read back, and a webhook endpoint at a local receiver.
 */
import { randomUUID } from 'node:crypto';
import { call } from './api.js';
import { newShop, type Shop, withKey } from './merchant-shops.js';
import { waitFor } from './stack.js';
import { WebhookReceiver } from './webhook-receiver.js';

type Json = Record<string, unknown>;

export interface SubscriptionBody {
  id: string;
  object: string;
  status: string;
  customer: string;
  items: { object: string; data: { id: string; price: string; quantity: number }[] };
  current_period_start: number;
  current_period_end: number;
  trial_end: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  latest_invoice: string | null;
  livemode: boolean;
  created: number;
  error?: { code: string };
}

export interface BillingShop {
  shop: Shop;
  receiver: WebhookReceiver;
  get<T = Json>(path: string): Promise<{ status: number; body: T }>;
  post<T = Json>(path: string, body: unknown, key?: string | null): Promise<{ status: number; body: T }>;
  /** A customer with `card` attached and made its default (none: no card). */
  customer(card?: string): Promise<string>;
  /** Makes `card` (attached now) the customer's default payment method. */
  useCard(customerId: string, card: string): Promise<void>;
  /** A recurring price of a new product. */
  price(unitAmount: number, interval?: 'month' | 'year', currency?: string): Promise<string>;
  oneTimePrice(unitAmount: number): Promise<string>;
  subscription(id: string): Promise<SubscriptionBody>;
  /** Polls the subscription until `done` holds. */
  until(
    id: string,
    what: string,
    done: (s: SubscriptionBody) => boolean,
    timeoutMs?: number,
  ): Promise<SubscriptionBody>;
}

export async function billingShop(): Promise<BillingShop> {
  const shop = await newShop();
  const receiver = await WebhookReceiver.start();
  const get = <T = Json>(path: string) => call<T>('GET', path, withKey(shop.test, undefined, null));
  const post = <T = Json>(path: string, body: unknown, key: string | null = randomUUID()) =>
    call<T>('POST', path, withKey(shop.test, body, key));
  const created = async (path: string, body: unknown) => {
    const answer = await post<{ id: string }>(path, body);
    if (answer.status !== 201)
      throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const endpoint = await post<{ secret: string }>('/v1/webhook_endpoints', {
    url: receiver.url,
    enabled_events: [
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'invoice.paid',
      'invoice.payment_failed',
      'invoice.marked_uncollectible',
    ],
  });
  if (endpoint.status !== 201) throw new Error(`A webhook endpoint: ${endpoint.status}`);
  receiver.useSecret(endpoint.body.secret);
  const useCard = async (customerId: string, card: string) => {
    const attached = await post<{ id: string }>(`/v1/customers/${customerId}/payment_methods`, {
      payment_method: card,
    });
    if (attached.status !== 200 && attached.status !== 201)
      throw new Error(`Attach ${card}: ${attached.status}`);
    // A test card (`pm_card_visa`) attaches as a payment method of its own id, as at Stripe.
    const updated = await post(`/v1/customers/${customerId}`, { default_payment_method: attached.body.id });
    if (updated.status !== 200) throw new Error(`Default ${card}: ${updated.status}`);
  };
  const product = () => created('/v1/products', { name: `Plan ${randomUUID().slice(0, 8)}` });
  const subscription = async (id: string) => (await get<SubscriptionBody>(`/v1/subscriptions/${id}`)).body;
  return {
    shop,
    receiver,
    get,
    post,
    customer: async (card) => {
      const id = await created('/v1/customers', { email: `buyer-${randomUUID().slice(0, 8)}@subs.example` });
      if (card !== undefined) await useCard(id, card);
      return id;
    },
    useCard,
    price: async (unitAmount, interval = 'month', currency = 'USD') =>
      created('/v1/prices', {
        product: await product(),
        unit_amount: unitAmount,
        currency,
        recurring: { interval },
      }),
    oneTimePrice: async (unitAmount) =>
      created('/v1/prices', { product: await product(), unit_amount: unitAmount, currency: 'USD' }),
    subscription,
    until: (id, what, done, timeoutMs = 60_000) =>
      waitFor(
        async () => {
          const current = await subscription(id);
          return done(current) ? current : undefined;
        },
        `subscription ${id} ${what}`,
        timeoutMs,
      ),
  };
}
