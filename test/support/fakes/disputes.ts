import type { Ledger } from '../../../shared/app/ports.js';
import type { DisputeRepository } from '../../../shared/app/wallets/ports.js';
import type { Dispute, DisputeStatus, ProviderDisputeStatus } from '../../../shared/domain/dispute.js';
import { InvalidStateTransitionError } from '../../../shared/domain/errors.js';
import type { TransferCommand } from '../../../shared/domain/ledger.js';
import { roundTrip } from './round-trip.js';

/**
 * Like DynamoDbDisputes: opened once (a second opening returns the first, moving nothing), closed only from
 * `open`, each with its ledger transfer in the same step (the adapter's transaction).
 */
export class InMemoryDisputes implements DisputeRepository {
  readonly #byId = new Map<string, Dispute>();

  constructor(private readonly ledger: Ledger) {}

  async get(disputeId: string): Promise<Dispute | undefined> {
    await roundTrip();
    const dispute = this.#byId.get(disputeId);
    return dispute === undefined ? undefined : { ...dispute };
  }

  async open(dispute: Dispute, freeze?: TransferCommand): Promise<Dispute> {
    await roundTrip();
    const existing = this.#byId.get(dispute.disputeId);
    if (existing !== undefined) return { ...existing };
    // The ledger fake does not yield before it writes, so the freeze and the put are one step.
    if (freeze !== undefined) await this.ledger.execute(freeze);
    this.#byId.set(dispute.disputeId, { ...dispute });
    return { ...dispute };
  }

  async close(
    disputeId: string,
    change: { status: Exclude<DisputeStatus, 'open'>; providerStatus: ProviderDisputeStatus },
    at: string,
    resolution?: TransferCommand,
  ): Promise<Dispute> {
    await roundTrip();
    const current = this.#byId.get(disputeId);
    if (current === undefined || current.status !== 'open') {
      throw new InvalidStateTransitionError(current?.status ?? 'missing', change.status);
    }
    if (resolution !== undefined) await this.ledger.execute(resolution);
    const next: Dispute = { ...current, ...change, closedAt: at, updatedAt: at };
    this.#byId.set(disputeId, next);
    return { ...next };
  }
}
