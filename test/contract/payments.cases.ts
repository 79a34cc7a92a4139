/**
 * The PaymentRepository port's contract (shared/app/payments/ports.ts), payments and their refunds, run against
 * InMemoryPayments and DynamoDbPayments.
 */

import { paymentCompletedDetail } from '../../shared/app/payments/events.js';
import type { PaymentCompletedEvent, PaymentRepository, Refund } from '../../shared/app/payments/ports.js';
import type { Ledger } from '../../shared/app/ports.js';
import { InvalidStateTransitionError, NotFoundError } from '../../shared/domain/errors.js';
import {
  type AccountRef,
  accounts,
  InsufficientFundsError,
  type TransferCommand,
} from '../../shared/domain/ledger.js';
import { InvalidAmountError } from '../../shared/domain/money.js';
import type { Payment, PaymentState } from '../../shared/domain/payment.js';
import { at, availableOf, fundedWallet, type Make, unique } from './subject.js';

function paymentOf(state: PaymentState, wallet: AccountRef, change: Partial<Payment> = {}): Payment {
  return {
    paymentId: unique('pay_'),
    userId: unique('user-'),
    appId: 'app-contract',
    amount: { value: 1000, currency: 'USD' },
    paymentMethod: { type: 'wallet' },
    description: 'contract',
    metadata: {},
    state,
    mfaRequired: false,
    refundedAmount: 0,
    history: [{ state, event: 'validate', at: at(0), actor: 'contract' }],
    createdAt: at(0),
    updatedAt: at(0),
    walletId: wallet.historyOwner,
    ...change,
  };
}

/** A wallet payment's money posted at once from `wallet` to the app. */
function settlementOf(payment: Payment, wallet: AccountRef): TransferCommand {
  return {
    type: 'post',
    id: `settle-${payment.paymentId}`,
    debit: wallet,
    credit: accounts.app(payment.appId, 'USD'),
    amount: payment.amount.value,
    code: 'payment',
  };
}

function completedEventOf(payment: Payment): PaymentCompletedEvent {
  return { detailType: 'payment.completed', detail: paymentCompletedDetail(payment) };
}

function refundOf(payment: Payment, amount: number): Refund {
  return {
    refundId: unique('re_'),
    paymentId: payment.paymentId,
    userId: payment.userId,
    amount,
    currency: payment.amount.currency,
    status: 'pending',
    createdAt: at(20),
    updatedAt: at(20),
  };
}

function holdOf(payment: Payment, wallet: AccountRef): TransferCommand {
  return {
    type: 'pending',
    id: `hold-${payment.paymentId}`,
    debit: wallet,
    credit: accounts.app(payment.appId, 'USD'),
    amount: payment.amount.value,
    code: 'payment',
  };
}

export function paymentsContract(make: Make<{ payments: PaymentRepository; ledger: Ledger }>): void {
  describe('Port: PaymentRepository', () => {
    it('creates a payment once: a second create of its id returns the stored one unchanged', async () => {
      const { payments, ledger } = make();
      const payment = paymentOf('Initiated', await fundedWallet(ledger, 0));

      expect(await payments.create(payment)).toEqual(payment);
      expect(await payments.create({ ...payment, state: 'Failed', description: 'other' })).toEqual(payment);
      expect(await payments.get(payment.paymentId)).toEqual(payment);
    });

    it('stores a payment completed in its request with its money once: a retry and a twin get the stored one', async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 5_000);
      const payment = paymentOf('Completed', wallet, { completedAt: at(1) });
      const transfer = settlementOf(payment, wallet);

      const answers = await Promise.all([
        payments.createWith(payment, transfer, completedEventOf(payment)),
        payments.createWith(payment, transfer, completedEventOf(payment)),
      ]);
      const retried = await payments.createWith(
        { ...payment, description: 'other' },
        { ...transfer, id: `${transfer.id}-other` },
        completedEventOf(payment),
      );

      expect(answers).toEqual([payment, payment]);
      expect(retried).toEqual(payment);
      expect(await payments.get(payment.paymentId)).toEqual(payment);
      expect(await ledger.transfer(transfer.id)).toMatchObject({ type: 'post', amount: 1000 });
      expect(await availableOf(ledger, wallet)).toBe(4_000);
    });

    it('stores nothing when the ledger refuses the money of a payment completed in its request', async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 500);
      const payment = paymentOf('Completed', wallet, { completedAt: at(1) });
      const transfer = settlementOf(payment, wallet);

      await expect(payments.createWith(payment, transfer, completedEventOf(payment))).rejects.toBeInstanceOf(
        InsufficientFundsError,
      );

      expect(await payments.get(payment.paymentId)).toBeUndefined();
      expect(await ledger.transfer(transfer.id)).toBeUndefined();
      expect(await availableOf(ledger, wallet)).toBe(500);
    });

    it('moves a payment on from the state it is in, appending to its history', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(paymentOf('Initiated', await fundedWallet(ledger, 0)));

      const moved = await payments.transition(payment.paymentId, {
        from: 'Initiated',
        event: 'validate',
        actor: 'contract',
        at: at(3),
        set: { providerPaymentId: 'pi_1' },
      });

      expect(moved).toEqual({
        ...payment,
        state: 'Validating',
        providerPaymentId: 'pi_1',
        updatedAt: at(3),
        history: [
          ...payment.history,
          { state: 'Validating', event: 'validate', at: at(3), actor: 'contract' },
        ],
      });
      expect(await payments.get(payment.paymentId)).toEqual(moved);
    });

    it('refuses a transition from another state (InvalidStateTransitionError), and of a missing payment (NotFoundError)', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(paymentOf('Validating', await fundedWallet(ledger, 0)));

      await expect(
        payments.transition(payment.paymentId, {
          from: 'Initiated',
          event: 'validate',
          actor: 'c',
          at: at(3),
        }),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);
      await expect(
        payments.transition(unique('pay_'), { from: 'Initiated', event: 'validate', actor: 'c', at: at(3) }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await payments.get(payment.paymentId)).toEqual(payment);
    });

    it('holds the money and moves the state together; a refused repeat moves no money', async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 3000);
      const payment = await payments.create(paymentOf('Authorized', wallet));
      const hold = holdOf(payment, wallet);

      const moved = await payments.transition(payment.paymentId, {
        from: 'Authorized',
        event: 'process',
        actor: 'c',
        at: at(4),
        ledger: hold,
      });
      await expect(
        payments.transition(payment.paymentId, {
          from: 'Authorized',
          event: 'process',
          actor: 'c',
          at: at(5),
          ledger: hold,
        }),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);

      expect(moved.state).toBe('Processing');
      expect(await availableOf(ledger, wallet)).toBe(2000);
    });

    it('moves no money when the transition is refused', async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 3000);
      const payment = await payments.create(paymentOf('Validating', wallet));
      const hold = holdOf(payment, wallet);

      await expect(
        payments.transition(payment.paymentId, {
          from: 'Authorized',
          event: 'process',
          actor: 'c',
          at: at(4),
          ledger: hold,
        }),
      ).rejects.toBeInstanceOf(InvalidStateTransitionError);

      expect(await ledger.transfer(hold.id)).toBeUndefined();
      expect(await availableOf(ledger, wallet)).toBe(3000);
    });

    it('takes the task token with the transition: returned once, removed from the payment', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(
        paymentOf('Processing', await fundedWallet(ledger, 0), { taskToken: 'token-1' }),
      );

      const moved = await payments.transition(payment.paymentId, {
        from: 'Processing',
        event: 'completed',
        actor: 'c',
        at: at(6),
        takeTaskToken: true,
      });

      expect(moved.takenTaskToken).toBe('token-1');
      expect(moved.state).toBe('Completed');
      expect((await payments.get(payment.paymentId))?.taskToken).toBeUndefined();
    });

    it('annotates a payment only in one of the given states', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(paymentOf('Processing', await fundedWallet(ledger, 0)));

      expect(await payments.annotate(payment.paymentId, ['Initiated'], { providerPaymentId: 'pi_no' })).toBe(
        false,
      );
      expect(
        await payments.annotate(payment.paymentId, ['Processing'], { providerPaymentId: 'pi_yes' }),
      ).toBe(true);

      expect((await payments.get(payment.paymentId))?.providerPaymentId).toBe('pi_yes');
    });

    it('reserves a refund once against a completed payment; a repeat returns it, reserving nothing more', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(paymentOf('Completed', await fundedWallet(ledger, 0)));
      const refund = refundOf(payment, 400);

      const first = await payments.reserveRefund(payment, refund);
      const again = await payments.reserveRefund(payment, { ...refund, amount: 500 });

      expect(first).toEqual({ refund, created: true });
      expect(again).toEqual({ refund, created: false });
      expect(await payments.getRefund(refund.refundId)).toEqual(refund);
      expect((await payments.get(payment.paymentId))?.refundedAmount).toBe(400);
    });

    it('refuses refunds beyond what was paid (InvalidAmountError) and of a payment not completed', async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const completed = await payments.create(paymentOf('Completed', wallet, { refundedAmount: 700 }));
      const processing = await payments.create(paymentOf('Processing', wallet));

      await expect(payments.reserveRefund(completed, refundOf(completed, 301))).rejects.toBeInstanceOf(
        InvalidAmountError,
      );
      await expect(payments.reserveRefund(processing, refundOf(processing, 100))).rejects.toBeInstanceOf(
        InvalidStateTransitionError,
      );
      expect((await payments.get(completed.paymentId))?.refundedAmount).toBe(700);
    });

    it('settles a refund once: the full amount refunded moves the payment to Refunded with the money', async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const payment = await payments.create(paymentOf('Completed', wallet));
      const refund = refundOf(payment, 1000);
      await payments.reserveRefund(payment, refund);
      const money: TransferCommand = {
        type: 'post',
        id: `refund-${refund.refundId}`,
        debit: accounts.providerClearing('stripe', 'USD'),
        credit: wallet,
        amount: 1000,
        code: 'refund',
      };
      const settle = {
        refundId: refund.refundId,
        status: 'succeeded',
        at: at(30),
        actor: 'c',
        ledger: money,
      } as const;

      const settled = await payments.settleRefund(settle);
      const again = await payments.settleRefund({ ...settle, at: at(31) });

      expect(settled.refund).toEqual({ ...refund, status: 'succeeded', updatedAt: at(30) });
      expect(settled.payment.state).toBe('Refunded');
      expect(settled.payment.refundSettledAmount).toBe(1000);
      expect(again).toEqual(settled);
      expect(await availableOf(ledger, wallet)).toBe(1000);
    });

    it('gives a failed refund back to what may still be refunded', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(paymentOf('Completed', await fundedWallet(ledger, 0)));
      const refund = refundOf(payment, 600);
      await payments.reserveRefund(payment, refund);

      const { refund: failed, payment: after } = await payments.settleRefund({
        refundId: refund.refundId,
        status: 'failed',
        at: at(30),
        actor: 'c',
      });

      expect(failed.status).toBe('failed');
      expect(after.refundedAmount).toBe(0);
      expect(after.state).toBe('Completed');
    });

    it('notes the provider refund id of a pending refund only', async () => {
      const { payments, ledger } = make();
      const payment = await payments.create(paymentOf('Completed', await fundedWallet(ledger, 0)));
      const refund = refundOf(payment, 100);
      await payments.reserveRefund(payment, refund);

      const noted = await payments.noteProviderRefund(refund.refundId, 're_provider', at(25));

      expect(noted).toEqual({ ...refund, providerRefundId: 're_provider', updatedAt: at(25) });
      await expect(payments.noteProviderRefund(unique('re_'), 're_x', at(26))).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("counts a user's payments created since an instant", async () => {
      const { payments, ledger } = make();
      const wallet = await fundedWallet(ledger, 0);
      const userId = unique('user-');
      await payments.create(paymentOf('Initiated', wallet, { userId, createdAt: at(1) }));
      await payments.create(paymentOf('Initiated', wallet, { userId, createdAt: at(5) }));
      await payments.create(paymentOf('Initiated', wallet, { userId, createdAt: at(9) }));

      expect(await payments.countSince(userId, at(5))).toBe(2);
    });
  });
}
