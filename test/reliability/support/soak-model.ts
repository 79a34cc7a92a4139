/**
 * What the soak knows from the answers it got: the operations the API accepted (with the amounts it
 * answered), the 4xx answers whose legitimacy can only be judged once everything has settled, and, while
 * the run is under way, a lower bound of each wallet's available balance, so an INSUFFICIENT_FUNDS can be
 * called wrong when the wallet certainly covered the amount.
 */

/** A debit request in flight (a wallet payment's hold, a P2P reservation, a gift's funding). */
export interface DebitTicket {
  user: number;
  amount: number;
  /**
   * The least the wallet can have had available at any moment while the request was in flight: what is
   * known to be credited, less what was certainly debited and whatever else was in flight meanwhile.
   */
  floor: number;
}

/**
 * Per user: `known` = credits the API confirmed (top-ups, wallet refunds, gift shares) less debits it
 * confirmed; `inflight` = debits sent and not yet answered. Credits the API applies on its own (a released
 * hold, an expired transfer or gift) only ever raise the true balance, so leaving them out keeps the floor
 * a lower bound.
 */
export class FundsFloor {
  readonly #known: number[];
  readonly #inflight: number[];
  readonly #open: Set<DebitTicket>[];

  constructor(users: number) {
    this.#known = Array<number>(users).fill(0);
    this.#inflight = Array<number>(users).fill(0);
    this.#open = Array.from({ length: users }, () => new Set<DebitTicket>());
  }

  startDebit(user: number, amount: number): DebitTicket {
    const ticket = { user, amount, floor: this.#at(this.#known, user) - this.#at(this.#inflight, user) };
    this.#inflight[user] = this.#at(this.#inflight, user) + amount;
    for (const other of this.#at(this.#open, user)) {
      other.floor = Math.min(
        other.floor,
        this.#at(this.#known, user) - (this.#at(this.#inflight, user) - other.amount),
      );
    }
    this.#at(this.#open, user).add(ticket);
    return ticket;
  }

  finishDebit(ticket: DebitTicket, applied: boolean): void {
    this.#inflight[ticket.user] = this.#at(this.#inflight, ticket.user) - ticket.amount;
    this.#at(this.#open, ticket.user).delete(ticket);
    if (applied) this.#known[ticket.user] = this.#at(this.#known, ticket.user) - ticket.amount;
  }

  credit(user: number, amount: number): void {
    this.#known[user] = this.#at(this.#known, user) + amount;
  }

  /** An INSUFFICIENT_FUNDS is legitimate unless the wallet certainly covered the amount throughout. */
  insufficientIsLegitimate(ticket: DebitTicket): boolean {
    return ticket.amount > ticket.floor;
  }

  #at<T>(list: T[], user: number): T {
    const value = list[user];
    if (value === undefined) throw new RangeError(`No user ${user}`);
    return value;
  }
}

export interface TopupFact {
  user: number;
  amount: number;
  topupId: string;
}

export interface PaymentFact {
  paymentId: string;
  user: number;
  method: 'wallet' | 'card';
  amount: number;
  /** The soak merchant paid (soak-merchants.ts), or undefined: the fixture app. */
  merchant: number | undefined;
  mfa: boolean;
  /** Amounts of the refunds answered 201. */
  refunds: number[];
  /** Refunds answered 4xx: `requested` undefined for a full refund ("what is left"). */
  refusedRefunds: { requested: number | undefined; outcome: string }[];
}

export type DecisionKind = 'accept' | 'reject' | 'cancel';

export interface TransferFact {
  transferId: string;
  sender: number;
  recipient: number;
  amount: number;
  decisions: { decision: DecisionKind; status: number; code?: string }[];
}

export interface GiftFact {
  giftId: string;
  creator: number;
  total: number;
  count: number;
  opens: { user: number; status: number; code?: string; amount?: number }[];
}

export class SoakModel {
  readonly floor: FundsFloor;
  readonly topups: TopupFact[] = [];
  readonly payments = new Map<string, PaymentFact>();
  readonly transfers = new Map<string, TransferFact>();
  readonly gifts = new Map<string, GiftFact>();
  /** Answers no rule allows, found as they came. */
  readonly problems: string[] = [];
  /** How many operations ran, by what the client intended (for the summary). */
  readonly intents = new Map<string, number>();

  constructor(users: number) {
    this.floor = new FundsFloor(users);
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  intent(name: string): void {
    this.intents.set(name, (this.intents.get(name) ?? 0) + 1);
  }
}
