import { applyProviderPayout, sendPayout } from '../../../../shared/app/payouts/lifecycle.js';
import type {
  PayoutEnd,
  PayoutRails,
  PayoutStore,
  ProviderPayout,
} from '../../../../shared/app/payouts/ports.js';
import { PayoutRefusedError } from '../../../../shared/app/payouts/ports.js';
import type { Payout } from '../../../../shared/domain/payout.js';

const AT = new Date('2026-12-07T10:00:00Z');

/** A store that keeps one payout and counts the ends it wrote (each conditional on not having ended). */
class FakeStore implements PayoutStore {
  ends: PayoutEnd[] = [];
  constructor(public payout: Payout) {}
  async get() {
    return this.payout;
  }
  async list() {
    return { items: [this.payout] };
  }
  async dailyTotal() {
    return { total: 0, version: 0 };
  }
  async create(payout: Payout) {
    return payout;
  }
  async noteTransfer(_: Payout, providerTransferId: string) {
    this.payout = { ...this.payout, providerTransferId };
    return this.payout;
  }
  async markInTransit(_: Payout, providerPayoutId: string) {
    if (this.payout.status === 'pending')
      this.payout = { ...this.payout, status: 'in_transit', providerPayoutId };
    return this.payout;
  }
  async noteTaskToken(_: Payout, taskToken: string) {
    this.payout = { ...this.payout, taskToken };
    return this.payout;
  }
  async end(_: Payout, end: PayoutEnd) {
    if (this.payout.status === 'pending' || this.payout.status === 'in_transit') {
      this.ends.push(end);
      this.payout = {
        ...this.payout,
        status: end.status,
        ...(end.failureCode ? { failureCode: end.failureCode } : {}),
      };
    }
    return this.payout;
  }
}

class FakeRails implements PayoutRails {
  reversals: Array<{ transferId: string; amount: number; key: string }> = [];
  constructor(private readonly refusePayout: boolean) {}
  async transfer() {
    return 'tr_1';
  }
  async payout(): Promise<ProviderPayout> {
    if (this.refusePayout) throw new PayoutRefusedError('balance_insufficient');
    return { id: 'po_stripe_1', status: 'in_transit' };
  }
  async reverseTransfer(transferId: string, amount: number, key: string) {
    this.reversals.push({ transferId, amount, key });
    return 'trr_1';
  }
  async retrievePayout(): Promise<ProviderPayout> {
    return { id: 'po_stripe_1', status: 'paid' };
  }
}

const pending: Payout = {
  payoutId: 'po_1',
  merchantId: 'mch_1',
  mode: 'test',
  amount: 20_000,
  fee: 200,
  currency: 'USD',
  method: 'instant',
  status: 'pending',
  arrivalDate: 0,
  destination: 'acct_1',
  day: '2026-12-07',
  createdAt: AT.toISOString(),
  updatedAt: AT.toISOString(),
};

function depsWith(store: FakeStore, rails: FakeRails) {
  const resumed: string[] = [];
  return {
    resumed,
    deps: {
      payouts: store,
      rails,
      workflow: {
        resume: async (token: string) => {
          resumed.push(token);
          return true;
        },
      },
      clock: { now: () => AT },
    },
  };
}

describe('Use case: payout lifecycle', () => {
  it('sends the transfer then the payout, and leaves the payout in transit', async () => {
    // Arrange
    const store = new FakeStore(pending);
    const { deps } = depsWith(store, new FakeRails(false));
    // Act
    const sent = await sendPayout(pending, deps);
    // Assert
    expect(sent.status).toBe('in_transit');
    expect(store.payout).toMatchObject({ providerTransferId: 'tr_1', providerPayoutId: 'po_stripe_1' });
  });

  it('fails a payout the provider refuses, reversing its transfer, with the whole debit returned', async () => {
    // Arrange
    const store = new FakeStore(pending);
    const rails = new FakeRails(true);
    const { deps } = depsWith(store, rails);
    // Act
    const sent = await sendPayout(pending, deps);
    // Assert
    expect(sent.status).toBe('failed');
    expect(rails.reversals).toEqual([{ transferId: 'tr_1', amount: 19_800, key: 'po_1:refused' }]);
    expect(store.ends).toHaveLength(1);
    expect(store.ends[0]).toMatchObject({ status: 'failed', failureCode: 'balance_insufficient' });
    expect(store.ends[0]?.movement.transaction).toMatchObject({ net: 20_000 });
  });

  it('applies the provider’s paid once and resumes the waiting flow, however often it is told', async () => {
    // Arrange
    const store = new FakeStore({ ...pending, status: 'in_transit', taskToken: 'token-1' });
    const { deps, resumed } = depsWith(store, new FakeRails(false));
    const paid: ProviderPayout = { id: 'po_stripe_1', status: 'paid' };
    // Act
    await applyProviderPayout(store.payout, paid, deps);
    await applyProviderPayout(store.payout, paid, deps);
    // Assert
    expect(store.ends.map((end) => end.status)).toEqual(['paid']);
    expect(store.ends[0]?.view).toMatchObject({ id: 'po_1', object: 'payout', status: 'paid' });
    expect(resumed).toEqual(['token-1', 'token-1']);
  });
});
