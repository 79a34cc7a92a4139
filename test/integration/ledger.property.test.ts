/**
 * The DynamoDB ledger and the in-memory fake in lockstep: random command sequences (the same shapes as
 * test/unit/domain/ledger.property.test.ts, shorter) run against DynamoDB Local and InMemoryLedger with one
 * shared clock. Each command must succeed on both with equal transfers or fail on both with the same
 * code; afterwards accounts, transfers, account lists and history pages must be equal. This is what lets
 * use-case unit tests trust the fake. Every run uses its own account and transfer ids.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Ledger } from '../../shared/app/ports.js';
import { DomainError } from '../../shared/domain/errors.js';
import {
  type Account,
  type AccountRef,
  accounts,
  checkLedgerInvariant,
  type Transfer,
  type TransferCode,
  type TransferCommand,
} from '../../shared/domain/ledger.js';
import { InMemoryLedger } from '../support/in-memory-ledger.js';
import { localLedger } from '../support/ledger.js';

// ---------------------------------------------------------------------------------------------------------
// Commands, as generated (readable when shrunk). Ids are suffixes: each run prefixes its own.

type Holder = 'stripe' | 'shop' | 'alice' | 'bob';
type Currency = 'USD' | 'EUR';

type Op =
  | {
      op: 'post' | 'pending';
      id: string;
      from: Holder;
      to: Holder;
      currency: Currency;
      amount: number;
      code: TransferCode;
      /** See the unit property test: an account id used with another currency, or two currencies. */
      forge: 'none' | 'debit' | 'credit' | 'currencies';
      timeout?: 'none' | 'past' | 'future';
    }
  /** `pending#k`: the k-th pending transfer accepted so far (modulo their number); else a literal id. */
  | { op: 'post_pending'; id: string; pendingId: string; amount: 'full' | 'exact' | 'partial' | 'over' }
  | { op: 'void_pending'; id: string; pendingId: string; reason: 'voided' | 'expired' }
  | { op: 'retry'; back: number }
  | { op: 'tick' };

const NEW_IDS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
const RESOLUTION_IDS = ['r0', 'r1', 'r2', 'r3', 'r4'];
const HOLDERS: readonly Holder[] = ['stripe', 'shop', 'alice', 'bob'];
const CURRENCIES: readonly Currency[] = ['USD', 'EUR'];

const newId = fc.constantFrom(...NEW_IDS);
const resolutionId = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...RESOLUTION_IDS) },
  { weight: 1, arbitrary: newId },
);
const pendingRef = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('pending#0', 'pending#1') },
  { weight: 1, arbitrary: newId },
);
const newFields = {
  id: newId,
  from: fc.oneof(
    { weight: 1, arbitrary: fc.constant<Holder>('stripe') },
    { weight: 1, arbitrary: fc.constantFrom<Holder>('alice', 'bob', 'shop') },
  ),
  to: fc.constantFrom<Holder>('alice', 'bob', 'shop', 'stripe'),
  currency: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Currency>('USD') },
    { weight: 1, arbitrary: fc.constant<Currency>('EUR') },
  ),
  amount: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 1, max: 400 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 2.5) },
  ),
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
      timeout: fc.constantFrom('none' as const, 'future' as const, 'past' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('post_pending' as const),
      id: resolutionId,
      pendingId: pendingRef,
      amount: fc.constantFrom('full' as const, 'exact' as const, 'partial' as const, 'over' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('void_pending' as const),
      id: resolutionId,
      pendingId: pendingRef,
      reason: fc.constantFrom('voided' as const, 'expired' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('retry' as const), back: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const) }) },
);

const START = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3_600_000;

// ---------------------------------------------------------------------------------------------------------
// One run

class Run {
  readonly prefix = `lp${randomUUID().replaceAll('-', '').slice(0, 12)}_`;
  now = START;
  readonly dynamo: Ledger = localLedger(undefined, () => new Date(this.now));
  readonly memory = new InMemoryLedger(() => new Date(this.now));
  readonly executed: TransferCommand[] = [];
  readonly pendings: string[] = [];

  account(holder: Holder, currency: Currency): AccountRef {
    const name = `${this.prefix}${holder}`;
    switch (holder) {
      case 'stripe':
        return accounts.providerClearing(name, currency);
      case 'shop':
        return accounts.app(name, currency);
      default:
        return accounts.wallet(name, currency);
    }
  }

  allAccountRefs(): AccountRef[] {
    return HOLDERS.flatMap((holder) => CURRENCIES.map((currency) => this.account(holder, currency)));
  }

  allTransferIds(): string[] {
    return [...NEW_IDS, ...RESOLUTION_IDS, 'f0', 'f1', 'f2', 'f3'].map((id) => this.prefix + id);
  }

  async toCommand(op: Op): Promise<TransferCommand | undefined> {
    switch (op.op) {
      case 'post':
      case 'pending': {
        const other = op.currency === 'USD' ? 'EUR' : 'USD';
        const forged = (holder: Holder) => ({ ...this.account(holder, other), currency: op.currency });
        const debit = op.forge === 'debit' ? forged(op.from) : this.account(op.from, op.currency);
        const credit =
          op.forge === 'credit'
            ? forged(op.to)
            : this.account(op.to, op.forge === 'currencies' ? other : op.currency);
        const base = { id: this.prefix + op.id, debit, credit, amount: op.amount, code: op.code };
        if (op.op === 'post') return { type: 'post', ...base };
        const timeoutAt =
          op.timeout === 'past' ? this.now - 60_000 : op.timeout === 'future' ? this.now + HOUR : undefined;
        return {
          type: 'pending',
          ...base,
          ...(timeoutAt === undefined ? {} : { timeoutAt: new Date(timeoutAt).toISOString() }),
        };
      }
      case 'post_pending': {
        const pendingId = this.pendingIdOf(op.pendingId);
        const reserved = (await this.memory.transfer(pendingId))?.amount ?? 100;
        const amounts = {
          full: undefined,
          exact: reserved,
          partial: Math.max(1, Math.floor(reserved / 2)),
          over: reserved + 1,
        };
        const amount = amounts[op.amount];
        return {
          type: 'post_pending',
          id: this.prefix + op.id,
          pendingId,
          ...(amount === undefined ? {} : { amount }),
        };
      }
      case 'void_pending':
        return {
          type: 'void_pending',
          id: this.prefix + op.id,
          pendingId: this.pendingIdOf(op.pendingId),
          reason: op.reason,
        };
      case 'retry':
        return this.executed[Math.max(0, this.executed.length - op.back)];
      case 'tick':
        return undefined;
    }
  }

  pendingIdOf(ref: string): string {
    const nth = /^pending#(\d+)$/.exec(ref)?.[1];
    if (nth === undefined) return this.prefix + ref;
    return this.pendings[Number(nth) % Math.max(1, this.pendings.length)] ?? `${this.prefix}none`;
  }
}

type Result = { ok: true; transfer: Transfer } | { ok: false; code: string };

async function attempt(ledger: Ledger, command: TransferCommand): Promise<Result> {
  try {
    return { ok: true, transfer: await ledger.execute(command) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, code: error.code };
  }
}

/** Both ledgers' view of everything this run touched. */
async function snapshot(ledger: Ledger, run: Run) {
  const accountsById: Record<string, Account | undefined> = {};
  for (const ref of run.allAccountRefs()) accountsById[ref.id] = await ledger.account(ref.id);
  const transfers: Record<string, Transfer | undefined> = {};
  for (const id of run.allTransferIds()) transfers[id] = await ledger.transfer(id);
  const owners = [...new Set(run.allAccountRefs().map((ref) => ref.historyOwner))];
  const accountLists: Record<string, Account[]> = {};
  const histories: Record<string, unknown[]> = {};
  for (const owner of owners) {
    accountLists[owner] = await ledger.accountsOf(owner);
    const pages: unknown[] = [];
    let after: string | undefined;
    do {
      const page = await ledger.history(owner, { limit: 3, ...(after === undefined ? {} : { after }) });
      pages.push(page);
      after = page.after;
    } while (after !== undefined);
    histories[owner] = pages;
  }
  return { accounts: accountsById, transfers, accountLists, histories };
}

/** Every run starts from funded accounts, so that most generated commands have money to move. */
const FUNDING: readonly Op[] = (
  [
    ['alice', 'USD', 1000],
    ['bob', 'USD', 1000],
    ['shop', 'USD', 300],
    ['alice', 'EUR', 500],
  ] as const
).map(([to, currency, amount], i) => ({
  op: 'post',
  id: `f${i}`,
  from: 'stripe',
  to,
  currency,
  amount,
  code: 'topup',
  forge: 'none',
}));

async function runInLockstep(generated: readonly Op[]): Promise<void> {
  const run = new Run();
  for (const [step, op] of [...FUNDING, ...generated].entries()) {
    run.now += 1000;
    if (op.op === 'tick') run.now += 2 * HOUR;
    const command = await run.toCommand(op);
    if (command === undefined) continue;
    run.executed.push(command);

    // Act
    const memory = await attempt(run.memory, command);
    const dynamo = await attempt(run.dynamo, command);

    // Assert: the same outcome, and on success the same transfer
    expect({ step, command, outcome: dynamo }).toEqual({ step, command, outcome: memory });
    if (memory.ok && memory.transfer.type === 'pending' && !run.pendings.includes(memory.transfer.id)) {
      run.pendings.push(memory.transfer.id);
    }
  }

  // Assert: the same ledger afterwards, and a sound one
  const [inDynamo, inMemory] = [await snapshot(run.dynamo, run), await snapshot(run.memory, run)];
  expect(inDynamo).toEqual(inMemory);
  const stored = Object.values(inDynamo.accounts).filter((a): a is Account => a !== undefined);
  expect(checkLedgerInvariant(stored)).toEqual([]);
}

describe('Class: InMemoryLedger', () => {
  it('behaves exactly like DynamoDbLedger on random command sequences', async () => {
    // Arrange
    const sequences = fc.array(opArb, { minLength: 1, maxLength: 25, size: 'max' });

    // A forged credit creates a second USD account for bob: listings must still agree on the order (CI found it)
    const twoAccountsOfOneCurrency: Op[] = [
      {
        op: 'post',
        id: 't0',
        from: 'stripe',
        to: 'bob',
        currency: 'USD',
        amount: 1,
        code: 'topup',
        forge: 'credit',
      },
    ];

    // Act & Assert
    await fc.assert(fc.asyncProperty(sequences, runInLockstep), {
      numRuns: 15,
      examples: [[twoAccountsOfOneCurrency]],
    });
  }, 120_000);
});
