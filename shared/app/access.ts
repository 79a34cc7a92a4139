import { ForbiddenError } from '../domain/errors.js';

/** A path's `{userId}` must be the caller: nobody reads or acts on another user's wallet. */
export function assertSelf(callerId: string, userId: string): void {
  if (callerId !== userId) throw new ForbiddenError('You may only act on your own account');
}

/** Operations on the service itself (the webhook inbox, replays) need the `ops` role claim. */
export function assertOps(roles: readonly string[]): void {
  if (!roles.includes('ops')) throw new ForbiddenError('This needs the ops role');
}
