import type { Clock, Ids, Wallet, WalletDirectory } from '../../../shared/app/ports.js';
import { roundTrip } from './round-trip.js';

/** Like DynamoDbWalletDirectory: read, then a put conditional on absence; the loser of a race reads the winner. */
export class InMemoryWallets implements WalletDirectory {
  readonly #byUser = new Map<string, Wallet>();

  constructor(
    private readonly ids: Ids,
    private readonly clock: Clock,
  ) {}

  async find(userId: string): Promise<Wallet | undefined> {
    await roundTrip();
    const wallet = this.#byUser.get(userId);
    return wallet === undefined ? undefined : { ...wallet };
  }

  async ensure(userId: string): Promise<Wallet> {
    const existing = await this.find(userId);
    if (existing !== undefined) return existing;
    const wallet: Wallet = {
      walletId: this.ids.next('tw_'),
      userId,
      createdAt: this.clock.now().toISOString(),
    };
    await roundTrip();
    const winner = this.#byUser.get(userId);
    if (winner !== undefined) return { ...winner };
    this.#byUser.set(userId, wallet);
    return { ...wallet };
  }

  /** How many wallets exist, for tests that prove nothing was created. */
  get size(): number {
    return this.#byUser.size;
  }
}
