/**
 * The local Step Functions runner wired for a lifecycle test: a Lambda registry, a bus without rules, the
 * runner, and an SFN client against its AWS JSON endpoint, as the handlers use it.
 */
import type { Server } from 'node:http';
import { SFNClient } from '@aws-sdk/client-sfn';
import { startAwsJsonEndpoint } from '../../local/aws-json.js';
import { LocalEventBus } from '../../local/eventbridge/bus.js';
import { LocalLambda } from '../../local/lambda.js';
import { Counters } from '../../local/metrics.js';
import { LocalStepFunctions } from '../../local/sfn/runner.js';
import { StepFunctionsWorkflows } from '../../shared/adapters/stepfunctions/workflows.js';

export function localRunner() {
  const counters = new Counters();
  const lambda = new LocalLambda(counters);
  const bus = new LocalEventBus('tween-payments-test', [], lambda, counters);
  const stepFunctions = new LocalStepFunctions(lambda, bus, counters);
  return { counters, lambda, bus, stepFunctions };
}

export interface RunnerConnection {
  client: SFNClient;
  workflows: StepFunctionsWorkflows;
  close(): Promise<void>;
}

/** Serves the runner's Step Functions API and returns a client for the state machine `stateMachineArn`. */
export async function connectRunner(
  stepFunctions: LocalStepFunctions,
  stateMachineArn: string,
): Promise<RunnerConnection> {
  const endpoint = await startAwsJsonEndpoint({ AWSStepFunctions: stepFunctions.service });
  const server: Server = endpoint.server;
  const client = new SFNClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    client,
    workflows: new StepFunctionsWorkflows(client, stateMachineArn),
    close: async () => {
      stepFunctions.stopAll();
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
