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
import { systemHostResolver } from '../adapters/dns/host-resolver.js';
import { DynamoDbDeliveryStore } from '../adapters/dynamodb/webhook-deliveries.js';
import { DynamoDbWebhookEndpoints, DynamoDbWebhookEvents } from '../adapters/dynamodb/webhook-endpoints.js';
import { KmsEnvelope } from '../adapters/kms/envelope.js';
import { KmsWebhookSecrets } from '../adapters/kms/webhook-secrets.js';
import type { AppOwners, EndpointUrls } from '../app/webhook-endpoints/ports.js';
import { readSetting, readTableName } from '../config.js';
import { ValidationError } from '../domain/errors.js';
import { allowedAddresses, checkEndpointUrl } from '../domain/webhook-url.js';
import { KEY_ENV } from '../infra/keys.js';
import { once } from '../lazy.js';
import { apps } from './merchants.js';
import { webhookUrlOptions } from './webhook-url.js';

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

/**
 * The URL guard of registration (domain/webhook-url.ts): the URL's form for the mode, then every address its
 * host resolves to (live and test alike: a delivery would refuse a blocked one anyway, better to say so
 * now). Locally test mode may name loopback (WEBHOOK_LOOPBACK_IN_TEST).
 */
export const endpointUrls: EndpointUrls = {
  async check(url, mode) {
    const options = webhookUrlOptions();
    const form = checkEndpointUrl(url, mode, options);
    if (!form.ok) throw new ValidationError(form.reason, { field: 'url' });
    const resolved = await allowedAddresses(systemHostResolver, form.host, mode, options).catch(
      (error: unknown) => {
        if (isResolverMiss(error)) return { ok: false as const, reason: 'The host does not resolve' };
        throw error;
      },
    );
    if (!resolved.ok) throw new ValidationError(resolved.reason, { field: 'url' });
  },
};

/** getaddrinfo's answers for a name that does not exist (or has no address): the merchant's to fix. */
function isResolverMiss(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_AGAIN' || code === 'ESERVFAIL';
}
