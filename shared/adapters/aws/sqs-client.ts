/** The SQS client, created once per cold start on first use (dynamodb-client.ts says why one module per client). */
import { SQSClient } from '@aws-sdk/client-sqs';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const sqs = once(() => traced(new SQSClient({})));
