/** What integration tests do over and over against the running local stack, once. */
import type { SentEvent } from '../../local/matrix/homeserver.js';
import { call } from './api.js';

/** Polls `probe` until it answers something, or fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Joins `userId` to `roomId` on the local homeserver. */
export async function joinRoom(roomId: string, userId: string): Promise<void> {
  const answer = await call(
    'PUT',
    `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`,
  );
  if (answer.status !== 200) throw new Error(`Joining ${roomId} answered ${answer.status}`);
}

/** What the local homeserver received for `roomId` (none yet: empty). */
export async function roomEvents(roomId: string): Promise<SentEvent[]> {
  const answer = await call<{ events: SentEvent[] }>(
    'GET',
    `/local/matrix/rooms/${encodeURIComponent(roomId)}/events`,
  );
  return answer.status === 200 ? answer.body.events : [];
}

/** The user's available USD balance (0 without a wallet). */
export async function availableUsd(user: { token: string; path: string }): Promise<number> {
  const answer = await call<{ balances: { currency: string; available: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  return answer.body.balances.find((balance) => balance.currency === 'USD')?.available ?? 0;
}

/** How many top-up credits the user's wallet history shows (a repeated credit would show twice). */
export async function topupCredits(user: { token: string; path: string }): Promise<number> {
  const answer = await call<{ items: { type: string; direction: string }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/transactions?limit=100`,
    { token: user.token },
  );
  return answer.body.items.filter((item) => item.type === 'topup' && item.direction === 'credit').length;
}
