/** The route map's entries of the subscriptions routes (route-map.ts spreads them in). */
import type { RouteLinks } from './route-map.js';

export function subscriptionLinks() {
  const useCases = 'shared/app/subscriptions/subscriptions.ts';
  const subscription = {
    entity: 'shared/domain/subscription.ts',
    stored: 'shared/adapters/dynamodb/entities/subscription.ts',
  } as const;
  return {
    'POST /v1/subscriptions': { useCase: `${useCases}#createSubscription`, ...subscription },
    'GET /v1/subscriptions': { useCase: `${useCases}#listSubscriptions`, ...subscription },
    'GET /v1/subscriptions/{subscriptionId}': { useCase: `${useCases}#getSubscription`, ...subscription },
    'POST /v1/subscriptions/{subscriptionId}/cancel': {
      useCase: `${useCases}#cancelSubscription`,
      ...subscription,
    },
  } as const satisfies Record<string, RouteLinks>;
}
