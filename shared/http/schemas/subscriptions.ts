import * as z from 'zod/mini';
import { MAX_TRIAL_DAYS } from '../../domain/subscription.js';
import { metadata } from './customers.js';
import { listOf } from './list.js';

const int = () => z.number().check(z.int());
const epoch = () => int().register(z.globalRegistry, { description: 'Epoch seconds' });
const STATUSES = ['trialing', 'active', 'past_due', 'canceled', 'unpaid'] as const;

export const SubscriptionIdParams = z.object({
  subscriptionId: z.string().check(z.regex(/^sub_[A-Za-z0-9]{1,64}$/, 'unknown subscription id')),
});

const customerId = () =>
  z
    .string()
    .check(z.regex(/^cus_[A-Za-z0-9]{1,64}$/, 'must be a customer id (cus_…)'))
    .register(z.globalRegistry, { example: 'cus_123' });

export const CreateSubscriptionRequest = z
  .strictObject({
    customer: customerId().register(z.globalRegistry, {
      description: 'The customer billed; needs a `default_payment_method` unless there is a trial',
    }),
    items: z
      .array(
        z.strictObject({
          price: z.string().check(z.regex(/^price_[A-Za-z0-9]{1,64}$/, 'must be a price id (price_…)')),
          quantity: z.optional(int().check(z.minimum(1), z.maximum(10_000))),
        }),
      )
      .check(z.minLength(1), z.maxLength(20))
      .register(z.globalRegistry, {
        description: 'Recurring prices, all in one currency and at one interval; quantity 1 by default',
      }),
    trial_period_days: z.optional(int().check(z.minimum(1), z.maximum(MAX_TRIAL_DAYS))),
    metadata: z.optional(metadata()),
  })
  .register(z.globalRegistry, { id: 'CreateSubscriptionRequest' });

export const CancelSubscriptionRequest = z
  .strictObject({
    at_period_end: z.optional(z.boolean()).register(z.globalRegistry, {
      description: 'true: it ends at the current period’s end instead of now',
    }),
  })
  .register(z.globalRegistry, { id: 'CancelSubscriptionRequest' });

export const ListSubscriptionsQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 10),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  customer: z.optional(customerId()),
  status: z.optional(z.enum(STATUSES)),
});

export const SubscriptionResponse = z
  .object({
    id: z.string(),
    object: z.literal('subscription'),
    status: z.enum(STATUSES),
    customer: z.string(),
    items: listOf(
      z.object({
        id: z.string(),
        object: z.literal('subscription_item'),
        price: z.string(),
        quantity: int(),
      }),
      'SubscriptionItemList',
    ),
    currency: z.string(),
    current_period_start: epoch(),
    current_period_end: epoch(),
    trial_end: z.nullable(epoch()),
    cancel_at_period_end: z.boolean(),
    canceled_at: z.nullable(epoch()),
    latest_invoice: z.nullable(z.string()).register(z.globalRegistry, {
      description: 'The invoice of the latest period billed (in_…)',
    }),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created: epoch(),
  })
  .register(z.globalRegistry, { id: 'Subscription' });

export const SubscriptionList = listOf(SubscriptionResponse, 'SubscriptionList');
