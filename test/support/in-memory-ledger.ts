/**
 * An in-memory `Ledger` for unit tests of use cases, built only from the pure rules in shared/domain/ledger
 * and faithful to the DynamoDB adapter: a transfer id is an idempotency key (the same details return the
 * first result, other details are IDEMPOTENCY_KEY_REUSED), accounts are created on first use, every transfer
 * applies all of its postings or none, a pending transfer moves out of `pending` exactly once, and each
 * transfer leaves one history entry per account, listed newest first.
 */
import type { HistoryEntry, HistoryPage, Ledger } from '../../shared/app/ports.js';
import {
  type Account,
  type AccountRef,
  amountToPost,
  applyPosting,
  assertResolvable,
  assertValidNewTransfer,
  byCurrencyThenId,
  CurrencyMismatchError,
  type PendingState,
  PendingTransferNotFoundError,
  type Posting,
  postingsOfNew,
  postingsOfResolution,
  sameTransfer,
  type Transfer,
  type TransferCommand,
  TransferIdReusedError,
} from '../../shared/domain/ledger.js';

type NewTransferCommand = Extract<TransferCommand, { type: 'post' | 'pending' }>;
type ResolutionCommand = Extract<TransferCommand, { type: 'post_pending' | 'void_pending' }>;

/** A stored entry: the resolved amount is kept apart, as the adapter does, and shown only once posted. */
interface StoredEntry {
  entry: HistoryEntry;
  postedAmount?: number;
}

export class InMemoryLedger implements Ledger {
  readonly #transfers = new Map<string, Transfer>();
  readonly #accounts = new Map<string, Account>();
  /** historyOwner -> position (`<createdAt>#<transferId>#<side>`, the adapter's sort key) -> entry. */
  readonly #history = new Map<string, Map<string, StoredEntry>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async execute(command: TransferCommand): Promise<Transfer> {
    return command.type === 'post' || command.type === 'pending'
      ? this.#executeNew(command)
      : this.#executeResolution(command);
  }

  async transfer(id: string): Promise<Transfer | undefined> {
    const transfer = this.#transfers.get(id);
    return transfer === undefined ? undefined : copy(transfer);
  }

  async account(id: string): Promise<Account | undefined> {
    const account = this.#accounts.get(id);
    return account === undefined ? undefined : { ...account };
  }

  async accountsOf(historyOwner: string): Promise<Account[]> {
    return this.allAccounts()
      .filter((a) => a.historyOwner === historyOwner)
      .sort(byCurrencyThenId);
  }

  async history(historyOwner: string, page: { limit: number; after?: string }): Promise<HistoryPage> {
    const { after } = page;
    const positions = [...(this.#history.get(historyOwner)?.keys() ?? [])]
      .sort((a, b) => compare(b, a))
      .filter((position) => after === undefined || position < after)
      .slice(0, page.limit);
    const entries = positions.map((position) => this.#entryAt(historyOwner, position));
    // Like a DynamoDB Query with Limit: a full page says where the next one starts, even if it is empty.
    const last = positions.length === page.limit ? positions.at(-1) : undefined;
    return { entries, ...(last === undefined ? {} : { after: last }) };
  }

  /** Every account, for the ledger invariant (`checkLedgerInvariant`). */
  allAccounts(): Account[] {
    return [...this.#accounts.values()].map((a) => ({ ...a }));
  }

  async #executeNew(command: NewTransferCommand): Promise<Transfer> {
    assertValidNewTransfer(command);
    const existing = this.#transfers.get(command.id);
    if (existing !== undefined) return this.#replay(existing, command);
    const transfer: Transfer = {
      id: command.id,
      type: command.type,
      debitAccountId: command.debit.id,
      creditAccountId: command.credit.id,
      amount: command.amount,
      currency: command.debit.currency,
      code: command.code,
      createdAt: this.now().toISOString(),
      metadata: { ...(command.metadata ?? {}) },
      ...(command.type === 'pending'
        ? {
            state: 'pending' as const,
            ...(command.timeoutAt === undefined ? {} : { timeoutAt: command.timeoutAt }),
          }
        : {}),
    };
    const [debit, credit] = postingsOfNew(command.type, command);
    const accounts = [this.#posted(debit), this.#posted(credit)];
    // Every check passed: commit the transfer, both accounts and both history entries at once.
    this.#transfers.set(transfer.id, copy(transfer));
    for (const account of accounts) this.#accounts.set(account.id, account);
    const status = command.type === 'pending' ? 'pending' : 'posted';
    this.#putHistory(transfer, command.debit, 'debit', command.credit.id, status);
    this.#putHistory(transfer, command.credit, 'credit', command.debit.id, status);
    const party = command.listedFor;
    if (party !== undefined) {
      const [own, other] =
        party.direction === 'debit' ? [command.debit, command.credit] : [command.credit, command.debit];
      this.#putHistory(
        transfer,
        { ...own, historyOwner: party.historyOwner },
        party.direction,
        other.id,
        status,
      );
    }
    return transfer;
  }

  async #executeResolution(command: ResolutionCommand): Promise<Transfer> {
    const existing = this.#transfers.get(command.id);
    if (existing !== undefined) return this.#replay(existing, command);
    const pending = this.#transfers.get(command.pendingId);
    if (pending === undefined) throw new PendingTransferNotFoundError(command.pendingId);
    const posting = command.type === 'post_pending';
    assertResolvable(pending, posting ? 'post' : 'void', this.now());
    const postAmount = posting ? amountToPost(pending, command.amount) : 0;
    const debitAccount = this.#storedRef(pending.debitAccountId);
    const creditAccount = this.#storedRef(pending.creditAccountId);
    const newState: PendingState = posting ? 'posted' : command.reason;
    const resolution: Transfer = {
      id: command.id,
      type: command.type,
      debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId,
      amount: posting ? postAmount : pending.amount,
      currency: pending.currency,
      code: pending.code,
      createdAt: this.now().toISOString(),
      metadata: { ...pending.metadata },
      pendingId: pending.id,
    };
    const [debit, credit] = postingsOfResolution(pending, debitAccount, creditAccount, postAmount);
    const accounts = [this.#posted(debit), this.#posted(credit)];
    this.#transfers.set(resolution.id, copy(resolution));
    this.#transfers.set(pending.id, { ...pending, state: newState, postedAmount: postAmount });
    for (const account of accounts) this.#accounts.set(account.id, account);
    this.#resolveHistory(pending, debitAccount, 'debit', newState, postAmount);
    this.#resolveHistory(pending, creditAccount, 'credit', newState, postAmount);
    return resolution;
  }

  /** The account after a posting (created on first use), or the error the adapter's condition stands for. */
  #posted({ account, delta }: Posting): Account {
    const current = this.#accounts.get(account.id) ?? {
      id: account.id,
      kind: account.kind,
      currency: account.currency,
      historyOwner: account.historyOwner,
      version: 0,
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 0,
    };
    if (current.currency !== account.currency) throw new CurrencyMismatchError();
    return applyPosting(current, delta);
  }

  #storedRef(id: string): AccountRef {
    const account = this.#accounts.get(id);
    if (account === undefined) throw new Error(`Ledger account ${id} of a pending transfer is missing`);
    return account;
  }

  #replay(existing: Transfer, command: TransferCommand): Transfer {
    if (!sameTransfer(existing, command)) throw new TransferIdReusedError(command.id);
    return copy(existing);
  }

  #putHistory(
    transfer: Transfer,
    account: AccountRef,
    side: 'debit' | 'credit',
    counterpartyAccountId: string,
    status: HistoryEntry['status'],
  ): void {
    const entries = this.#history.get(account.historyOwner) ?? new Map<string, StoredEntry>();
    this.#history.set(account.historyOwner, entries);
    entries.set(position(transfer.createdAt, transfer.id, side), {
      entry: {
        transferId: transfer.id,
        accountId: account.id,
        currency: transfer.currency,
        direction: side,
        amount: transfer.amount,
        code: transfer.code,
        status,
        counterpartyAccountId,
        createdAt: transfer.createdAt,
        metadata: { ...transfer.metadata },
      },
    });
  }

  #resolveHistory(
    pending: Transfer,
    account: AccountRef,
    side: 'debit' | 'credit',
    status: PendingState,
    postedAmount: number,
  ): void {
    const stored = this.#history
      .get(account.historyOwner)
      ?.get(position(pending.createdAt, pending.id, side));
    if (stored === undefined) return;
    stored.entry = { ...stored.entry, status };
    stored.postedAmount = postedAmount;
  }

  #entryAt(historyOwner: string, at: string): HistoryEntry {
    const stored = this.#history.get(historyOwner)?.get(at);
    if (stored === undefined) throw new Error(`No history entry at ${at}`);
    const entry = { ...stored.entry, metadata: { ...stored.entry.metadata } };
    return stored.postedAmount !== undefined && entry.status === 'posted'
      ? { ...entry, amount: stored.postedAmount }
      : entry;
  }
}

/** A copy the caller may not mutate through (transfers hold only one nested object, their metadata). */
function copy(transfer: Transfer): Transfer {
  return { ...transfer, metadata: { ...transfer.metadata } };
}

function position(createdAt: string, transferId: string, side: 'debit' | 'credit'): string {
  return `${createdAt}#${transferId}#${side}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
