// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { randomIds } from '../../shared/adapters/ids.js';
import { type ProduceResult, produceWebhookEvent } from '../../shared/app/webhook-endpoints/produce.js';
import {
  appOwners,
  deliveryTaskQueue,
  webhookEndpoints,
  webhookEvents,
} from '../../shared/composition/outbound-webhooks.js';
import { logger } from '../../shared/observability/powertools.js';

/**
 * EventBridge target: a merchant's domain event becomes its event and a delivery task per interested
 * endpoint. A failure throws, so the bus retries it (the recorded event and deliveries are found again,
 * nothing doubles) and then dead-letters it, never lost.
 */
const deps = {
  events: webhookEvents(),
  endpoints: webhookEndpoints(),
  apps: appOwners,
  ids: randomIds,
  get queue() {
    return deliveryTaskQueue();
  },
};

export const handler = middy<EventBridgeEvent<string, unknown>, ProduceResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    logger.appendKeys({ busEventId: event.id, detailType: event['detail-type'] });
    try {
      const result = await produceWebhookEvent(
        { detailType: event['detail-type'], detail: event.detail },
        deps,
      );
      logger.info('Webhook event produced', { ...result });
      return result;
    } catch (error) {
      logger.error('Webhook event not produced; the bus retries it, then dead-letters it', error as Error);
      throw error;
    }
  });
