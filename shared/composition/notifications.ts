/**
 * Notifications' adapters: their store and the owners' devices on the single table, the recipients read
 * from the merchants, customers and PaymentIntents, SNS for SMS and push (the platform applications from
 * PUSH_APNS_APPLICATION_ARN and PUSH_FCM_APPLICATION_ARN), SES for email.
 */
import * as z from 'zod/mini';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { sns } from '../adapters/aws/sns-client.js';
import { DynamoDbCustomerStore } from '../adapters/dynamodb/merchant-customers.js';
import { DynamoDbDevices, DynamoDbNotifications } from '../adapters/dynamodb/notifications.js';
import { PUSH_APPLICATION_ENVS } from '../adapters/sns/settings.js';
import { SnsPush, SnsSms } from '../adapters/sns/sns-channels.js';
import { StoredRecipients } from '../app/notifications/recipients.js';
import { nonEmpty, readEnv, readTableName } from '../config.js';
import { once } from '../lazy.js';
import { merchants } from './merchants.js';
import { paymentIntents } from './payment-intents.js';

export const notificationStore = once(() => new DynamoDbNotifications(documentClient(), readTableName()));

export const deviceStore = once(() => new DynamoDbDevices(documentClient(), readTableName()));

// The customer store alone, not merchant-customers.ts's composition: the notifier never calls Stripe.
export const recipients = once(
  () =>
    new StoredRecipients({
      merchants: merchants(),
      devices: deviceStore(),
      customers: new DynamoDbCustomerStore(documentClient(), readTableName()),
      intents: paymentIntents(),
    }),
);

export const smsSender = once(() => new SnsSms(sns()));

export const pushChannel = once(() => {
  const env = readEnv(
    z.object({ [PUSH_APPLICATION_ENVS.apns]: nonEmpty, [PUSH_APPLICATION_ENVS.fcm]: nonEmpty }),
  );
  return new SnsPush(sns(), {
    apns: env[PUSH_APPLICATION_ENVS.apns] ?? '',
    fcm: env[PUSH_APPLICATION_ENVS.fcm] ?? '',
  });
});
