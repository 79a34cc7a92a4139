/**
 * Random command sequences against InMemoryLedger (which is built from the pure ledger rules), checked
 * against a small reference model of what each command should do. Commands are plain records over a
 * small pool of accounts and transfer ids, so that retries, reused ids, overdrafts, double resolutions and
 * expiries happen often and a failure shrinks to a short, readable sequence.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DomainError } from '../../../shared/domain/errors.js';
import {
  type Account,
  type AccountRef,
  accounts,
  available,
  checkLedgerInvariant,
  type PendingState,
  type Transfer,
  type TransferCode,
  type TransferCommand,
} from '../../../shared/domain/ledger.js';
import { MAX_AMOUNT } from '../../../shared/domain/money.js';
import { InMemoryLedger } from '../../support/in-memory-ledger.js';

// ---------------------------------------------------------------------------------------------------------
// Commands, as generated (readable when shrunk)

type Holder = 'stripe' | 'shop' | 'alice' | 'bob' | 'carol';
type Currency = 'USD' | 'EUR';

interface NewOp {
  op: 'post' | 'pending';
  id: string;
  from: Holder;
  to: Holder;
  currency: Currency;
  amount: number;
  code: TransferCode;
  /**
   * debit/credit: that side names the account of the other currency while claiming this one (an account id
   * used with another currency); currencies: the credit side is the holder's account in the other currency.
   */
  forge: 'none' | 'debit' | 'credit' | 'currencies';
  /** pending only: no timeout, one already past, or one an hour ahead. */
  timeout?: 'none' | 'past' | 'future';
}
/** `pending#k` names the k-th pending transfer accepted so far (modulo their number); else a literal id. */
type PendingRef = string;

interface PostPendingOp {
  op: 'post_pending';
  id: string;
  pendingId: PendingRef;
  /** full: no amount; exact: the reserved amount; partial: half of it; over: one more; invalid: zero. */
  amount: 'full' | 'exact' | 'partial' | 'over' | 'invalid';
}
interface VoidPendingOp {
  op: 'void_pending';
  id: string;
  pendingId: PendingRef;
  reason: 'voided' | 'expired';
}
/** Executes again the command executed `back` commands ago (a client retry), or the first one. */
interface RetryOp {
  op: 'retry';
  back: number;
}
/** Two hours pass: reservations with a timeout ahead expire. */
interface TickOp {
  op: 'tick';
}
type Op = NewOp | PostPendingOp | VoidPendingOp | RetryOp | TickOp;

/** Ids of new transfers; resolutions mostly use their own ids but sometimes collide with these. */
const newId = fc.constantFrom(...Array.from({ length: 16 }, (_, i) => `t${i}`));
const resolutionId = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7') },
  { weight: 1, arbitrary: newId },
);
const pendingId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('pending#0', 'pending#1', 'pending#2') },
  { weight: 1, arbitrary: newId },
  { weight: 1, arbitrary: fc.constant('r0') },
);
const amountArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 400 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5, MAX_AMOUNT + 1) },
);
const newFields = {
  id: newId,
  from: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Holder>('stripe') },
    { weight: 3, arbitrary: fc.constantFrom<Holder>('alice', 'bob', 'shop') },
  ),
  to: fc.constantFrom<Holder>('alice', 'bob', 'carol', 'shop', 'stripe'),
  currency: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Currency>('USD') },
    { weight: 1, arbitrary: fc.constant<Currency>('EUR') },
  ),
  amount: amountArb,
  code: fc.constantFrom<TransferCode>('topup', 'payment', 'p2p'),
  forge: fc.oneof(
    { weight: 6, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('debit' as const, 'credit' as const, 'currencies' as const) },
  ),
};

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('post' as const), ...newFields }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('pending' as const),
      ...newFields,
      timeout: fc.oneof(
        { weight: 3, arbitrary: fc.constant('none' as const) },
        { weight: 2, arbitrary: fc.constant('future' as const) },
        { weight: 1, arbitrary: fc.constant('past' as const) },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('post_pending' as const),
      id: resolutionId,
      pendingId,
      amount: fc.constantFrom(
        'full' as const,
        'exact' as const,
        'partial' as const,
        'over' as const,
        'invalid' as const,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('void_pending' as const),
      id: resolutionId,
      pendingId,
      reason: fc.constantFrom('voided' as const, 'expired' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('retry' as const),
      back: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 2 }) },
        { weight: 1, arbitrary: fc.integer({ min: 3, max: 40 }) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const) }) },
);

function accountFor(holder: Holder, currency: Currency): AccountRef {
  switch (holder) {
    case 'stripe':
      return accounts.providerClearing('stripe', currency);
    case 'shop':
      return accounts.app('shop', currency);
    default:
      return accounts.wallet(`tw_${holder}`, currency);
  }
}

/** The account of the holder's other currency, claiming to hold `currency`. */
function forged(holder: Holder, currency: Currency): AccountRef {
  return { ...accountFor(holder, other(currency)), currency };
}

function other(currency: Currency): Currency {
  return currency === 'USD' ? 'EUR' : 'USD';
}

const START = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3_600_000;

// ---------------------------------------------------------------------------------------------------------
// The reference model: what each command should do, written without the domain module

/** `why` only labels the branch, so that the test can show the generator reaches it. */
type Outcome = { kind: 'accepted' } | { kind: 'replay' } | { kind: 'rejected'; code: string; why?: string };

interface ModelAccount {
  kind: AccountRef['kind'];
  currency: string;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

interface ModelTransfer {
  type: TransferCommand['type'];
  debitId: string;
  creditId: string;
  amount: number;
  code: TransferCode;
  pendingId?: string;
  state?: PendingState;
  timeoutAt?: string;
}

class Model {
  readonly accounts = new Map<string, ModelAccount>();
  readonly transfers = new Map<string, ModelTransfer>();

  /** Predicts the outcome of a command at `now`, and applies it when it is accepted. */
  step(command: TransferCommand, now: number): Outcome {
    return command.type === 'post' || command.type === 'pending'
      ? this.#new(command)
      : this.#resolve(command, now);
  }

  available(id: string): number {
    const a = this.accounts.get(id);
    return a === undefined ? 0 : a.creditsPosted - a.debitsPosted - a.debitsPending;
  }

  #new(command: Extract<TransferCommand, { type: 'post' | 'pending' }>): Outcome {
    const { debit, credit, amount } = command;
    if (!isAmount(amount)) return rejected('INVALID_AMOUNT');
    if (debit.id === credit.id) return rejected('VALIDATION_ERROR', 'same account');
    if (debit.currency !== credit.currency) return rejected('VALIDATION_ERROR', 'two currencies');
    const existing = this.transfers.get(command.id);
    if (existing !== undefined) {
      const same =
        existing.type === command.type &&
        existing.debitId === debit.id &&
        existing.creditId === credit.id &&
        existing.amount === amount &&
        existing.code === command.code;
      return same ? { kind: 'replay' } : rejected('IDEMPOTENCY_KEY_REUSED');
    }
    const from = this.accounts.get(debit.id);
    const to = this.accounts.get(credit.id);
    if (from !== undefined && from.currency !== debit.currency) {
      return rejected('VALIDATION_ERROR', 'debit account holds another currency');
    }
    if (debit.kind !== 'provider_clearing' && this.available(debit.id) < amount) {
      return rejected('INSUFFICIENT_FUNDS');
    }
    if (to !== undefined && to.currency !== credit.currency) {
      return rejected('VALIDATION_ERROR', 'credit account holds another currency');
    }
    const d = this.#open(debit);
    const c = this.#open(credit);
    if (command.type === 'post') {
      d.debitsPosted += amount;
      c.creditsPosted += amount;
    } else {
      d.debitsPending += amount;
      c.creditsPending += amount;
    }
    this.transfers.set(command.id, {
      type: command.type,
      debitId: debit.id,
      creditId: credit.id,
      amount,
      code: command.code,
      ...(command.type === 'pending'
        ? {
            state: 'pending' as const,
            ...(command.timeoutAt === undefined ? {} : { timeoutAt: command.timeoutAt }),
          }
        : {}),
    });
    return { kind: 'accepted' };
  }

  #resolve(
    command: Extract<TransferCommand, { type: 'post_pending' | 'void_pending' }>,
    now: number,
  ): Outcome {
    const existing = this.transfers.get(command.id);
    if (existing !== undefined) {
      const same =
        existing.type === command.type &&
        existing.pendingId === command.pendingId &&
        (command.type === 'void_pending' ||
          command.amount === undefined ||
          command.amount === existing.amount);
      return same ? { kind: 'replay' } : rejected('IDEMPOTENCY_KEY_REUSED');
    }
    const pending = this.transfers.get(command.pendingId);
    if (pending === undefined || pending.type !== 'pending') return rejected('NOT_FOUND');
    if (pending.state !== 'pending') return rejected('INVALID_STATE_TRANSITION');
    const posting = command.type === 'post_pending';
    if (posting && pending.timeoutAt !== undefined && Date.parse(pending.timeoutAt) <= now) {
      return rejected('INVALID_STATE_TRANSITION', 'timed out');
    }
    const requested = posting ? command.amount : undefined;
    if (requested !== undefined && (!isAmount(requested) || requested > pending.amount)) {
      return rejected('INVALID_AMOUNT');
    }
    const postAmount = posting ? (requested ?? pending.amount) : 0;
    const d = this.#stored(pending.debitId);
    const c = this.#stored(pending.creditId);
    d.debitsPending -= pending.amount;
    c.creditsPending -= pending.amount;
    d.debitsPosted += postAmount;
    c.creditsPosted += postAmount;
    pending.state = posting ? 'posted' : command.reason;
    this.transfers.set(command.id, {
      type: command.type,
      debitId: pending.debitId,
      creditId: pending.creditId,
      amount: posting ? postAmount : pending.amount,
      code: pending.code,
      pendingId: command.pendingId,
    });
    return { kind: 'accepted' };
  }

  #open(ref: AccountRef): ModelAccount {
    const account = this.accounts.get(ref.id) ?? {
      kind: ref.kind,
      currency: ref.currency,
      debitsPosted: 0,
      creditsPosted: 0,
      debitsPending: 0,
      creditsPending: 0,
    };
    this.accounts.set(ref.id, account);
    return account;
  }

  #stored(id: string): ModelAccount {
    const account = this.accounts.get(id);
    if (account === undefined) throw new Error(`model: account ${id} of a pending transfer is missing`);
    return account;
  }
}

function isAmount(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_AMOUNT;
}

function rejected(code: string, why?: string): Outcome {
  return { kind: 'rejected', code, ...(why === undefined ? {} : { why }) };
}

// ---------------------------------------------------------------------------------------------------------
// Running a sequence

function pendingIdOf(ref: PendingRef, model: Model): string {
  const nth = /^pending#(\d+)$/.exec(ref)?.[1];
  if (nth === undefined) return ref;
  const pendings = [...model.transfers].filter(([, t]) => t.type === 'pending').map(([id]) => id);
  return pendings[Number(nth) % Math.max(1, pendings.length)] ?? 'no-pending-yet';
}

/** The concrete command of a generated step, or undefined for steps that only move time. */
function toCommand(op: Op, executed: readonly TransferCommand[], model: Model, now: number) {
  switch (op.op) {
    case 'post':
    case 'pending': {
      const debit = op.forge === 'debit' ? forged(op.from, op.currency) : accountFor(op.from, op.currency);
      const credit =
        op.forge === 'credit'
          ? forged(op.to, op.currency)
          : accountFor(op.to, op.forge === 'currencies' ? other(op.currency) : op.currency);
      const base = { id: op.id, debit, credit, amount: op.amount, code: op.code };
      if (op.op === 'post') return { type: 'post' as const, ...base };
      const timeoutAt =
        op.timeout === 'past' ? now - 60_000 : op.timeout === 'future' ? now + HOUR : undefined;
      return {
        type: 'pending' as const,
        ...base,
        ...(timeoutAt === undefined ? {} : { timeoutAt: new Date(timeoutAt).toISOString() }),
      };
    }
    case 'post_pending': {
      const id = pendingIdOf(op.pendingId, model);
      const reserved = model.transfers.get(id)?.amount ?? 100;
      const amounts = {
        full: undefined,
        exact: reserved,
        partial: Math.max(1, Math.floor(reserved / 2)),
        over: reserved + 1,
        invalid: 0,
      };
      const amount = amounts[op.amount];
      return {
        type: 'post_pending' as const,
        id: op.id,
        pendingId: id,
        ...(amount === undefined ? {} : { amount }),
      };
    }
    case 'void_pending':
      return {
        type: 'void_pending' as const,
        id: op.id,
        pendingId: pendingIdOf(op.pendingId, model),
        reason: op.reason,
      };
    case 'retry':
      return executed[Math.max(0, executed.length - op.back)];
    case 'tick':
      return undefined;
  }
}

async function attempt(
  ledger: InMemoryLedger,
  command: TransferCommand,
): Promise<{ ok: true; transfer: Transfer } | { ok: false; code: string }> {
  try {
    return { ok: true, transfer: await ledger.execute(command) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, code: error.code };
  }
}

function balancesOf(a: Account | ModelAccount | undefined) {
  return a === undefined
    ? undefined
    : {
        debitsPosted: a.debitsPosted,
        creditsPosted: a.creditsPosted,
        debitsPending: a.debitsPending,
        creditsPending: a.creditsPending,
      };
}

function withoutResolution(t: Transfer): Omit<Transfer, 'state' | 'postedAmount'> {
  const { state: _state, postedAmount: _posted, ...rest } = t;
  return rest;
}

const walletIds = (['alice', 'bob', 'carol'] as const).flatMap((holder) =>
  (['USD', 'EUR'] as const).map((currency) => accountFor(holder, currency).id),
);

/** Outcomes seen across all runs, so the test can show the generator reaches every branch. */
const seen = new Set<string>();

async function runSequence(ops: readonly Op[]): Promise<void> {
  let now = START;
  const ledger = new InMemoryLedger(() => new Date(now));
  const model = new Model();
  const executed: TransferCommand[] = [];
  const firstResults = new Map<string, Transfer>();
  /** pending id -> the resolution id that moved it out of `pending`. */
  const resolvedBy = new Map<string, string>();
  const lastState = new Map<string, PendingState | undefined>();
  const stateChanges = new Map<string, number>();

  for (const [step, op] of ops.entries()) {
    now += 1000;
    if (op.op === 'tick') now += 2 * HOUR;
    const command = toCommand(op, executed, model, now);
    if (command === undefined) continue;
    executed.push(command);
    const before = ledger.allAccounts();
    const problems: string[] = [];

    // Act
    const expected = model.step(command, now);
    const actual = await attempt(ledger, command);

    // The outcome is the one the model predicts.
    const want = expected.kind === 'rejected' ? expected.code : 'ok';
    const got = actual.ok ? 'ok' : actual.code;
    if (got !== want) problems.push(`expected ${want}, got ${got}`);
    seen.add(`${command.type}:${expected.kind === 'rejected' ? expected.code : expected.kind}`);
    if (expected.kind === 'rejected' && expected.why !== undefined)
      seen.add(`${expected.code} (${expected.why})`);

    if (actual.ok) {
      const result = actual.transfer;
      if (!isDeepStrictEqual(result, await ledger.transfer(command.id))) {
        problems.push('the result is not the stored transfer');
      }
      const first = firstResults.get(command.id);
      if (first === undefined) firstResults.set(command.id, result);
      // (d) A retry returns the first result (a pending one with its current state) and moves nothing.
      if (expected.kind === 'replay') {
        if (first === undefined || !isDeepStrictEqual(withoutResolution(result), withoutResolution(first))) {
          problems.push('a retry did not return the first result');
        }
        if (!isDeepStrictEqual(ledger.allAccounts(), before)) problems.push('a retry changed balances');
      }
      // (b) A pending transfer is resolved by one resolution only; any other success is a replay of it.
      if (result.pendingId !== undefined) {
        const by = resolvedBy.get(result.pendingId) ?? result.id;
        if (by !== result.id)
          problems.push(`${result.pendingId} resolved by ${by} and again by ${result.id}`);
        resolvedBy.set(result.pendingId, by);
      }
    } else if (!isDeepStrictEqual(ledger.allAccounts(), before)) {
      problems.push('a refused command changed balances');
    }

    // (a) Σ debits = Σ credits, posted and pending, and no wallet or app account below zero.
    problems.push(...checkLedgerInvariant(ledger.allAccounts()));

    // (c) Every account holds what the accepted commands imply; wallets can spend exactly that.
    const all = ledger.allAccounts();
    if (all.length !== model.accounts.size)
      problems.push(`${all.length} accounts, model ${model.accounts.size}`);
    for (const account of all) {
      const modelled = model.accounts.get(account.id);
      if (!isDeepStrictEqual(balancesOf(account), balancesOf(modelled))) {
        problems.push(
          `${account.id} ${JSON.stringify(balancesOf(account))}, model ${JSON.stringify(balancesOf(modelled))}`,
        );
      }
    }
    for (const id of walletIds) {
      const account = await ledger.account(id);
      const spendable = account === undefined ? 0 : available(account);
      if (spendable !== model.available(id))
        problems.push(`${id} available ${spendable}, model ${model.available(id)}`);
    }

    // (b) Each pending transfer leaves `pending` at most once and never changes state again.
    for (const [id, modelled] of model.transfers) {
      if (modelled.type !== 'pending') continue;
      const state = (await ledger.transfer(id))?.state;
      if (state !== modelled.state) problems.push(`${id} is ${state}, model ${modelled.state}`);
      if (lastState.has(id) && lastState.get(id) !== state)
        stateChanges.set(id, (stateChanges.get(id) ?? 0) + 1);
      lastState.set(id, state);
      if ((stateChanges.get(id) ?? 0) > 1) problems.push(`${id} changed state more than once`);
    }

    // Assert (one readable line per step: which command broke what)
    expect({ step, command, problems }).toEqual({ step, command, problems: [] });
  }

  await expectHistoryToMatch(ledger, model);
}

/** Every accepted post/pending left one entry per side, newest first, with its pending state shown. */
async function expectHistoryToMatch(ledger: InMemoryLedger, model: Model): Promise<void> {
  const owners = new Set(ledger.allAccounts().map((a) => a.historyOwner));
  let entries = 0;
  for (const owner of owners) {
    const all = await ledger.history(owner, { limit: 1000 });
    entries += all.entries.length;
    const paged = [];
    let after: string | undefined;
    do {
      const page = await ledger.history(owner, { limit: 3, ...(after === undefined ? {} : { after }) });
      paged.push(...page.entries);
      after = page.after;
    } while (after !== undefined);
    expect(paged).toEqual(all.entries);
    const times = all.entries.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    for (const entry of all.entries) {
      const transfer = model.transfers.get(entry.transferId);
      expect(transfer?.type === 'post' || transfer?.type === 'pending').toBe(true);
      expect(entry.accountId).toBe(entry.direction === 'debit' ? transfer?.debitId : transfer?.creditId);
      expect(entry.status).toBe(transfer?.state ?? 'posted');
    }
  }
  const newTransfers = [...model.transfers.values()].filter((t) => t.type === 'post' || t.type === 'pending');
  expect(entries).toBe(2 * newTransfers.length);
}

describe('Class: InMemoryLedger (property)', () => {
  it('keeps the ledger invariant, resolves each pending transfer once, matches the model and ignores retries', async () => {
    // Arrange
    const sequences = fc.array(opArb, { minLength: 1, maxLength: 40, size: 'max' });

    // Act & Assert
    await fc.assert(fc.asyncProperty(sequences, runSequence), { numRuns: 300 });

    // Assert: the generated sequences reached every outcome the properties speak about
    const wanted = [
      'pending:IDEMPOTENCY_KEY_REUSED',
      'pending:INSUFFICIENT_FUNDS',
      'pending:accepted',
      'pending:replay',
      'post:IDEMPOTENCY_KEY_REUSED',
      'post:INSUFFICIENT_FUNDS',
      'post:INVALID_AMOUNT',
      'post:VALIDATION_ERROR',
      'VALIDATION_ERROR (same account)',
      'VALIDATION_ERROR (two currencies)',
      'VALIDATION_ERROR (debit account holds another currency)',
      'VALIDATION_ERROR (credit account holds another currency)',
      'post:accepted',
      'post:replay',
      'post_pending:IDEMPOTENCY_KEY_REUSED',
      'post_pending:INVALID_AMOUNT',
      'post_pending:INVALID_STATE_TRANSITION',
      'INVALID_STATE_TRANSITION (timed out)',
      'post_pending:NOT_FOUND',
      'post_pending:accepted',
      'post_pending:replay',
      'void_pending:INVALID_STATE_TRANSITION',
      'void_pending:NOT_FOUND',
      'void_pending:accepted',
      'void_pending:replay',
    ];
    expect(wanted.filter((outcome) => !seen.has(outcome))).toEqual([]);
  });
});
