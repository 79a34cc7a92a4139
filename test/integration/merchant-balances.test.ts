/**
 * The merchant side of the ledger on DynamoDB Local: a wallet payment completed in its request pays the
 * merchant's pending balance net of the platform fee, with its balance transaction and the month's volume,
 * in the payment's one transaction; settlement makes it available once, however many runs race for it.
 */
import { DynamoDbMerchantBalances } from '../../shared/adapters/dynamodb/merchant-balances.js';
import { DynamoDbPayments } from '../../shared/adapters/dynamodb/payments.js';
import { settleDue } from '../../shared/app/balance/balance.js';
import {
  balanceOf,
  merchantChargeOf,
  paymentChargeSource,
  volumeMonth,
} from '../../shared/domain/balance.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  feesOf,
  parseFeeTiers,
  parseProcessingFee,
} from '../../shared/domain/fees.js';
import { accounts } from '../../shared/domain/ledger.js';
import { type Payment, settlementOf } from '../../shared/domain/payment.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { unique } from '../contract/subject.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-balances`;
const client = localDocumentClient();
const ledger = localLedger(client, undefined, TABLE_NAME);
const payments = new DynamoDbPayments(client, TABLE_NAME, ledger);
const balances = new DynamoDbMerchantBalances(client, TABLE_NAME, ledger);
const schedule = {
  tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
  processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
};
const DELAY = 60;

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

async function completedWalletPayment(merchantId: string, amount: number, at: Date) {
  const walletId = unique('tw_');
  await ledger.execute({
    type: 'post',
    id: unique('topup:'),
    debit: accounts.providerClearing('stripe', 'USD'),
    credit: accounts.wallet(walletId, 'USD'),
    amount,
    code: 'topup',
  });
  const iso = at.toISOString();
  const fees = feesOf(
    amount,
    'wallet',
    await balances.monthlyVolume(merchantId, 'live', volumeMonth(at)),
    schedule,
  );
  const payment: Payment = {
    paymentId: unique('pay_'),
    userId: unique('user_'),
    appId: 'app_demo',
    merchantId,
    amount: { value: amount, currency: 'USD' },
    paymentMethod: { type: 'wallet' },
    walletId,
    description: 'Sticker pack',
    metadata: {},
    state: 'Completed',
    mfaRequired: false,
    refundedAmount: 0,
    history: [{ state: 'Completed', event: 'completed', at: iso, actor: 'system' }],
    createdAt: iso,
    updatedAt: iso,
    completedAt: iso,
    fees: { platform: fees.platform, processing: fees.processing },
  };
  const charge = merchantChargeOf(paymentChargeSource({ ...payment, merchantId }), fees, {
    transactionId: unique('txn_'),
    at,
    settlementDelaySeconds: DELAY,
  });
  await payments.createWith(payment, settlementOf(payment, walletId), undefined, charge);
  return { payment, charge };
}

describe('merchant balances on DynamoDB Local', () => {
  it('pays the merchant pending net of the fee in the payment transaction, and settles it exactly once', async () => {
    const merchantId = unique('mch_');
    const at = new Date();
    const { payment, charge } = await completedWalletPayment(merchantId, 1_000, at);

    expect(await payments.get(payment.paymentId)).toMatchObject({ state: 'Completed', merchantId });
    expect(balanceOf(await balances.accounts(merchantId, 'live'), 'live', 0)).toEqual({
      mode: 'live',
      available: [{ amount: 0, currency: 'USD' }],
      pending: [{ amount: 918, currency: 'USD' }],
      reserved: [{ amount: 0, currency: 'USD' }],
    });
    const fees = await ledger.account(accounts.platformFees('live', 'USD').id);
    expect(fees?.creditsPosted).toBeGreaterThanOrEqual(82);
    expect(await balances.monthlyVolume(merchantId, 'live', volumeMonth(at))).toBe(1_000);
    expect((await balances.transactions({ merchantId, mode: 'live', limit: 10 })).transactions).toEqual([
      charge.transaction,
    ]);
    expect(await balances.accounts(merchantId, 'test')).toEqual([]);

    // Not due yet: nothing moves.
    const clock = (seconds: number) => ({ now: () => new Date(at.getTime() + seconds * 1000) });
    expect(await balances.due(Math.floor(at.getTime() / 1000) + DELAY - 5, 100)).not.toContainEqual(
      expect.objectContaining({ id: charge.transaction.id }),
    );

    // Two runs race for the due transaction: it is moved once.
    const twin = [
      balances.settle(charge.transaction),
      balances.settle(charge.transaction),
      settleDue(100, { balances, clock: clock(DELAY + 1) }),
    ];
    const [first, second, run] = await Promise.all(twin);
    expect([first, second].filter(Boolean).length + (run as { settled: number }).settled).toBe(1);
    expect(balanceOf(await balances.accounts(merchantId, 'live'), 'live', 1_000)).toEqual({
      mode: 'live',
      available: [{ amount: 918, currency: 'USD' }],
      pending: [{ amount: 0, currency: 'USD' }],
      reserved: [{ amount: 92, currency: 'USD' }],
    });
    const [listed] = (await balances.transactions({ merchantId, mode: 'live', limit: 10 })).transactions;
    expect(listed).toMatchObject({ status: 'available', net: 918 });
    expect(await balances.due(Math.floor(at.getTime() / 1000) + DELAY + 10, 100)).not.toContainEqual(
      expect.objectContaining({ id: charge.transaction.id }),
    );
    expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
  });

  it('lists newest first, a page at a time, filtered by type', async () => {
    const merchantId = unique('mch_');
    const base = Date.now();
    for (const seconds of [0, 1, 2])
      await completedWalletPayment(merchantId, 2_000, new Date(base + seconds * 1000));
    const first = await balances.transactions({ merchantId, mode: 'live', limit: 2 });
    expect(first.transactions.map((t) => t.created)).toEqual([
      Math.floor(base / 1000) + 2,
      Math.floor(base / 1000) + 1,
    ]);
    expect(first.after).toBeDefined();
    const rest = await balances.transactions({
      merchantId,
      mode: 'live',
      limit: 2,
      ...(first.after ? { after: first.after } : {}),
    });
    expect(rest.transactions).toHaveLength(1);
    expect(
      (await balances.transactions({ merchantId, mode: 'live', limit: 10, type: 'refund' })).transactions,
    ).toEqual([]);
  });

  it('says there is no more when a page ends at the last transaction, filtered or not (API.md has_more)', async () => {
    const merchantId = unique('mch_');
    const base = Date.now();
    for (const seconds of [0, 1])
      await completedWalletPayment(merchantId, 2_000, new Date(base + seconds * 1000));

    const all = await balances.transactions({ merchantId, mode: 'live', limit: 2 });
    const charges = await balances.transactions({ merchantId, mode: 'live', limit: 2, type: 'charge' });
    const firstCharge = await balances.transactions({ merchantId, mode: 'live', limit: 1, type: 'charge' });

    expect(all.transactions).toHaveLength(2);
    expect(all.after).toBeUndefined();
    expect(charges.transactions).toHaveLength(2);
    expect(charges.after).toBeUndefined();
    expect(firstCharge.transactions).toHaveLength(1);
    expect(firstCharge.after).toBeDefined();
  });
});
