// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { type PublishedRoomEvent, publishToRoom } from '../../shared/app/publish-to-room.js';
import { roomMessenger } from '../../shared/composition/rooms.js';
import { logger } from '../../shared/observability/powertools.js';

/**
 * EventBridge target: posts a room-bound domain event to its Matrix room. A failure throws, so the event is
 * retried (Lambda's async retries, then the rule target's) and ends in the dead-letter queue, never lost.
 */
const deps = { messenger: roomMessenger() };

export const handler = middy<EventBridgeEvent<string, unknown>, PublishedRoomEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    logger.appendKeys({ busEventId: event.id, detailType: event['detail-type'] });
    try {
      const published = await publishToRoom(
        { detailType: event['detail-type'], detail: event.detail },
        deps.messenger,
      );
      logger.info('Published to the room', { ...published });
      return published;
    } catch (error) {
      logger.error('Not published; the event will be retried, then dead-lettered', error as Error);
      throw error;
    }
  });
