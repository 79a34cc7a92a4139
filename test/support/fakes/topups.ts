import type { Ledger } from '../../../shared/app/ports.js';
import type { Topup, TopupRepository, TopupStatus } from '../../../shared/app/wallets/ports.js';
import { InvalidStateTransitionError } from '../../../shared/domain/errors.js';
import type { TransferCommand } from '../../../shared/domain/ledger.js';
import { roundTrip } from './round-trip.js';
import { settle } from './settle.js';

/** Like DynamoDbTopups: create once per id, transitions conditional on the current status. */
export class InMemoryTopups implements TopupRepository {
  readonly #byId = new Map<string, Topup>();

  /** `ledger`: where a transition that credits the wallet moves the money. */
  constructor(private readonly ledger?: Ledger) {}

  async create(topup: Topup): Promise<Topup> {
    await roundTrip();
    const existing = this.#byId.get(topup.topupId);
    if (existing !== undefined) return { ...existing };
    this.#byId.set(topup.topupId, { ...topup });
    return { ...topup };
  }

  async get(topupId: string): Promise<Topup | undefined> {
    await roundTrip();
    const topup = this.#byId.get(topupId);
    return topup === undefined ? undefined : { ...topup };
  }

  async transition(
    topupId: string,
    from: readonly TopupStatus[],
    change: Partial<
      Pick<Topup, 'status' | 'providerPaymentId' | 'nextActionUrl' | 'failureCode' | 'completedAt'>
    > & { status: TopupStatus },
    at: string,
    credit?: TransferCommand,
  ): Promise<Topup> {
    await roundTrip();
    const current = this.#byId.get(topupId);
    if (current === undefined || !from.includes(current.status)) {
      throw new InvalidStateTransitionError(current?.status ?? 'missing', change.status);
    }
    // The adapter's transaction: the credit and the status together (the ledger does not yield).
    if (credit !== undefined) await settle(this.ledger, credit);
    const next: Topup = { ...current, ...change, updatedAt: at };
    this.#byId.set(topupId, next);
    return { ...next };
  }

  /** Every stored top-up, for tests that prove nothing was stored. */
  all(): Topup[] {
    return [...this.#byId.values()].map((topup) => ({ ...topup }));
  }
}
