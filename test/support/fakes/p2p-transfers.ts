import type { P2pTransfers } from '../../../shared/app/p2p/ports.js';
import type { Ledger } from '../../../shared/app/ports.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import type { TransferCommand } from '../../../shared/domain/ledger.js';
import { type P2pOutcome, type P2pTransfer, PENDING } from '../../../shared/domain/p2p.js';
import { roundTrip } from './round-trip.js';
import { settle } from './settle.js';

/**
 * Like DynamoDbP2pTransfers (without its outbox): create, with its reservation, conditional on absence (the
 * loser reads the stored one), a decision
 * conditional on the status being pending and, when `mustBeBefore` is given, on `expiresAt > mustBeBefore`
 * (the loser reads the transfer as it is), and the task token stored only while pending.
 */
export class InMemoryP2pTransfers implements P2pTransfers {
  readonly #byId = new Map<string, P2pTransfer>();

  /** `ledger`: where outcomes that carry their settlement move the money. */
  constructor(private readonly ledger?: Ledger) {}

  async create(transfer: P2pTransfer, reservation: TransferCommand): Promise<P2pTransfer> {
    await roundTrip();
    const stored = this.#byId.get(transfer.transferId);
    if (stored !== undefined) return { ...stored };
    // The adapter's transaction: the transfer and its reservation together (the ledger does not yield).
    await settle(this.ledger, reservation);
    this.#byId.set(transfer.transferId, { ...transfer });
    return { ...transfer };
  }

  async get(transferId: string): Promise<P2pTransfer | undefined> {
    await roundTrip();
    return this.peek(transferId);
  }

  async decide(
    transferId: string,
    status: P2pOutcome,
    at: string,
    mustBeBefore?: string,
    settlement?: TransferCommand,
  ): Promise<{ transfer: P2pTransfer; won: boolean; takenTaskToken?: string }> {
    await roundTrip();
    const current = this.#byId.get(transferId);
    if (current === undefined) throw new NotFoundError('Transfer');
    const inTime = mustBeBefore === undefined || current.expiresAt > mustBeBefore;
    if (current.status !== PENDING || !inTime) return { transfer: { ...current }, won: false };
    // The adapter's transaction: the outcome and its settlement together (the ledger does not yield).
    if (settlement !== undefined) await settle(this.ledger, settlement);
    const { taskToken, ...rest } = current;
    const next: P2pTransfer = { ...rest, status, decidedAt: at };
    this.#byId.set(transferId, next);
    return {
      transfer: { ...next },
      won: true,
      ...(taskToken === undefined ? {} : { takenTaskToken: taskToken }),
    };
  }

  async attachTaskToken(transferId: string, token: string): Promise<boolean> {
    await roundTrip();
    const current = this.#byId.get(transferId);
    if (current?.status !== PENDING) return false;
    this.#byId.set(transferId, { ...current, taskToken: token });
    return true;
  }

  /** The stored transfer, read without a round trip. */
  peek(transferId: string): P2pTransfer | undefined {
    const transfer = this.#byId.get(transferId);
    return transfer === undefined ? undefined : { ...transfer };
  }

  /** Every stored transfer, for tests that prove nothing was stored. */
  all(): P2pTransfer[] {
    return [...this.#byId.values()].map((transfer) => ({ ...transfer }));
  }
}
