/**
 * The webhook delivery's wiring: the store (outbound-webhooks.ts), the Standard Webhooks signer, the sender
 * over the system resolver, the retries (SQS delays and Scheduler schedules on the deliveries queue), the
 * owners' mailer and the settings: WEBHOOK_RETRY_SCHEDULE (seconds between attempts) and
 * WEBHOOK_DISABLE_AFTER_SECONDS (5 days; the local stack may shorten both for tests).
 */
import * as z from 'zod/mini';
import { scheduler } from '../adapters/aws/scheduler-client.js';
import { sqs } from '../adapters/aws/sqs-client.js';
import { systemClock } from '../adapters/clock.js';
import { systemHostResolver } from '../adapters/dns/host-resolver.js';
import { QueueDeliveryRetries } from '../adapters/webhook-delivery/retries.js';
import { HttpWebhookSender } from '../adapters/webhook-delivery/sender.js';
import { standardWebhookSigner } from '../adapters/webhook-delivery/signer.js';
import type { DeliverDeps, DeliverySettings } from '../app/webhook-delivery/deliver.js';
import { intSetting, readEnv, readSetting } from '../config.js';
import {
  DEFAULT_WEBHOOK_DISABLE_AFTER_SECONDS,
  DEFAULT_WEBHOOK_RETRY_SCHEDULE,
  parseRetrySchedule,
} from '../domain/webhook-retries.js';
import { queueDefinition } from '../infra/queues.js';
import { WEBHOOK_RETRY_ENV } from '../infra/webhook-delivery-functions.js';
import { once } from '../lazy.js';
import { merchants } from './merchants.js';
import { mailer } from './onboarding.js';
import { deliveryStore } from './outbound-webhooks.js';
import { webhookUrlOptions } from './webhook-url.js';

export const deliverySettings = once((): DeliverySettings => {
  const env = readEnv(
    z.object({
      WEBHOOK_RETRY_SCHEDULE: z._default(z.string(), DEFAULT_WEBHOOK_RETRY_SCHEDULE),
      WEBHOOK_DISABLE_AFTER_SECONDS: intSetting(DEFAULT_WEBHOOK_DISABLE_AFTER_SECONDS),
    }),
  );
  return {
    schedule: parseRetrySchedule(env.WEBHOOK_RETRY_SCHEDULE),
    disableAfterSeconds: env.WEBHOOK_DISABLE_AFTER_SECONDS,
  };
});

export const webhookSender = once(
  () => new HttpWebhookSender({ resolver: systemHostResolver, ...webhookUrlOptions() }),
);

export const deliveryRetries = once(
  () =>
    new QueueDeliveryRetries({
      sqs: sqs(),
      scheduler: scheduler(),
      clock: systemClock,
      queueUrl: readSetting(queueDefinition('webhookDeliveries').urlEnv),
      queueArn: readSetting(WEBHOOK_RETRY_ENV.queueArn),
      schedulerRoleArn: readSetting(WEBHOOK_RETRY_ENV.roleArn),
      scheduleGroup: readSetting(WEBHOOK_RETRY_ENV.group),
    }),
);

export const deliverDeps = once(
  (): DeliverDeps => ({
    store: deliveryStore(),
    signer: standardWebhookSigner,
    sender: webhookSender(),
    retries: deliveryRetries(),
    clock: systemClock,
    merchants: merchants(),
    mailer: mailer(),
    settings: deliverySettings(),
  }),
);
