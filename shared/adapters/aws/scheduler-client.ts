/**
 * The EventBridge Scheduler client, created once per cold start on first use (dynamodb-client.ts says why one
 * module per client). The endpoint comes from AWS_ENDPOINT_URL_SCHEDULER (locally the stand-in,
 * local/scheduler).
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const scheduler = once(() => traced(new SchedulerClient({})));
