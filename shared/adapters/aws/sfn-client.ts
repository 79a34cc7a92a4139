/** The Step Functions client, created once per cold start on first use (dynamodb-client.ts says why one module per client). */
import { SFNClient } from '@aws-sdk/client-sfn';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const stepFunctions = once(() => traced(new SFNClient({})));
