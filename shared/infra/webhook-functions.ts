/** The outbound webhooks' producer-side functions, spread into the catalogue in functions.ts. */
import type { FunctionDefinition } from './functions.js';
import { webhookDeliveryFunctions } from './webhook-delivery-functions.js';

export type { WebhookDeliveryCapability } from './webhook-delivery-functions.js';

export const webhookFunctions = {
  webhookEndpoints: {
    entry: 'functions/webhooks/endpoints.ts',
    handler: 'handler',
    description:
      "A merchant's webhook endpoints (secrets sealed with KMS), its events, the delivery log and resend (/v1/webhook_endpoints, /v1/events)",
    capabilities: ['table:write', 'appSecrets:read', 'key:encrypt', 'webhookDeliveries:send'],
    timeoutSeconds: 29,
    memoryMb: 256,
  },
  webhookProducer: {
    entry: 'functions/webhooks/produce.ts',
    handler: 'handler',
    traced: true,
    description:
      'Records each domain event a merchant cares about as its event and queues a delivery per interested endpoint (EventBridge target)',
    capabilities: ['table:write', 'webhookDeliveries:send'],
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  ...webhookDeliveryFunctions,
} as const satisfies Record<string, FunctionDefinition>;
