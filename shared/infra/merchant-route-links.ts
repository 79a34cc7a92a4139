/** The route map's entries of the payout, outbound webhook and notification routes (route-map.ts spreads them in). */
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

export function payoutLinks() {
  const payouts = 'shared/app/payouts/payouts.ts';
  const payout = {
    entity: 'shared/domain/payout.ts',
    stored: 'shared/adapters/dynamodb/entities/payout.ts',
  } as const;
  return {
    'POST /v1/payouts': { useCase: `${payouts}#createPayout`, ...payout, stateMachine: 'payout' },
    'GET /v1/payouts': { useCase: `${payouts}#listPayouts`, ...payout },
    'GET /v1/payouts/{payoutId}': { useCase: `${payouts}#getPayout`, ...payout },
  } as const satisfies Record<string, RouteLinks>;
}

export function notificationLinks() {
  const notification = <N extends string>(name: N) =>
    ({
      useCase: `shared/app/notifications/queries.ts#${name}`,
      entity: 'shared/domain/notification.ts',
      stored: 'shared/adapters/dynamodb/entities/notification.ts',
    }) as const;
  return {
    'GET /v1/notifications': notification('listNotifications'),
    'GET /v1/notifications/{notificationId}': notification('getNotification'),
    'POST /merchant/v1/merchants/{merchantId}/devices': notification('registerDevice'),
  } as const satisfies Record<string, RouteLinks>;
}
