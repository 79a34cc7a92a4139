/**
 * `GET /health/integrations`: one Lambda invocation that touches every integration once (DescribeTable,
 * GetQueueAttributes, DescribeEventBus, ListStateMachines, DescribeKey). One operation = one request.
 */
import { expectStatus, type HttpScenario } from '../scenario.js';

export const healthScenario: HttpScenario = {
  kind: 'http',
  name: 'health',
  description: 'GET /health/integrations (touches table, queue, bus, Step Functions, KMS); 1 op = 1 request',
  defaults: { ops: 40, opsPerSlot: 1 },
  async prepare({ apiUrl }) {
    const url = `${apiUrl}/health/integrations`;
    return async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await expectStatus(response, 200, 'GET /health/integrations');
    };
  },
};
