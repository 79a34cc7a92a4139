/** The KMS client, created once per cold start on first use (dynamodb-client.ts says why one module per client). */
import { KMSClient } from '@aws-sdk/client-kms';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const kms = once(() => traced(new KMSClient({})));
