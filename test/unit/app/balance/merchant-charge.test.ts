/**
 * Every completed mini-app payment pays its app's merchant: one ledger transaction into the merchant's
 * pending balance, net of the platform fee (and the processing fee for cards and PayPal), with the balance
 * transaction that lists it. Merchant pending + fees = the amount, and the ledger invariant holds.
 */
import { processPayment } from '../../../../shared/app/payments/lifecycle.js';
import { refundPayment } from '../../../../shared/app/payments/refund-payment.js';
import { requestPayment } from '../../../../shared/app/payments/request-payment.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  parseFeeTiers,
  parseProcessingFee,
} from '../../../../shared/domain/fees.js';
import { accounts, checkLedgerInvariant, merchantBalanceOwner } from '../../../../shared/domain/ledger.js';
import type { App } from '../../../../shared/domain/merchant.js';
import {
  APP,
  availableIn,
  CARD,
  fundedWallet,
  NOW,
  paymentCommand,
  setup,
  stored,
} from '../payments/harness.js';

const MERCHANT = 'mch_shop';
const DELAY = 172_800;

function world(options: { volume?: number; mode?: App['mode'] } = {}) {
  const harness = setup();
  const app: App = {
    appId: APP,
    merchantId: MERCHANT,
    mode: options.mode ?? 'live',
    name: 'Shop',
    createdAt: NOW,
  };
  const deps = {
    ...harness.deps,
    apps: { get: async (appId: string) => (appId === APP ? app : undefined) },
    merchantLedger: {
      balances: {
        monthlyVolume: async () => options.volume ?? 0,
        accounts: (merchantId: string, mode: 'test' | 'live') =>
          harness.ledger.accountsOf(merchantBalanceOwner(merchantId, mode)),
      },
      fees: {
        tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
        processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
      },
      settlementDelaySeconds: DELAY,
      ids: harness.deps.ids,
    },
  };
  const balances = async (currency = 'USD') => {
    const posted = async (id: string) => {
      const account = await harness.ledger.account(id);
      return account === undefined ? 0 : account.creditsPosted - account.debitsPosted;
    };
    return {
      pending: await posted(accounts.merchantPending(MERCHANT, 'live', currency).id),
      platform: await posted(accounts.platformFees('live', currency).id),
      processing: await posted(accounts.processingFees('live', currency).id),
      app: await posted(accounts.app(APP, currency).id),
      available: await posted(accounts.merchantAvailable(MERCHANT, 'live', currency).id),
    };
  };
  const invariant = async () => checkLedgerInvariant(await harness.ledger.allAccounts());
  return { ...harness, deps, balances, invariant };
}

describe('Use case: a completed payment pays the merchant, net of fees', () => {
  it('a wallet payment in its request: merchant pending + platform fee = the amount', async () => {
    const w = world();
    await fundedWallet(w, 10_000);

    const payment = await requestPayment(paymentCommand(), w.deps);

    expect(payment).toMatchObject({
      state: 'Completed',
      merchantId: MERCHANT,
      fees: { platform: 82, processing: 0 },
    });
    expect(await w.balances()).toEqual({ pending: 918, platform: 82, processing: 0, app: 0, available: 0 });
    expect(await w.invariant()).toEqual([]);
    expect(w.payments.charges.map((charge) => charge.transaction)).toEqual([
      expect.objectContaining({
        kind: 'charge',
        merchantId: MERCHANT,
        mode: 'live',
        amount: 1_000,
        fee: 82,
        net: 918,
        currency: 'USD',
        status: 'pending',
        availableOn: Date.parse(NOW) / 1000 + DELAY,
        source: payment.paymentId,
      }),
    ]);
  });

  it('a wallet payment held for MFA: the hold credits the merchant, its capture takes the fee', async () => {
    const w = world();
    await fundedWallet(w, 10_000);
    const held = await requestPayment(paymentCommand({ amount: { value: 9_000, currency: 'USD' } }), w.deps);
    expect(held.state).toBe('MFA_Required');
    for (const step of [
      { from: 'MFA_Required', event: 'challenge_sent' },
      { from: 'MFA_Challenge', event: 'mfa_verified' },
      { from: 'MFA_Verified', event: 'authorized' },
    ] as const) {
      await w.payments.transition(held.paymentId, { ...step, actor: 'user_alice', at: NOW });
    }

    await processPayment(held.paymentId, w.deps);

    expect(stored(w, held.paymentId)).toMatchObject({
      state: 'Completed',
      fees: { platform: 738, processing: 0 },
    });
    expect(await w.balances()).toEqual({
      pending: 8_262,
      platform: 738,
      processing: 0,
      app: 0,
      available: 0,
    });
    expect(await w.invariant()).toEqual([]);
  });

  it('a card payment: provider clearing pays the merchant net of the platform and processing fees', async () => {
    const w = world({ volume: 1_000_000 });
    const requested = await requestPayment(
      paymentCommand({ paymentMethod: { type: 'card', id: CARD } }),
      w.deps,
    );

    await processPayment(requested.paymentId, w.deps);

    // 790 bps of 1000 = 79; 290 bps of 1000 = 29 + 30 = 59.
    expect(stored(w, requested.paymentId)).toMatchObject({
      state: 'Completed',
      fees: { platform: 79, processing: 59 },
    });
    const balances = await w.balances();
    expect(balances).toEqual({ pending: 862, platform: 79, processing: 59, app: 0, available: 0 });
    expect(balances.pending + balances.platform + balances.processing).toBe(1_000);
    expect(await w.invariant()).toEqual([]);
  });

  it('a test-mode app takes no wallet money (wallets are real money): NOT_FOUND, nothing moved', async () => {
    const w = world({ mode: 'test' });
    await fundedWallet(w, 10_000);

    await expect(requestPayment(paymentCommand(), w.deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    expect(await w.balances()).toEqual({ pending: 0, platform: 0, processing: 0, app: 0, available: 0 });
  });

  it('a refund takes the money from the merchant (available first) and returns the platform fee in proportion', async () => {
    const w = world();
    const wallet = await fundedWallet(w, 10_000);
    const payment = await requestPayment(paymentCommand(), w.deps);
    // Settled meanwhile: 500 of the 918 made available.
    await w.ledger.execute({
      type: 'post',
      id: 'settle:test',
      debit: accounts.merchantPending(MERCHANT, 'live', 'USD'),
      credit: accounts.merchantAvailable(MERCHANT, 'live', 'USD'),
      amount: 500,
      code: 'adjustment',
    });

    const first = await refundPayment(
      { userId: 'ops_1', roles: ['ops'], paymentId: payment.paymentId, idempotencyKey: 'r1', amount: 600 },
      w.deps,
    );
    expect(first.refund.status).toBe('succeeded');
    // 600 back to the wallet; 49 of the 82 fee returned (82 × 600/1000 = 49.2); available 500 + 49 pays 549,
    // pending the other 51.
    expect(await w.balances()).toEqual({ pending: 367, platform: 33, processing: 0, app: 0, available: 0 });
    expect(w.payments.merchantRefunds.map((r) => r.transaction)).toEqual([
      expect.objectContaining({ kind: 'refund', amount: -600, fee: -49, net: -551, status: 'available' }),
    ]);
    await refundPayment(
      { userId: 'ops_1', roles: ['ops'], paymentId: payment.paymentId, idempotencyKey: 'r2' },
      w.deps,
    );
    // Refunded in full: all the fee returned, the merchant back to nothing.
    expect(await w.balances()).toEqual({ pending: 0, platform: 0, processing: 0, app: 0, available: 0 });
    expect(await availableIn(w.ledger, wallet)).toBe(10_000);
    expect(await w.invariant()).toEqual([]);
  });
});
