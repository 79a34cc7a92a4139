/**
 * The SNS client (SMS and mobile push), created once per cold start on first use. The endpoint comes from
 * AWS_ENDPOINT_URL_SNS (locally the SNS stand-in, local/sns.ts).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const sns = once(() => traced(new SNSClient({ maxAttempts: 2 })));
