/**
 * The SES v2 client, created once per cold start on first use (dynamodb-client.ts says why one module per
 * client). The endpoint comes from AWS_ENDPOINT_URL_SESV2 (locally the aws-ses-v2-local engine). Two
 * attempts at most: a request that emails waits on it, and a failure is answered 503 to retry later.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const sesV2 = once(() => traced(new SESv2Client({ maxAttempts: 2 })));
