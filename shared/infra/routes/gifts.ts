/**
 * Group gifts in a room: create, open a share, query.
 * One catalogue of the route table (../routes.ts), which assembles them in the order of the API.
 */
import type { RouteDefinition } from '../route-definition.js';

export const giftsRoutes = [
  {
    method: 'POST',
    path: '/wallet/v1/gift/create',
    fn: 'gifts',
    auth: 'jwt',
    idempotency: 'required',
    userRateLimit: true,
    summary: 'Put an amount into a room as a group gift split into shares; taken from the wallet at once',
    tags: ['gifts'],
  },
  {
    method: 'POST',
    path: '/wallet/v1/gift/{giftId}/open',
    fn: 'gifts',
    auth: 'jwt',
    // Once per member by the gift's own rule: a repeat answers 409 ALREADY_OPENED, never a second share.
    idempotency: 'optional',
    summary: 'Open a gift once: the next share goes to your wallet',
    tags: ['gifts'],
  },
  {
    method: 'GET',
    path: '/wallet/v1/gift/{giftId}',
    fn: 'gifts',
    auth: 'jwt',
    idempotency: 'none',
    summary: 'A gift with who opened what and the leaderboard, for members of its room',
    tags: ['gifts'],
  },
] as const satisfies readonly RouteDefinition[];
