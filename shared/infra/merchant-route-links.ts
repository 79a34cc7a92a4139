/** The route map's entries of the customer, payout, outbound webhook and notification routes (route-map.ts spreads them in). */
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

/** The merchant API's customers: use cases in shared/app/merchant-customers, one entity module. */
export function customerLinks() {
  const customers = 'shared/app/merchant-customers/customers.ts';
  const methods = 'shared/app/merchant-customers/payment-methods.ts';
  const customer = {
    entity: 'shared/domain/customer.ts',
    stored: 'shared/adapters/dynamodb/entities/merchant-customer.ts',
  } as const;
  return {
    'POST /v1/customers': { useCase: `${customers}#createCustomer`, ...customer },
    'GET /v1/customers': { useCase: `${customers}#listCustomers`, ...customer },
    'GET /v1/customers/{customerId}': { useCase: `${customers}#getCustomer`, ...customer },
    'POST /v1/customers/{customerId}': { useCase: `${customers}#updateCustomer`, ...customer },
    'DELETE /v1/customers/{customerId}': { useCase: `${customers}#deleteCustomer`, ...customer },
    'POST /v1/customers/{customerId}/payment_methods': {
      useCase: `${methods}#attachPaymentMethod`,
      ...customer,
    },
    'GET /v1/customers/{customerId}/payment_methods': {
      useCase: `${methods}#listPaymentMethods`,
      ...customer,
    },
    'DELETE /v1/customers/{customerId}/payment_methods/{paymentMethodId}': {
      useCase: `${methods}#detachPaymentMethod`,
      ...customer,
    },
  } as const;
}
