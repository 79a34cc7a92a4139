/** The group gift state machine's task (statemachines/group-gift.asl.json). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { systemClock } from '../../shared/adapters/clock.js';
import { expireGift } from '../../shared/app/gifts/gifts.js';
import { giftStore } from '../../shared/composition/gifts.js';
import { GiftTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

const deps = { gifts: giftStore(), clock: systemClock };

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = GiftTask.parse(event);
    return expireGift(task.giftId, deps);
  });
