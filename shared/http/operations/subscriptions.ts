import type { OperationDoc } from '../operations.js';
import {
  CancelSubscriptionRequest,
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  SubscriptionIdParams,
  SubscriptionList,
  SubscriptionResponse,
} from '../schemas/subscriptions.js';

const notFound = {
  description: "NOT_FOUND: no such subscription of this merchant and mode (another's id answers the same)",
};

/** The merchant API's subscriptions. */
export const subscriptionOperations: Readonly<Record<string, OperationDoc>> = {
  'POST /v1/subscriptions': {
    operationId: 'createSubscription',
    description:
      'Without a trial the first period is billed at once to the customer’s default payment method: paid → `active`; declined → `past_due`, retried on `DUNNING_SCHEDULE` (3, 5 and 7 days), then `canceled`. With `trial_period_days` it is `trialing` until `trial_end`, when the first period is billed. An `Idempotency-Key` makes a retry return the same subscription.',
    request: { body: CreateSubscriptionRequest },
    responses: {
      201: { description: 'The subscription', schema: SubscriptionResponse },
      400: {
        description:
          'VALIDATION_ERROR: an unknown customer or price, a price that is not recurring, prices in two currencies or at two intervals, or a customer without a default payment method and no trial',
      },
    },
    errors: {
      VALIDATION_ERROR: 'the customer or prices cannot make a subscription (nothing is created)',
    },
  },
  'GET /v1/subscriptions': {
    operationId: 'listSubscriptions',
    request: { query: ListSubscriptionsQuery },
    responses: { 200: { description: 'One page, newest first', schema: SubscriptionList } },
  },
  'GET /v1/subscriptions/{subscriptionId}': {
    operationId: 'getSubscription',
    request: { params: SubscriptionIdParams },
    responses: { 200: { description: 'The subscription', schema: SubscriptionResponse }, 404: notFound },
  },
  'POST /v1/subscriptions/{subscriptionId}/cancel': {
    operationId: 'cancelSubscription',
    description:
      'Now: `canceled` with `canceled_at` (`customer.subscription.deleted`); nothing more is billed. `at_period_end: true`: `cancel_at_period_end` is set and it ends at the renewal instead of billing the next period.',
    request: { params: SubscriptionIdParams, body: CancelSubscriptionRequest },
    responses: {
      200: { description: 'The subscription', schema: SubscriptionResponse },
      404: notFound,
      409: { description: 'INVALID_STATE_TRANSITION: it is canceled already' },
    },
    errors: { INVALID_STATE_TRANSITION: 'the subscription is canceled already' },
  },
};
