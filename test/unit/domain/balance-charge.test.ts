/**
 * merchantChargeOf for any source: a PaymentIntent's capture brings its money from provider clearing into
 * the merchant's pending balance in the intent's mode, with both fees out of it, in one set of transfers.
 */
import { merchantChargeOf, paymentChargeSource, volumeMonth } from '../../../shared/domain/balance.js';
import {
  DEFAULT_FEE_TIERS,
  DEFAULT_PROCESSING_FEE,
  feesOf,
  parseFeeTiers,
  parseProcessingFee,
} from '../../../shared/domain/fees.js';
import {
  type Account,
  accounts,
  applyPosting,
  checkLedgerInvariant,
  type NewTransfer,
  postingsOfNew,
} from '../../../shared/domain/ledger.js';

const AT = new Date('2026-12-07T12:00:00Z');
const SCHEDULE = {
  tiers: parseFeeTiers(DEFAULT_FEE_TIERS),
  processing: parseProcessingFee(DEFAULT_PROCESSING_FEE),
};

function posted(transfers: readonly NewTransfer[]): Map<string, Account> {
  const ledger = new Map<string, Account>();
  for (const transfer of transfers) {
    for (const { account, delta } of postingsOfNew('post', transfer)) {
      const before = ledger.get(account.id) ?? {
        ...account,
        debitsPosted: 0,
        creditsPosted: 0,
        debitsPending: 0,
        creditsPending: 0,
        version: 0,
      };
      ledger.set(account.id, applyPosting(before, delta));
    }
  }
  return ledger;
}

const net = (account: Account | undefined) =>
  account === undefined ? 0 : account.creditsPosted - account.debitsPosted;

describe('Function: merchantChargeOf', () => {
  it("moves a PaymentIntent's amount from provider clearing to the merchant's pending balance in its mode, net of fees", () => {
    // Arrange
    const fees = feesOf(10_000, 'card', 0, SCHEDULE);
    const clearing = accounts.providerClearing('stripe', 'USD');

    // Act
    const charge = merchantChargeOf(
      {
        sourceId: 'pi_1',
        merchantId: 'mch_shop',
        mode: 'test',
        amount: { currency: 'USD', value: 10_000 },
        payer: clearing,
      },
      fees,
      { transactionId: 'txn_1', at: AT, settlementDelaySeconds: 60 },
    );
    const ledger = posted(charge.transfers);

    // Assert
    const pending = net(ledger.get(accounts.merchantPending('mch_shop', 'test', 'USD').id));
    expect(fees.platform).toBeGreaterThan(0);
    expect(fees.processing).toBeGreaterThan(0);
    expect(pending + fees.platform + fees.processing).toBe(10_000);
    expect(pending).toBe(fees.net);
    expect(net(ledger.get(clearing.id))).toBe(-10_000);
    expect(net(ledger.get(accounts.merchantPending('mch_shop', 'live', 'USD').id))).toBe(0);
    expect(checkLedgerInvariant([...ledger.values()])).toEqual([]);
    expect(charge).toMatchObject({
      merchantId: 'mch_shop',
      mode: 'test',
      month: volumeMonth(AT),
      transaction: { kind: 'charge', source: 'pi_1', mode: 'test', amount: 10_000, net: fees.net },
    });
  });

  it("leaves a mini-app payment's amount to the payment's own transfer: only the fees move", () => {
    // Arrange
    const fees = feesOf(5_000, 'wallet', 0, SCHEDULE);

    // Act
    const charge = merchantChargeOf(
      paymentChargeSource({
        paymentId: 'pay_1',
        merchantId: 'mch_shop',
        amount: { currency: 'USD', value: 5_000 },
      } as Parameters<typeof paymentChargeSource>[0]),
      fees,
      { transactionId: 'txn_2', at: AT, settlementDelaySeconds: 60 },
    );

    // Assert
    expect(charge.mode).toBe('live');
    expect(charge.transfers.map((transfer) => transfer.code)).toEqual(['fee']);
  });
});
