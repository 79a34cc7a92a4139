/**
 * What payouts need from the outside world: the rails that move the money (Stripe Connect: a transfer to
 * the merchant's connected account, a payout on it), the store that keeps each payout with its ledger
 * movement in one transaction, and the waiting flow that follows each payout to its end.
 */
import type { Tenant } from '../../domain/customer.js';
import type { Payout, PayoutMovement, PayoutStatus } from '../../domain/payout.js';
import type { Page, PageQuery } from '../merchant-customers/ports.js';

/** A payout as the provider holds it on the connected account. */
export interface ProviderPayout {
  id: string;
  status: 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';
  failureCode?: string;
  /** Our payout (`po_…`), from the metadata we sent it with. */
  payoutId?: string;
  merchantId?: string;
  mode?: string;
}

/** The provider refused a step for good (not an outage): the payout fails and its money comes back. */
export class PayoutRefusedError extends Error {
  override readonly name = 'PayoutRefusedError';
  constructor(readonly failureCode: string) {
    super(`The provider refused the payout: ${failureCode}`);
  }
}

/**
 * The money rails of payouts. Every call that moves money carries an idempotency key derived from our
 * payout id (and the step), so a retried step never sends twice. A refusal is PayoutRefusedError; an
 * outage is thrown as it is (the flow retries it).
 */
export interface PayoutRails {
  /** Moves `amount` from the platform to the connected account; returns the provider transfer id. */
  transfer(payout: Payout, amount: number): Promise<string>;
  /** Pays `amount` out of the connected account to its bank. */
  payout(payout: Payout, amount: number): Promise<ProviderPayout>;
  /** Takes `amount` of a transfer back from the connected account, once per `key`. */
  reverseTransfer(transferId: string, amount: number, key: string): Promise<string>;
  /** The payout as the provider holds it now. */
  retrievePayout(account: string, providerPayoutId: string): Promise<ProviderPayout>;
}

export interface PayoutListQuery extends PageQuery {
  status?: PayoutStatus;
}

export interface PayoutStore {
  get(tenant: Tenant, payoutId: string): Promise<Payout | undefined>;
  /** The tenant's payouts, newest first, of one status or all. */
  list(tenant: Tenant, query: PayoutListQuery): Promise<Page<Payout>>;
  /** What the tenant's payouts of `currency` add up to on `day` (the daily counter), and its version. */
  dailyTotal(tenant: Tenant, currency: string, day: string): Promise<{ total: number; version: number }>;
  /**
   * Records a new payout with its debit in ONE transaction: the payout (a conditional put: one already
   * recorded under the id is returned as it is), its ledger movement and balance transaction, and the daily
   * counter, added to on the condition that it is still at `counterVersion` (what the caller checked the
   * limit and the payable balance against): ConcurrentModificationError when it moved.
   */
  create(payout: Payout, movement: PayoutMovement, counterVersion: number): Promise<Payout>;
  /** Keeps the provider's transfer id on a pending payout. */
  noteTransfer(payout: Payout, transferId: string, at: string): Promise<Payout>;
  /** pending → in_transit with the provider's payout id (conditional on pending). */
  markInTransit(payout: Payout, providerPayoutId: string, at: string): Promise<Payout>;
  /** Keeps the waiting flow's task token on the payout. */
  noteTaskToken(payout: Payout, taskToken: string, at: string): Promise<Payout>;
  /**
   * Ends the payout (paid or failed) with its ledger movement and its domain event in ONE transaction,
   * conditional on it not having ended: a payout already ended is returned as it is (the money moved once).
   * A failed payout's amount also leaves its day's counter.
   */
  end(payout: Payout, end: PayoutEnd): Promise<Payout>;
}

export interface PayoutEnd {
  status: 'paid' | 'failed';
  failureCode?: string;
  movement: PayoutMovement;
  at: string;
  /** The API view of the payout as it ends, for the domain event's `object` (webhooks). */
  view: Record<string, unknown>;
}

/** The payout's waiting flow (statemachines/payout.asl.json), named by the payout id. */
export interface PayoutWorkflow {
  start(payoutId: string, input: Readonly<Record<string, unknown>>): Promise<void>;
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<boolean>;
}
