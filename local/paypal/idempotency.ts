/** `PayPal-Request-Id`: the same id on the same path answers the first answer again, errors included. */
import { PayPalError } from './errors.js';
import type { PayPalState, Reply } from './state.js';

export async function idempotent(
  state: PayPalState,
  method: string,
  path: string,
  requestId: string | undefined,
  run: () => Promise<Reply> | Reply,
): Promise<Reply> {
  if (method !== 'POST' || requestId === undefined) return run();
  const key = `${path}\n${requestId}`;
  const earlier = state.replies.get(key);
  if (earlier !== undefined) return earlier;
  try {
    const answer = await run();
    state.replies.set(key, answer);
    return answer;
  } catch (error) {
    if (error instanceof PayPalError && error.status < 500) {
      state.replies.set(key, {
        status: error.status,
        body: { name: error.errorName, details: [{ issue: error.issue }] },
      });
    }
    throw error;
  }
}
