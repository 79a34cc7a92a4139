/**
 * Subscriptions' wiring: their store on the single table, the customers they bill, the prices (the
 * catalogue's PriceReader), the invoicing of a period (the invoices part's SubscriptionInvoicing), the steps'
 * schedule (EventBridge Scheduler one-time schedules onto the steps queue) and the settings:
 * DUNNING_SCHEDULE (seconds before each retry) and SUBSCRIPTION_PERIOD_SECONDS (the local stack and tests
 * only: a month of that many seconds).
 */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { scheduler } from '../adapters/aws/scheduler-client.js';
import { sqs } from '../adapters/aws/sqs-client.js';
import { systemClock } from '../adapters/clock.js';
import { DynamoDbSubscriptions } from '../adapters/dynamodb/subscriptions.js';
import { randomIds } from '../adapters/ids.js';
import { SchedulerSubscriptionSchedule } from '../adapters/subscriptions/schedule.js';
import type { SubscriptionInvoicing, SubscriptionStarter } from '../app/billing/ports.js';
import type { SubscriptionCustomers } from '../app/subscriptions/ports.js';
import {
  type SubscriptionDeps,
  type SubscriptionSettings,
  subscriptionStarter,
} from '../app/subscriptions/subscriptions.js';
import { readEnv, readSetting, readTableName } from '../config.js';
import { DependencyUnavailableError } from '../domain/errors.js';
import { DEFAULT_DUNNING_SCHEDULE, parseDunningSchedule } from '../domain/subscription.js';
import { subscriptionView } from '../http/views/subscriptions.js';
import { queueDefinition } from '../infra/queues.js';
import { SUBSCRIPTION_SCHEDULE_ENV } from '../infra/subscription-functions.js';
import { once } from '../lazy.js';
import { prices } from './catalogue.js';
import { customerStore } from './merchant-customers.js';

export const subscriptionStore = once(() => new DynamoDbSubscriptions(documentClient(), readTableName()));

export const subscriptionSettings = once((): SubscriptionSettings => {
  const env = readEnv(
    z.object({
      DUNNING_SCHEDULE: z._default(z.string(), DEFAULT_DUNNING_SCHEDULE),
      SUBSCRIPTION_PERIOD_SECONDS: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1)))),
    }),
  );
  return {
    dunning: parseDunningSchedule(env.DUNNING_SCHEDULE),
    ...(env.SUBSCRIPTION_PERIOD_SECONDS === undefined
      ? {}
      : { secondsPerMonth: env.SUBSCRIPTION_PERIOD_SECONDS }),
  };
});

export const subscriptionSchedule = once(
  () =>
    new SchedulerSubscriptionSchedule({
      sqs: sqs(),
      scheduler: scheduler(),
      clock: systemClock,
      queueUrl: readSetting(queueDefinition('subscriptionSteps').urlEnv),
      queueArn: readSetting(SUBSCRIPTION_SCHEDULE_ENV.queueArn),
      schedulerRoleArn: readSetting(SUBSCRIPTION_SCHEDULE_ENV.roleArn),
      scheduleGroup: readSetting(SUBSCRIPTION_SCHEDULE_ENV.group),
    }),
);

/** The merchant customers' store, as subscriptions read and change it. */
const subscriptionCustomers = once(
  (): SubscriptionCustomers => ({
    get: (tenant, customerId) => customerStore().get(tenant, customerId),
    setDefaultPaymentMethod: (tenant, customerId, paymentMethodId) =>
      customerStore().update(tenant, customerId, (current) => ({
        ...current,
        defaultPaymentMethod: paymentMethodId,
      })),
  }),
);

/** The invoices part's SubscriptionInvoicing (shared/app/invoices), until it lands: unavailable. */
const subscriptionInvoicing = once(
  (): SubscriptionInvoicing => ({
    billPeriod: () => Promise.reject(new DependencyUnavailableError('invoices')),
    retry: () => Promise.reject(new DependencyUnavailableError('invoices')),
    markUncollectible: () => Promise.reject(new DependencyUnavailableError('invoices')),
  }),
);

export const subscriptionDeps = once(
  (): SubscriptionDeps => ({
    subscriptions: subscriptionStore(),
    customers: subscriptionCustomers(),
    prices: prices(),
    invoicing: subscriptionInvoicing(),
    schedule: subscriptionSchedule(),
    ids: randomIds,
    clock: systemClock,
    settings: subscriptionSettings(),
    objectView: subscriptionView,
  }),
);

/** What hosted checkout calls to start a subscription-mode session's subscription. */
export const checkoutSubscriptions = once((): SubscriptionStarter => subscriptionStarter(subscriptionDeps()));
