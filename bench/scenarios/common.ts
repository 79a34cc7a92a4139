/**
 * What the stack scenarios share around their measured operations: bench users with a local token, room
 * joins on the local Matrix, card top-ups that fund a wallet (setup, never measured), and tallies. (Counter
 * arithmetic is bench/counters.ts, shared with the harness.)
 */
import { randomUUID } from 'node:crypto';
import { signLocalToken } from '../../local/auth.js';
import type { ScenarioContext } from '../scenario.js';
import { type Caller, callApi } from './stack-http.js';

/** The currency every stack scenario pays in. */
export const CURRENCY = 'USD';
/** A test card the local Stripe charges at once. */
export const TEST_CARD = 'pm_card_visa';

/** A user a scenario calls the API as. */
export interface BenchUser extends Caller {
  userId: string;
}

/** `userId` with a local token signed with `secret`. */
export async function benchUser(userId: string, secret: string): Promise<BenchUser> {
  return { userId, token: await signLocalToken(userId, { secret }) };
}

/** Joins `userId` to the room on the local Matrix (setup, not measured). */
export async function joinRoom(context: ScenarioContext, roomId: string, userId: string): Promise<void> {
  await callApi(
    context,
    undefined,
    'PUT',
    `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`,
    [200, 201, 204],
    'PUT /local/matrix/rooms/{roomId}/members/{userId}',
  );
}

/** A card top-up of `amount` minor units as `caller`, expecting 201; answers the top-up. */
export function cardTopUp(
  context: ScenarioContext,
  caller: Caller,
  amount: number,
): Promise<Record<string, unknown>> {
  return callApi(context, caller, 'POST', '/wallet/v1/topup', [201], 'POST /wallet/v1/topup', {
    idempotencyKey: randomUUID(),
    body: { amount, currency: CURRENCY, paymentMethod: { type: 'card', id: TEST_CARD } },
  });
}

/** One more of `key` in `counts`. */
export function tally<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
