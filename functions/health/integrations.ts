import { z } from 'zod';
import { awsIntegrationProbes } from '../../shared/adapters/aws/integration-probes.js';
import { checkIntegrations } from '../../shared/app/check-integrations.js';
import { httpHandler } from '../../shared/composition/http.js';
import { nonEmpty, readEnv, readTableName } from '../../shared/config.js';

const tableName = readTableName();
const env = readEnv(
  z.object({
    WEBHOOK_QUEUE_URL: nonEmpty,
    EVENT_BUS_NAME: nonEmpty,
    KMS_KEY_ID: nonEmpty,
  }),
);
const probes = awsIntegrationProbes({
  tableName: tableName,
  queueUrl: env.WEBHOOK_QUEUE_URL,
  eventBusName: env.EVENT_BUS_NAME,
  keyId: env.KMS_KEY_ID,
});

export const handler = httpHandler({}, async () => {
  const report = await checkIntegrations(probes);
  return { status: report.status === 'ok' ? 200 : 503, body: report };
});
