/** The P2P state machine's tasks (statemachines/p2p-transfer.asl.json). */
// First, so every AWS SDK client this function creates is traced (shared/infra/functions.ts: traced).
import '../../shared/observability/tracing.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { systemClock } from '../../shared/adapters/clock.js';
import { awaitDecision, expireTransfer } from '../../shared/app/p2p/transfers.js';
import { ledger } from '../../shared/composition/ledger.js';
import { p2pTransfers } from '../../shared/composition/p2p.js';
import { workflows } from '../../shared/composition/workflows.js';
import { P2pTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';

const deps = {
  transfers: p2pTransfers(),
  ledger: ledger(),
  lifecycle: workflows('p2pTransfer'),
  clock: systemClock,
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = P2pTask.parse(event);
    switch (task.action) {
      case 'await_decision':
        await awaitDecision(task.transferId, task.taskToken, deps);
        return { status: 'waiting' };
      case 'expire':
        return expireTransfer(task.transferId, deps);
    }
  });
