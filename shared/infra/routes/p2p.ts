/**
 * P2P transfers between room members: initiate, query, accept, reject, cancel.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const p2pRoutes = [
  {
    method: 'POST',
    path: '/wallet/v1/p2p/initiate',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Send money to a room member; reserved until they accept',
    tags: ['p2p'],
  },
  {
    method: 'GET',
    path: '/wallet/v1/p2p/{transferId}',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A transfer, for its sender or recipient',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/{transferId}/accept',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'The recipient accepts: the money moves',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/{transferId}/reject',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'The recipient rejects: the money goes back',
    tags: ['p2p'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/p2p/{transferId}/cancel',
    fn: 'p2pTransfers',
    auth: 'jwt',
    idempotency: 'optional',
    summary: 'The sender cancels while pending',
    tags: ['p2p'],
  },
] as const satisfies readonly RouteDefinition[];
