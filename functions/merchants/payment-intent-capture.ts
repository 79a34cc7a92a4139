/** The capture window state machine's task (statemachines/payment-intent-capture.asl.json). */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { systemClock } from '../../shared/adapters/clock.js';
import { randomIds } from '../../shared/adapters/ids.js';
import { expireAuthorization } from '../../shared/app/payment-intents/settle.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { merchants } from '../../shared/composition/merchants.js';
import {
  captureWindowSeconds,
  intentCustomers,
  paymentIntents,
} from '../../shared/composition/payment-intents.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { currencies } from '../../shared/composition/settings.js';
import { MODES } from '../../shared/domain/merchant.js';
import { paymentIntentView } from '../../shared/http/views/payment-intents.js';
import { PaymentIntentCaptureTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = PaymentIntentCaptureTask.parse(event);
    const mode = MODES.find((known) => known === task.mode);
    if (mode === undefined) throw new Error(`Not a mode: ${task.mode.slice(0, 16)}`);
    const outcome = await expireAuthorization({ merchantId: task.merchantId, mode }, task.intentId, {
      intents: paymentIntents(),
      provider: await paymentProvider(),
      customers: intentCustomers(),
      merchants: merchants(),
      // The task starts no execution of its own.
      captureWindow: { start: async () => {} },
      currencies: currencies(),
      ids: randomIds,
      clock: systemClock,
      captureWindowSeconds: captureWindowSeconds(),
      objectView: paymentIntentView,
      ledger: merchantLedger(),
    });
    return { outcome };
  });
