/**
 * Transfer reversals after a refund, over fakes: the uncovered part of a split merchant's reversal is taken
 * back from its paid payout transfers, once per (refund, merchant), whether the event comes again or twice
 * at once.
 */
import { randomIds } from '../../../../shared/adapters/ids.js';
import {
  type DueReversal,
  reverseDue,
  reverseSplitTransfers,
  type TransferReversalDeps,
  type TransferReversalStore,
} from '../../../../shared/app/payouts/transfer-reversals.js';
import type { IntentRefund } from '../../../../shared/app/refunds/ports.js';
import type { BalanceTransaction } from '../../../../shared/domain/balance.js';
import { type Account, accounts } from '../../../../shared/domain/ledger.js';
import type { PaymentIntent } from '../../../../shared/domain/payment-intent.js';
import type {
  PaidTransfer,
  TransferReversal,
  transferReversalMovementOf,
} from '../../../../shared/domain/transfer-reversal.js';

const AT = new Date('2026-12-07T12:00:00Z');
const SPLIT = 'mch_split';

const intent: PaymentIntent = {
  intentId: 'pi_1',
  merchantId: 'mch_shop',
  mode: 'test',
  amount: 10_000,
  currency: 'USD',
  status: 'succeeded',
  captureMethod: 'automatic',
  amountCapturable: 0,
  amountReceived: 10_000,
  customerId: null,
  paymentMethodId: 'pm_card_visa',
  description: null,
  metadata: {},
  splits: [{ merchantId: SPLIT, amount: 3_000 }],
  attempts: 1,
  providerPaymentId: 'pi_stripe_1',
  lastPaymentError: null,
  nextActionUrl: null,
  cancellationReason: null,
  captureBefore: null,
  fees: null,
  canceledAt: null,
  createdAt: AT.toISOString(),
  updatedAt: AT.toISOString(),
};

const refund: IntentRefund = {
  refundId: 're_1',
  merchantId: 'mch_shop',
  mode: 'test',
  intentId: 'pi_1',
  amount: 10_000,
  currency: 'USD',
  status: 'succeeded',
  createdAt: AT.toISOString(),
  updatedAt: AT.toISOString(),
};

class FakeReversals implements TransferReversalStore {
  recorded = new Map<string, TransferReversal>();
  movements: ReturnType<typeof transferReversalMovementOf>[] = [];
  worklist: DueReversal[] = [{ dueId: 'due_1', merchantId: 'mch_shop', mode: 'test', refundId: 're_1' }];
  constructor(public transfers: PaidTransfer[]) {}
  async due(limit: number) {
    return this.worklist.slice(0, limit);
  }
  async done(due: DueReversal) {
    this.worklist = this.worklist.filter((entry) => entry.dueId !== due.dueId);
  }
  async get(merchantId: string, _: string, refundId: string) {
    return this.recorded.get(`${refundId}:${merchantId}`);
  }
  async paidTransfers() {
    return this.transfers;
  }
  async record(reversal: TransferReversal, movement: ReturnType<typeof transferReversalMovementOf>) {
    const key = `${reversal.refundId}:${reversal.merchantId}`;
    const stored = this.recorded.get(key);
    if (stored !== undefined) return stored;
    this.recorded.set(key, reversal);
    this.movements.push(movement);
    return reversal;
  }
}

/** Stripe's idempotency: one reversal per key, the same answer again. */
class FakeRails {
  byKey = new Map<string, { transferId: string; amount: number }>();
  calls = 0;
  down = false;
  async reverseTransfer(transferId: string, amount: number, key: string) {
    this.calls += 1;
    if (this.down) throw new Error('Stripe is down');
    if (!this.byKey.has(key)) this.byKey.set(key, { transferId, amount });
    return `trr_${key}`;
  }
}

function setup(options: { balance: number; transfers: PaidTransfer[]; refund?: IntentRefund }) {
  const reversals = new FakeReversals(options.transfers);
  const rails = new FakeRails();
  const splitTransaction: BalanceTransaction = {
    id: randomIds.derive('txn_', 'split', 're_1', SPLIT),
    merchantId: SPLIT,
    mode: 'test',
    kind: 'split',
    amount: -3_000,
    fee: 0,
    net: -3_000,
    currency: 'USD',
    status: 'available',
    availableOn: 0,
    source: 'pi_1',
    created: 0,
  };
  const available: Account = {
    ...accounts.merchantAvailable(SPLIT, 'test', 'USD'),
    creditsPosted: 0,
    debitsPosted: -options.balance,
    creditsPending: 0,
    debitsPending: 0,
    version: 1,
  };
  const deps: TransferReversalDeps = {
    intentRefunds: { intentRefund: async () => options.refund ?? refund },
    intents: { get: async () => intent },
    balances: {
      accounts: async () => [available],
      transaction: async (id) => (id === splitTransaction.id ? splitTransaction : undefined),
    },
    reversals,
    rails,
    ids: randomIds,
    clock: { now: () => AT },
  };
  return { deps, reversals, rails };
}

const REF = { merchantId: 'mch_shop', mode: 'test', refundId: 're_1' } as const;

describe('reverseSplitTransfers', () => {
  it("reverses the uncovered part on the split merchant's newest paid transfer, and records its ledger movement", async () => {
    const { deps, reversals, rails } = setup({
      balance: -3_000,
      transfers: [{ payoutId: 'po_1', transferId: 'tr_1', amount: 5_000, reversed: 0 }],
    });
    const [reversal] = await reverseSplitTransfers(REF, deps);
    expect(reversal).toMatchObject({ merchantId: SPLIT, amount: 3_000, refundId: 're_1' });
    expect([...rails.byKey.values()]).toEqual([{ transferId: 'tr_1', amount: 3_000 }]);
    expect(reversals.movements).toHaveLength(1);
    expect(reversals.movements[0]?.transaction).toMatchObject({
      kind: 'adjustment',
      amount: 3_000,
      source: 're_1',
    });
  });

  it('takes only what the balance does not cover, and never beyond a transfer', async () => {
    const partly = setup({
      balance: -1_200,
      transfers: [{ payoutId: 'po_1', transferId: 'tr_1', amount: 5_000, reversed: 0 }],
    });
    expect((await reverseSplitTransfers(REF, partly.deps))[0]?.amount).toBe(1_200);

    const small = setup({
      balance: -3_000,
      transfers: [
        { payoutId: 'po_2', transferId: 'tr_2', amount: 1_000, reversed: 0 },
        { payoutId: 'po_1', transferId: 'tr_1', amount: 1_500, reversed: 0 },
      ],
    });
    const [reversal] = await reverseSplitTransfers(REF, small.deps);
    expect(reversal?.parts.map((part) => part.amount)).toEqual([1_000, 1_500]);
    expect(reversal?.amount).toBe(2_500);
  });

  it('reverses nothing when the balance covers it, without a paid transfer, or before the refund succeeded', async () => {
    const transfers = [{ payoutId: 'po_1', transferId: 'tr_1', amount: 5_000, reversed: 0 }];
    const covered = setup({ balance: 0, transfers });
    expect(await reverseSplitTransfers(REF, covered.deps)).toEqual([]);
    const none = setup({ balance: -3_000, transfers: [] });
    expect(await reverseSplitTransfers(REF, none.deps)).toEqual([]);
    const pending = setup({ balance: -3_000, transfers, refund: { ...refund, status: 'pending' } });
    expect(await reverseSplitTransfers(REF, pending.deps)).toEqual([]);
    for (const { rails } of [covered, none, pending]) expect(rails.calls).toBe(0);
  });

  it('reverses once when the event comes again, or twice at once', async () => {
    const { deps, reversals, rails } = setup({
      balance: -3_000,
      transfers: [{ payoutId: 'po_1', transferId: 'tr_1', amount: 5_000, reversed: 0 }],
    });
    const [a, b] = await Promise.all([reverseSplitTransfers(REF, deps), reverseSplitTransfers(REF, deps)]);
    const again = await reverseSplitTransfers(REF, deps);
    expect(a).toEqual(b);
    expect(again).toEqual(a);
    expect(rails.byKey.size).toBe(1);
    expect(rails.calls).toBe(2);
    expect(reversals.movements).toHaveLength(1);
  });

  it('works through the worklist: a refund looked at leaves it, one that failed stays for the next run', async () => {
    const { deps, reversals, rails } = setup({
      balance: -3_000,
      transfers: [{ payoutId: 'po_1', transferId: 'tr_1', amount: 5_000, reversed: 0 }],
    });
    rails.down = true;
    const failed = await reverseDue(10, deps);
    expect(failed).toMatchObject({ done: 0, reversed: 0, failed: [{ refundId: 're_1' }] });
    expect(reversals.worklist).toHaveLength(1);
    rails.down = false;
    expect(await reverseDue(10, deps)).toEqual({ done: 1, reversed: 1, failed: [] });
    expect(reversals.worklist).toEqual([]);
    expect(reversals.movements).toHaveLength(1);
  });
});
