/** The EventBridge client, created once per cold start on first use (dynamodb-client.ts says why one module per client). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { once } from '../../lazy.js';
import { traced } from '../../observability/trace-hooks.js';

export const eventBridge = once(() => traced(new EventBridgeClient({})));
