/**
 * The double-entry ledger, modelled on TigerBeetle: immutable transfers between accounts, each account
 * carrying debits/credits posted and pending. A two-phase transfer reserves funds (pending), then is posted
 * (fully or partly; the rest is released) or voided, exactly once.
 *
 * This module holds the rules as pure functions: which balance changes a transfer makes (its postings) and
 * when an account refuses them. The DynamoDB adapter applies the very same postings in one transaction.
 */
import { DomainError, ValidationError } from './errors.js';
import { parseAmount } from './money.js';

export type AccountKind =
  | 'user_wallet'
  | 'app'
  | 'gift_escrow'
  | 'provider_clearing'
  | 'fees'
  | 'merchant_pending'
  | 'merchant_available'
  | 'platform_fees'
  | 'processing_fees'
  /** A merchant's payouts on their way to its connected account (payout.ts), and what has left. */
  | 'payouts_in_transit'
  | 'paid_out';

/** Where an account's history is listed: the wallet for user wallets, the account itself otherwise. */
export interface AccountRef {
  id: string;
  kind: AccountKind;
  currency: string;
  historyOwner: string;
}

export interface Balances {
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

export interface Account extends AccountRef, Balances {
  version: number;
}

/**
 * Accounts holding someone's money may not go below zero; external money (provider clearing) may, and so
 * may a merchant's balances (a refund is taken from the merchant even when it has been paid out).
 */
export function debitsMustNotExceedCredits(kind: AccountKind): boolean {
  return kind !== 'provider_clearing' && kind !== 'merchant_pending' && kind !== 'merchant_available';
}

/** What the holder can spend now: credits posted, less debits posted and reserved. */
export function available(b: Balances): number {
  return b.creditsPosted - b.debitsPosted - b.debitsPending;
}

export type TransferType = 'post' | 'pending' | 'post_pending' | 'void_pending';
export type PendingState = 'pending' | 'posted' | 'voided' | 'expired';

/** Why money moved: shown in histories and used by reconciliation. */
export type TransferCode =
  | 'topup'
  | 'payment'
  | 'refund'
  | 'p2p'
  | 'gift_fund'
  | 'gift_open'
  | 'gift_refund'
  | 'fee'
  | 'dispute'
  | 'adjustment';

/**
 * Someone whose money moves outside the ledger but who should see the transfer in their history: a card or
 * PayPal payer (the money comes from the card through provider clearing, not from their wallet). The
 * transfer gets one more history entry, under `historyOwner`, on `direction`'s side; no balance changes.
 */
export interface ListedParty {
  historyOwner: string;
  direction: 'debit' | 'credit';
}

export interface NewTransfer {
  id: string;
  debit: AccountRef;
  credit: AccountRef;
  amount: number;
  code: TransferCode;
  metadata?: Readonly<Record<string, string>>;
  listedFor?: ListedParty;
}

export type TransferCommand =
  | ({ type: 'post' } & NewTransfer)
  | ({ type: 'pending'; timeoutAt?: string } & NewTransfer)
  | { type: 'post_pending'; id: string; pendingId: string; amount?: number }
  | { type: 'void_pending'; id: string; pendingId: string; reason: 'voided' | 'expired' };

export interface Transfer {
  id: string;
  type: TransferType;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: string;
  code: TransferCode;
  createdAt: string;
  metadata: Readonly<Record<string, string>>;
  /** post_pending / void_pending: the pending transfer resolved. */
  pendingId?: string;
  /** pending transfers: where they stand, and until when they may be posted. */
  state?: PendingState;
  timeoutAt?: string;
  /** pending transfers once posted: how much was posted (the rest was released). */
  postedAmount?: number;
}

/** One account's balance changes from one transfer (deltas; negative releases a reservation). */
export interface Posting {
  account: AccountRef;
  delta: Balances;
}

export class InsufficientFundsError extends DomainError {
  override readonly name = 'InsufficientFundsError';
  constructor(accountId: string) {
    super('INSUFFICIENT_FUNDS', 'Not enough available funds', { accountId });
  }
}

export class CurrencyMismatchError extends DomainError {
  override readonly name = 'CurrencyMismatchError';
  constructor(message = 'Both accounts of a transfer must hold the same currency') {
    super('VALIDATION_ERROR', message);
  }
}

export class TransferIdReusedError extends DomainError {
  override readonly name = 'TransferIdReusedError';
  constructor(id: string) {
    super('IDEMPOTENCY_KEY_REUSED', `Transfer ${id} already exists with other details`, { transferId: id });
  }
}

export class PendingTransferNotFoundError extends DomainError {
  override readonly name = 'PendingTransferNotFoundError';
  constructor(id: string) {
    super('NOT_FOUND', `Pending transfer ${id} was not found`, { transferId: id });
  }
}

export class PendingTransferResolvedError extends DomainError {
  override readonly name = 'PendingTransferResolvedError';
  constructor(id: string, state: PendingState) {
    super('INVALID_STATE_TRANSITION', `Pending transfer ${id} is already ${state}`, {
      transferId: id,
      state,
    });
  }
}

export class PostAmountExceedsPendingError extends DomainError {
  override readonly name = 'PostAmountExceedsPendingError';
  constructor() {
    super('INVALID_AMOUNT', 'A pending transfer cannot be posted for more than it reserved');
  }
}

const zero: Balances = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 };

/**
 * The postings of several transfers made in one transaction, one per account (a transaction may not name
 * an item twice): the deltas of an account summed, so its limit is checked on the sum; in order of first
 * appearance, so the first transfer's accounts come first.
 */
export function mergePostings(postings: readonly Posting[]): Posting[] {
  const byAccount = new Map<string, Posting>();
  for (const { account, delta } of postings) {
    const seen = byAccount.get(account.id)?.delta ?? zero;
    byAccount.set(account.id, {
      account,
      delta: {
        debitsPosted: seen.debitsPosted + delta.debitsPosted,
        creditsPosted: seen.creditsPosted + delta.creditsPosted,
        debitsPending: seen.debitsPending + delta.debitsPending,
        creditsPending: seen.creditsPending + delta.creditsPending,
      },
    });
  }
  return [...byAccount.values()];
}

/** Checks a new transfer's shape: positive amount, two distinct accounts of one currency. */
export function assertValidNewTransfer(command: NewTransfer & { timeoutAt?: string }): void {
  parseAmount(command.amount);
  if (command.timeoutAt !== undefined && !isIsoInstant(command.timeoutAt)) {
    throw new ValidationError('timeoutAt must be an ISO 8601 instant');
  }
  if (command.debit.id === command.credit.id)
    throw new CurrencyMismatchError('A transfer needs two different accounts');
  if (command.debit.currency !== command.credit.currency) throw new CurrencyMismatchError();
}

/** The postings of a `post` or `pending` transfer. */
export function postingsOfNew(type: 'post' | 'pending', command: NewTransfer): [Posting, Posting] {
  const { amount } = command;
  return type === 'post'
    ? [
        { account: command.debit, delta: { ...zero, debitsPosted: amount } },
        { account: command.credit, delta: { ...zero, creditsPosted: amount } },
      ]
    : [
        { account: command.debit, delta: { ...zero, debitsPending: amount } },
        { account: command.credit, delta: { ...zero, creditsPending: amount } },
      ];
}

/**
 * The postings that resolve a pending transfer: the whole reservation is released, and `postAmount`
 * (0 for a void) is posted instead.
 */
export function postingsOfResolution(
  pending: Transfer,
  debit: AccountRef,
  credit: AccountRef,
  postAmount: number,
): [Posting, Posting] {
  return [
    { account: debit, delta: { ...zero, debitsPending: -pending.amount, debitsPosted: postAmount } },
    { account: credit, delta: { ...zero, creditsPending: -pending.amount, creditsPosted: postAmount } },
  ];
}

/** How much a post_pending posts: all of the reservation unless a smaller positive amount is given. */
export function amountToPost(pending: Transfer, requested: number | undefined): number {
  if (requested === undefined) return pending.amount;
  const amount = parseAmount(requested);
  if (amount > pending.amount) throw new PostAmountExceedsPendingError();
  return amount;
}

/** Whether a pending transfer may still be resolved, at `now`. Expired ones may only be voided. */
export function assertResolvable(pending: Transfer, resolution: 'post' | 'void', now: Date): void {
  if (pending.type !== 'pending') throw new PendingTransferNotFoundError(pending.id);
  if (pending.state !== 'pending')
    throw new PendingTransferResolvedError(pending.id, pending.state ?? 'posted');
  if (resolution === 'post' && pending.timeoutAt !== undefined && new Date(pending.timeoutAt) <= now) {
    throw new PendingTransferResolvedError(pending.id, 'expired');
  }
}

/** Applies a posting to an account, refusing what would break the account's limit. */
export function applyPosting(account: Account, delta: Balances): Account {
  const next: Account = {
    ...account,
    debitsPosted: account.debitsPosted + delta.debitsPosted,
    creditsPosted: account.creditsPosted + delta.creditsPosted,
    debitsPending: account.debitsPending + delta.debitsPending,
    creditsPending: account.creditsPending + delta.creditsPending,
    version: account.version + 1,
  };
  const spends = delta.debitsPosted + delta.debitsPending > 0;
  if (spends && debitsMustNotExceedCredits(account.kind) && available(next) < 0) {
    throw new InsufficientFundsError(account.id);
  }
  return next;
}

/** Whether two commands with the same id describe the same transfer (a retry), or a reuse of the id. */
export function sameTransfer(existing: Transfer, command: TransferCommand): boolean {
  if (existing.type !== command.type) return false;
  switch (command.type) {
    case 'post':
    case 'pending':
      return (
        existing.debitAccountId === command.debit.id &&
        existing.creditAccountId === command.credit.id &&
        existing.amount === command.amount &&
        existing.code === command.code
      );
    case 'post_pending':
      return (
        existing.pendingId === command.pendingId &&
        (command.amount === undefined || existing.amount === command.amount)
      );
    case 'void_pending':
      return existing.pendingId === command.pendingId;
  }
}

/**
 * The ledger invariant over all accounts: per currency, Σ debits = Σ credits, posted and pending alike; no
 * counter below zero; no account below zero where its kind forbids it. Returns the problems found (none
 * means the ledger is sound).
 */
export function checkLedgerInvariant(all: readonly Account[]): string[] {
  const problems: string[] = [];
  const byCurrency = new Map<string, Balances>();
  for (const a of all) {
    const sum = byCurrency.get(a.currency) ?? { ...zero };
    byCurrency.set(a.currency, {
      debitsPosted: sum.debitsPosted + a.debitsPosted,
      creditsPosted: sum.creditsPosted + a.creditsPosted,
      debitsPending: sum.debitsPending + a.debitsPending,
      creditsPending: sum.creditsPending + a.creditsPending,
    });
    if (a.debitsPosted < 0 || a.creditsPosted < 0 || a.debitsPending < 0 || a.creditsPending < 0) {
      problems.push(`account ${a.id} has a negative counter`);
    }
    if (debitsMustNotExceedCredits(a.kind) && available(a) < 0)
      problems.push(`account ${a.id} is below zero`);
  }
  for (const [currency, t] of byCurrency) {
    if (t.debitsPosted !== t.creditsPosted) {
      problems.push(`${currency}: posted debits ${t.debitsPosted} != posted credits ${t.creditsPosted}`);
    }
    if (t.debitsPending !== t.creditsPending) {
      problems.push(`${currency}: pending debits ${t.debitsPending} != pending credits ${t.creditsPending}`);
    }
  }
  return problems;
}

/** Accounts by purpose. Ids are stable so that the same purpose always finds the same account. */
export const accounts = {
  wallet: (walletId: string, currency: string): AccountRef => ({
    id: `${walletId}.${currency}`,
    kind: 'user_wallet',
    currency,
    historyOwner: walletId,
  }),
  app: (appId: string, currency: string): AccountRef => account(`app_${appId}.${currency}`, 'app', currency),
  giftEscrow: (giftId: string, currency: string): AccountRef =>
    account(`escrow_${giftId}.${currency}`, 'gift_escrow', currency),
  providerClearing: (provider: string, currency: string): AccountRef =>
    account(`clearing_${provider}.${currency}`, 'provider_clearing', currency),
  fees: (currency: string): AccountRef => account(`fees.${currency}`, 'fees', currency),
  /** A merchant's balances per mode and currency, listed together under the merchant's owner key. */
  merchantPending: (merchantId: string, mode: LedgerMode, currency: string): AccountRef => ({
    id: `mch_pending_${merchantId}.${mode}.${currency}`,
    kind: 'merchant_pending',
    currency,
    historyOwner: merchantBalanceOwner(merchantId, mode),
  }),
  merchantAvailable: (merchantId: string, mode: LedgerMode, currency: string): AccountRef => ({
    id: `mch_available_${merchantId}.${mode}.${currency}`,
    kind: 'merchant_available',
    currency,
    historyOwner: merchantBalanceOwner(merchantId, mode),
  }),
  platformFees: (mode: LedgerMode, currency: string): AccountRef =>
    account(`platform_fees.${mode}.${currency}`, 'platform_fees', currency),
  processingFees: (mode: LedgerMode, currency: string): AccountRef =>
    account(`processing_fees.${mode}.${currency}`, 'processing_fees', currency),
};

export type LedgerMode = 'test' | 'live';

/** Whose accounts a merchant's balance is: both of its accounts per currency, in one mode. */
export function merchantBalanceOwner(merchantId: string, mode: LedgerMode): string {
  return `merchant_${merchantId}.${mode}`;
}

/** The order of an owner's account list: by currency, then by id, so that listings are deterministic. */
export function byCurrencyThenId(a: Account, b: Account): number {
  return a.currency.localeCompare(b.currency, 'en') || a.id.localeCompare(b.id, 'en');
}

function account(id: string, kind: AccountKind, currency: string): AccountRef {
  return { id, kind, currency, historyOwner: id };
}

function isIsoInstant(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}
