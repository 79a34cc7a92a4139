import * as z from 'zod/mini';
import { MODES } from '../../../domain/merchant.js';
import type { Subscription } from '../../../domain/subscription.js';
import { defineEntity } from '../entity.js';
import { subscriptionIndexKey, subscriptionKey } from '../subscription-keys.js';
import { exactSchemaOf } from './exact.js';

const STATUSES = ['trialing', 'active', 'past_due', 'canceled', 'unpaid'] as const;

/** A merchant's subscription, in its tenant partition and in the tenant's subscriptions (GSI1, newest first). */
export const SubscriptionEntity = defineEntity<Subscription>({
  type: 'Subscription',
  schema: exactSchemaOf<Subscription>()(
    z.object({
      subscriptionId: z.string(),
      merchantId: z.string(),
      mode: z.enum(MODES),
      customerId: z.string(),
      items: z.array(z.object({ itemId: z.string(), priceId: z.string(), quantity: z.number() })),
      currency: z.string(),
      interval: z.enum(['month', 'year']),
      status: z.enum(STATUSES),
      currentPeriodStart: z.string(),
      currentPeriodEnd: z.string(),
      trialEnd: z.nullable(z.string()),
      cancelAtPeriodEnd: z.boolean(),
      canceledAt: z.nullable(z.string()),
      latestInvoiceId: z.nullable(z.string()),
      dunningAttempt: z.number(),
      metadata: z.exactOptional(z.record(z.string(), z.string())),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  key: (subscription) =>
    subscriptionKey(subscription.merchantId, subscription.mode, subscription.subscriptionId),
  indexes: (subscription) =>
    subscriptionIndexKey(
      subscription.merchantId,
      subscription.mode,
      subscription.createdAt,
      subscription.subscriptionId,
    ),
});
