/** The capture window state machine's task (statemachines/payment-intent-capture.asl.json). */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { expireAuthorization } from '../../shared/app/payment-intents/settle.js';
import { paymentIntentDeps } from '../../shared/composition/payment-intent-deps.js';
import { MODES } from '../../shared/domain/merchant.js';
import { PaymentIntentCaptureTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = PaymentIntentCaptureTask.parse(event);
    const mode = MODES.find((known) => known === task.mode);
    if (mode === undefined) throw new Error(`Not a mode: ${task.mode.slice(0, 16)}`);
    const outcome = await expireAuthorization(
      { merchantId: task.merchantId, mode },
      task.intentId,
      await paymentIntentDeps(
        // The task starts no execution of its own.
        { start: async () => {} },
      ),
    );
    return { outcome };
  });
