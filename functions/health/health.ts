import { describeProbe, type ProbeName } from '../../shared/app/describe-probe.js';
import { plainHttpHandler } from '../../shared/http/plain-handler.js';

const startedAt = new Date();
const probeByRoute: Readonly<Record<string, ProbeName>> = {
  'GET /health': 'live',
  'GET /health/ready': 'ready',
  'GET /health/startup': 'startup',
};

export const handler = plainHttpHandler({}, async (request) => {
  const probe = probeByRoute[request.routeKey] ?? 'live';
  return { status: 200, body: describeProbe(probe, startedAt, new Date()) };
});
