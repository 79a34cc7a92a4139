import { timeLeft } from '../../app/deadline.js';
import type { RoomDirectory } from '../../app/ports.js';
import { DependencyUnavailableError } from '../../domain/errors.js';

/**
 * Room membership from the homeserver's client-server API (`joined_members`). A homeserver that does not
 * answer in time (headers or body), cannot be reached, or answers 5xx/429 is unavailable (503
 * DEPENDENCY_UNAVAILABLE to the caller, who retries; nothing has moved yet), not a bug.
 */
export class MatrixRoomDirectory implements RoomDirectory {
  constructor(
    private readonly homeserverUrl: string,
    private readonly accessToken: () => Promise<string>,
    private readonly timeoutMs = 5_000,
  ) {}

  async joinedMembers(roomId: string): Promise<ReadonlySet<string>> {
    const url = `${this.homeserverUrl.replace(/\/+$/, '')}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`;
    const token = await this.accessToken();
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        // Cut to what is left of the request's budget (app/deadline.ts); at least 1 ms, never "no timeout".
        signal: AbortSignal.timeout(Math.max(1, timeLeft(this.timeoutMs))),
      });
    } catch (error) {
      throw new DependencyUnavailableError('Matrix homeserver', { cause: error });
    }
    // A room the homeserver does not show us has no members we may count on.
    if (response.status === 403 || response.status === 404) return new Set();
    if (response.status >= 500 || response.status === 429) {
      throw new DependencyUnavailableError('Matrix homeserver', {
        cause: new Error(`The homeserver answered ${response.status} for joined_members`),
      });
    }
    if (!response.ok) throw new Error(`The homeserver answered ${response.status} for joined_members`);
    let body: { joined?: Record<string, unknown> };
    try {
      // The deadline covers the body too: a homeserver that stalls mid-answer is as unavailable.
      body = (await response.json()) as { joined?: Record<string, unknown> };
    } catch (error) {
      throw new DependencyUnavailableError('Matrix homeserver', { cause: error });
    }
    return new Set(Object.keys(body.joined ?? {}));
  }
}
