/** The route map's entries of the outbound webhook routes (route-map.ts spreads them in). */
import type { RouteLinks } from './route-map.js';

export function outboundWebhookLinks() {
  const endpoints = 'shared/app/webhook-endpoints/endpoints.ts';
  const events = 'shared/app/webhook-endpoints/events.ts';
  const stored = 'shared/adapters/dynamodb/entities/outbound-webhook.ts';
  const endpoint = { entity: 'shared/domain/webhook-endpoint.ts', stored } as const;
  const event = { entity: 'shared/domain/webhook-events.ts', stored } as const;
  return {
    'POST /v1/webhook_endpoints': { useCase: `${endpoints}#createEndpoint`, ...endpoint },
    'GET /v1/webhook_endpoints': { useCase: `${endpoints}#listEndpoints`, ...endpoint },
    'GET /v1/webhook_endpoints/{endpointId}': { useCase: `${endpoints}#getEndpoint`, ...endpoint },
    'POST /v1/webhook_endpoints/{endpointId}': { useCase: `${endpoints}#updateEndpoint`, ...endpoint },
    'DELETE /v1/webhook_endpoints/{endpointId}': { useCase: `${endpoints}#deleteEndpoint`, ...endpoint },
    'GET /v1/webhook_endpoints/{endpointId}/deliveries': {
      useCase: `${endpoints}#listDeliveries`,
      ...event,
    },
    'GET /v1/events': { useCase: `${events}#listEvents`, ...event },
    'GET /v1/events/{eventId}': { useCase: `${events}#getEvent`, ...event },
    'POST /v1/events/{eventId}/resend': { useCase: `${events}#resendEvent`, ...event },
  } as const satisfies Record<string, RouteLinks>;
}
