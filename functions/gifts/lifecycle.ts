/** The group gift state machine's task (statemachines/group-gift.asl.json). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { expireGift } from '../../shared/app/gifts/gifts.js';
import { logger } from '../../shared/observability/powertools.js';
import { giftDeps } from './context.js';

const Task = z.object({ action: z.literal('expire'), giftId: z.string().min(1) });

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = Task.parse(event);
    return expireGift(task.giftId, giftDeps());
  });
