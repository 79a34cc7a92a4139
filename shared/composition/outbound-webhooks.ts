/**
 * Outbound webhooks' wiring: the endpoint and event stores on the single table, secrets sealed with the
 * service key (KMS_KEY_ID: sealing at registration, opening only in the delivery), the deliveries
 * queue, the URL guard, and the delivery's store.
 */

import { SqsDeliveryTaskQueue } from '../adapters/aws/delivery-task-queue.js';
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { kms } from '../adapters/aws/kms-client.js';
import { sqs } from '../adapters/aws/sqs-client.js';
import { systemClock } from '../adapters/clock.js';
import { DynamoDbDeliveryStore } from '../adapters/dynamodb/webhook-deliveries.js';
import { DynamoDbWebhookEndpoints, DynamoDbWebhookEvents } from '../adapters/dynamodb/webhook-endpoints.js';
import { KmsEnvelope } from '../adapters/kms/envelope.js';
import { KmsWebhookSecrets } from '../adapters/kms/webhook-secrets.js';
import type { AppOwners, EndpointUrls } from '../app/webhook-endpoints/ports.js';
import { readSetting, readTableName } from '../config.js';
import { ValidationError } from '../domain/errors.js';
import { KEY_ENV } from '../infra/keys.js';
import { once } from '../lazy.js';
import { apps } from './merchants.js';

/** Where the delivery function reads its tasks (the queue is the delivery's: shared/infra/queues.ts). */
export const WEBHOOK_DELIVERY_QUEUE_ENV = 'WEBHOOK_DELIVERY_QUEUE_URL';

export const webhookEndpoints = once(
  () => new DynamoDbWebhookEndpoints(documentClient(), readTableName(), systemClock),
);

export const webhookEvents = once(
  () => new DynamoDbWebhookEvents(documentClient(), readTableName(), systemClock),
);

export const webhookSecrets = once(() => new KmsWebhookSecrets(new KmsEnvelope(kms(), readSetting(KEY_ENV))));

export const deliveryTaskQueue = once(
  () => new SqsDeliveryTaskQueue(sqs(), readSetting(WEBHOOK_DELIVERY_QUEUE_ENV)),
);

export const appOwners: AppOwners = {
  async ownerOf(appId) {
    const app = await apps().get(appId);
    return app === undefined ? undefined : { merchantId: app.merchantId, mode: app.mode };
  },
};

/** The delivery's store: reads and writes the table, opens secrets with the service key. */
export const deliveryStore = once(() => {
  const secrets = webhookSecrets();
  return new DynamoDbDeliveryStore(documentClient(), readTableName(), (sealed, endpoint) =>
    secrets.open(sealed, endpoint),
  );
});

/** Live endpoints take https only; test ones http too (the local receiver on 127.0.0.1). */
export const endpointUrls: EndpointUrls = {
  async check(url, mode) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ValidationError('url must be an absolute URL', { field: 'url' });
    }
    const schemes = mode === 'live' ? ['https:'] : ['https:', 'http:'];
    if (!schemes.includes(parsed.protocol) || parsed.username !== '' || parsed.password !== '') {
      throw new ValidationError(`url must be ${mode === 'live' ? 'https' : 'http or https'}`, {
        field: 'url',
      });
    }
  },
};
