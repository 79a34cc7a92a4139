import { checkIntegrations } from '../../shared/app/check-integrations.js';
import { integrationProbes } from '../../shared/composition/health.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';

const deps = { probes: integrationProbes() };

export const handler = plainHttpHandler({}, async () => {
  const report = await checkIntegrations(deps.probes);
  return { status: report.status === 'ok' ? 200 : 503, body: report };
});
