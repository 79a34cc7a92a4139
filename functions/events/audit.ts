import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { documentClient } from '../../shared/adapters/aws/clients.js';
import { DynamoDbAuditLog } from '../../shared/adapters/dynamodb/audit-log.js';
import { recordDomainEvent } from '../../shared/app/record-domain-event.js';
import { readTableName } from '../../shared/config.js';
import { logger } from '../../shared/observability/powertools.js';

const auditLog = new DynamoDbAuditLog(documentClient(), readTableName());

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
      auditLog,
    ),
  );
