import type { RoomDirectory } from '../../../shared/app/ports.js';
import { roundTrip } from './round-trip.js';

/** The joined members of each room, fixed when the test builds it; any other room has none. */
export class StaticRooms implements RoomDirectory {
  readonly #members: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(members: Readonly<Record<string, readonly string[]>> = {}) {
    this.#members = new Map(Object.entries(members).map(([room, users]) => [room, new Set(users)]));
  }

  async joinedMembers(roomId: string): Promise<ReadonlySet<string>> {
    await roundTrip();
    return new Set(this.#members.get(roomId) ?? []);
  }
}
