/** The route map's entries of hosted checkout's routes (route-map.ts spreads them in). */
import type { RouteLinks } from './route-map.js';

export function checkoutLinks() {
  const sessions = 'shared/app/checkout/sessions.ts';
  const pay = 'shared/app/checkout/pay.ts';
  const session = {
    entity: 'shared/domain/checkout-session.ts',
    stored: 'shared/adapters/dynamodb/entities/checkout-session.ts',
  } as const;
  return {
    'POST /v1/checkout/sessions': { useCase: `${sessions}#createCheckoutSession`, ...session },
    'GET /v1/checkout/sessions': { useCase: `${sessions}#listCheckoutSessions`, ...session },
    'GET /v1/checkout/sessions/{sessionId}': { useCase: `${sessions}#getCheckoutSession`, ...session },
    'POST /v1/checkout/sessions/{sessionId}/expire': {
      useCase: `${sessions}#expireCheckoutSession`,
      ...session,
    },
    'GET /checkout/{sessionId}': { useCase: `${pay}#showCheckoutSession`, ...session },
    'POST /checkout/{sessionId}': { useCase: `${pay}#payCheckoutSession`, ...session },
    'GET /checkout/{sessionId}/return': { useCase: `${pay}#returnFromAuthentication`, ...session },
  } as const satisfies Record<string, RouteLinks>;
}
