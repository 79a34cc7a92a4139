import {
  arrivalDateOf,
  type Payout,
  payoutDebitOf,
  payoutFeeOf,
  payoutPaidOf,
  payoutReturnedOf,
} from '../../../shared/domain/payout.js';

const payout = (over: Partial<Payout> = {}): Payout => ({
  payoutId: 'po_1',
  merchantId: 'mch_1',
  mode: 'test',
  amount: 100_050,
  fee: 1_000,
  currency: 'USD',
  method: 'instant',
  status: 'pending',
  arrivalDate: 0,
  destination: 'acct_1',
  day: '2026-12-07',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...over,
});

/** What each account moves by, over a movement's transfers. */
function deltas(transfers: readonly { debit: { id: string }; credit: { id: string }; amount: number }[]) {
  const moved = new Map<string, number>();
  for (const { debit, credit, amount } of transfers) {
    moved.set(debit.id, (moved.get(debit.id) ?? 0) - amount);
    moved.set(credit.id, (moved.get(credit.id) ?? 0) + amount);
  }
  return Object.fromEntries(moved);
}

describe('Module: payout', () => {
  describe('Function: payoutFeeOf', () => {
    it('charges instant payouts 100 bps rounded half-even and standard ones nothing', () => {
      // Assert
      expect(payoutFeeOf(100_000, 'instant')).toBe(1_000);
      expect(payoutFeeOf(10_050, 'instant')).toBe(100); // 100.5 → 100 (even)
      expect(payoutFeeOf(10_150, 'instant')).toBe(102); // 101.5 → 102 (even)
      expect(payoutFeeOf(100_000, 'standard')).toBe(0);
    });
  });

  describe('Function: arrivalDateOf', () => {
    it('answers 30 minutes for instant and two business days, weekends skipped, for standard', () => {
      // Arrange
      const friday = new Date('2026-12-04T10:00:00Z');
      const seconds = (iso: string) => Date.parse(iso) / 1000;
      // Assert
      expect(arrivalDateOf('instant', friday)).toBe(seconds('2026-12-04T10:30:00Z'));
      expect(arrivalDateOf('standard', friday)).toBe(seconds('2026-12-08T10:00:00Z'));
      expect(arrivalDateOf('standard', new Date('2026-12-07T10:00:00Z'))).toBe(
        seconds('2026-12-09T10:00:00Z'),
      );
    });
  });

  describe('Function: payoutDebitOf / payoutPaidOf / payoutReturnedOf', () => {
    it('debits available by the amount once, sends amount − fee in transit, and a failure returns it all', () => {
      // Arrange
      const po = payout();
      // Act
      const debit = payoutDebitOf(po, 1_000);
      const returned = payoutReturnedOf(po, 2_000);
      const paid = payoutPaidOf(po);
      // Assert
      expect(deltas(debit.transfers)).toEqual({
        'mch_available_mch_1.test.USD': -100_050,
        'mch_payouts_in_transit_mch_1.test.USD': 99_050,
        'platform_fees.test.USD': 1_000,
      });
      expect(debit.transaction).toMatchObject({ kind: 'payout', amount: -99_050, fee: 1_000, net: -100_050 });
      expect(deltas([...debit.transfers, ...returned.transfers])).toEqual({
        'mch_available_mch_1.test.USD': 0,
        'mch_payouts_in_transit_mch_1.test.USD': 0,
        'platform_fees.test.USD': 0,
      });
      expect(returned.transaction).toMatchObject({ amount: 99_050, fee: -1_000, net: 100_050 });
      expect(deltas(paid.transfers)).toEqual({
        'mch_payouts_in_transit_mch_1.test.USD': -99_050,
        'mch_paid_out_mch_1.test.USD': 99_050,
      });
    });
  });
});
