/** The payment state machine's tasks (statemachines/payment.asl.json), one action per task state. */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { systemClock } from '../../shared/adapters/clock.js';
import { awaitOutcome, failPayment, processPayment } from '../../shared/app/payments/lifecycle.js';
import { merchantLedger } from '../../shared/composition/balance.js';
import { ledger, wallets } from '../../shared/composition/ledger.js';
import { payments } from '../../shared/composition/payments.js';
import { paymentProvider } from '../../shared/composition/providers.js';
import { workflows } from '../../shared/composition/workflows.js';
import { PaymentTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

const adapters = {
  payments: payments(),
  wallets: wallets(),
  ledger: ledger(),
  workflows: workflows('payment'),
  clock: systemClock,
  merchantLedger: merchantLedger(),
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = PaymentTask.parse(event);
    const deps = { ...adapters, provider: await paymentProvider() };
    switch (task.action) {
      case 'await_mfa':
      case 'await_provider':
        await awaitOutcome(
          task.paymentId,
          task.action === 'await_mfa' ? 'mfa' : 'provider',
          task.taskToken,
          deps,
        );
        return { status: 'waiting' };
      case 'process':
        return withEvent(await processPayment(task.paymentId, deps));
      case 'fail':
        return withEvent(await failPayment(task.paymentId, task.reason, deps));
    }
  });

// The state machine reads `$.Payload.event` on every outcome; a waiting one has none.
function withEvent(outcome: Awaited<ReturnType<typeof processPayment>>) {
  return 'event' in outcome ? outcome : { ...outcome, event: null };
}
