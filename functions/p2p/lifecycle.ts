/** The P2P state machine's tasks (statemachines/p2p-transfer.asl.json). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { awaitDecision, settleTransfer } from '../../shared/app/p2p/transfers.js';
import { P2pTask } from '../../shared/infra/lifecycle-tasks.js';
import { logger } from '../../shared/observability/powertools.js';
import { p2pDeps } from './context.js';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const task = P2pTask.parse(event);
    switch (task.action) {
      case 'await_decision':
        await awaitDecision(task.transferId, task.taskToken, p2pDeps());
        return { status: 'waiting' };
      case 'settle':
        return settleTransfer(task.transferId, p2pDeps());
      case 'expire':
        return settleTransfer(task.transferId, p2pDeps(), true);
    }
  });
