import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { recordDomainEvent } from '../../shared/app/record-domain-event.js';
import { auditLog } from '../../shared/composition/audit.js';
import { logger } from '../../shared/observability/powertools.js';

const deps = { auditLog: auditLog() };

export const handler = middy<EventBridgeEvent<string, unknown>, { stored: boolean }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) =>
    recordDomainEvent(
      {
        id: event.id,
        source: event.source,
        detailType: event['detail-type'],
        time: event.time,
        detail: event.detail,
      },
      deps.auditLog,
    ),
  );
