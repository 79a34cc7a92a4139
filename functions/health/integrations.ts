import { checkIntegrations } from '../../shared/app/check-integrations.js';
import { integrationProbes } from '../../shared/composition/health.js';
import { httpHandler } from '../../shared/composition/http.js';

const deps = { probes: integrationProbes() };

export const handler = httpHandler({}, async () => {
  const report = await checkIntegrations(deps.probes);
  return { status: report.status === 'ok' ? 200 : 503, body: report };
});
