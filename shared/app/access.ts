import { ForbiddenError } from '../domain/errors.js';

/** A path's `{userId}` must be the caller: nobody reads or acts on another user's wallet. */
export function assertSelf(callerId: string, userId: string): void {
  if (callerId !== userId) throw new ForbiddenError('You may only act on your own account');
}
