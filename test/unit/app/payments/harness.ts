/**
 * The world the payment use cases are tested in: in-memory fakes of every port, wired once, and the few
 * payments and wallets the tests start from.
 */
import { type LifecycleDeps, processPayment } from '../../../../shared/app/payments/lifecycle.js';
import type { PaymentPolicy } from '../../../../shared/app/payments/policy.js';
import type { RefundDeps } from '../../../../shared/app/payments/refund-payment.js';
import {
  type RequestPaymentCommand,
  type RequestPaymentDeps,
  requestPayment,
} from '../../../../shared/app/payments/request-payment.js';
import type { Wallet } from '../../../../shared/app/ports.js';
import { accounts, available, merchantBalanceOwner } from '../../../../shared/domain/ledger.js';
import { CurrencyPolicy } from '../../../../shared/domain/money.js';
import type { Payment } from '../../../../shared/domain/payment.js';
import { fixedClock } from '../../../support/fakes/clock.js';
import { sequentialIds } from '../../../support/fakes/ids.js';
import { app, merchant, staticMerchantApps } from '../../../support/fakes/merchants.js';
import { StaticMfaEnrolment } from '../../../support/fakes/mfa-enrolment.js';
import { FakePaymentProvider } from '../../../support/fakes/payment-provider.js';
import { InMemoryPayments } from '../../../support/fakes/payments.js';
import { InMemoryProviderCustomers } from '../../../support/fakes/provider-customers.js';
import { StaticRooms } from '../../../support/fakes/rooms.js';
import { InMemoryWallets } from '../../../support/fakes/wallets.js';
import { RecordingWorkflows } from '../../../support/fakes/workflows.js';
import { InMemoryLedger } from '../../../support/in-memory-ledger.js';

/** The payer, enrolled in TOTP. */
export const USER = 'user_alice';
/** A signed-in user who is not the payer. */
export const STRANGER = 'user_mallory';
/** A Matrix room the payer has joined (STRANGER has not). */
export const ROOM = '!shop:tween.example';
/** A live app of an active merchant: what mini-app payments may name. */
export const APP = 'app_shop';
/** The merchant APP pays; the harness charges it no fees, so its pending balance takes each whole amount. */
export const MERCHANT = 'mch_shop';
export const MERCHANT_PENDING_USD = accounts.merchantPending(MERCHANT, 'live', 'USD');
/** A test-mode app of the same merchant, and a live app of a merchant still in review: neither takes payments. */
export const TEST_APP = 'app_shop_test';
export const PENDING_MERCHANT_APP = 'app_pending';
/** A card the provider knows; it succeeds unless a test says otherwise (`harness.provider.card`). */
export const CARD = 'pm_card_visa';
export const NOW = '2026-03-01T12:00:00.000Z';
export const TOKEN = 'task-token-1';
/** MFA above 5000 USD or 10000 JPY, for any EUR amount, and from the fourth payment within an hour. */
export const POLICY: PaymentPolicy = {
  mfaThresholds: new Map([
    ['USD', 5_000],
    ['JPY', 10_000],
  ]),
  mfaVelocityLimit: 3,
  mfaTimeoutSeconds: 300,
  providerTimeoutSeconds: 900,
};

/** A wallet payment of 1000 USD by USER to APP, changed by `overrides`. */
export function paymentCommand(overrides: Partial<RequestPaymentCommand> = {}): RequestPaymentCommand {
  return {
    userId: USER,
    idempotencyKey: 'key-1',
    appId: APP,
    amount: { value: 1_000, currency: 'USD' },
    paymentMethod: { type: 'wallet' },
    description: 'Sticker pack',
    metadata: { orderId: 'order-1' },
    ...overrides,
  };
}

export function setup() {
  const clock = fixedClock(NOW);
  const ids = sequentialIds();
  const ledger = new InMemoryLedger(() => clock.now());
  const wallets = new InMemoryWallets(ids, clock);
  const payments = new InMemoryPayments(ledger);
  const workflows = new RecordingWorkflows();
  const provider = new FakePaymentProvider().card(CARD, 'succeeded');
  const deps: LifecycleDeps & RefundDeps & RequestPaymentDeps = {
    payments,
    wallets,
    ledger,
    provider,
    customers: new InMemoryProviderCustomers(),
    workflows,
    mfa: new StaticMfaEnrolment({ [USER]: ['totp'] }),
    rooms: new StaticRooms({ [ROOM]: [USER] }),
    ...staticMerchantApps(
      [merchant('mch_shop'), merchant('mch_pending', 'in_review')],
      [app(APP, 'mch_shop'), app(TEST_APP, 'mch_shop', 'test'), app(PENDING_MERCHANT_APP, 'mch_pending')],
    ),
    currencies: new CurrencyPolicy(['USD', 'EUR', 'JPY']),
    policy: POLICY,
    ids,
    clock,
    // No fees here (test/unit/app/balance/merchant-charge.test.ts prices them): amounts stay whole.
    merchantLedger: {
      balances: {
        monthlyVolume: async () => 0,
        accounts: (merchantId, mode) => ledger.accountsOf(merchantBalanceOwner(merchantId, mode)),
      },
      fees: { tiers: [{ fromVolume: 0, bps: 0 }], processing: { bps: 0, fixed: 0 } },
      settlementDelaySeconds: 172_800,
      ids,
    },
  };
  /** Requests a payment (see `paymentCommand`) and answers it as the request left it. */
  const request = (overrides: Partial<RequestPaymentCommand> = {}): Promise<Payment> =>
    requestPayment(paymentCommand(overrides), deps);
  /**
   * A wallet payment that took the two-phase way, as one over the MFA threshold does: requested with MFA
   * required (its hold made), the second factor verified, Authorized; the lifecycle would process it next.
   */
  const authorizeHeld = async (overrides: Partial<RequestPaymentCommand> = {}): Promise<Payment> => {
    const mfaForAll = {
      ...POLICY,
      mfaThresholds: new Map([[paymentCommand(overrides).amount.currency as string, 0]]),
    };
    const requested = await requestPayment(paymentCommand(overrides), { ...deps, policy: mfaForAll });
    const at = clock.now().toISOString();
    const steps = [
      { from: 'MFA_Required', event: 'challenge_sent' },
      { from: 'MFA_Challenge', event: 'mfa_verified' },
      { from: 'MFA_Verified', event: 'authorized' },
    ] as const;
    let payment = requested;
    for (const step of steps) {
      payment = await payments.transition(requested.paymentId, { ...step, actor: USER, at });
    }
    return payment;
  };
  /** Requests a payment and runs its lifecycle to the end; answers it as stored. */
  const pay = async (overrides: Partial<RequestPaymentCommand> = {}): Promise<Payment> => {
    const requested = await request(overrides);
    await processPayment(requested.paymentId, deps);
    return stored({ payments }, requested.paymentId);
  };
  return { deps, clock, ledger, wallets, payments, workflows, provider, request, authorizeHeld, pay };
}

export type Harness = ReturnType<typeof setup>;

/** The payment as stored, read without a round trip; throws when there is none. */
export function stored({ payments }: Pick<Harness, 'payments'>, paymentId: string): Payment {
  const payment = payments.peek(paymentId);
  if (payment === undefined) throw new Error(`Payment ${paymentId} is not stored`);
  return payment;
}

/** Gives the user a wallet holding `amount` (a top-up from provider clearing). */
export async function fundedWallet(
  { wallets, ledger }: Harness,
  amount = 10_000,
  currency = 'USD',
  userId = USER,
): Promise<Wallet> {
  const wallet = await wallets.ensure(userId);
  await ledger.execute({
    type: 'post',
    id: `topup:${wallet.walletId}:${currency}:${amount}`,
    debit: accounts.providerClearing('stripe', currency),
    credit: accounts.wallet(wallet.walletId, currency),
    amount,
    code: 'topup',
  });
  return wallet;
}

/** What the wallet can still spend in `currency`. */
export async function availableIn(ledger: InMemoryLedger, wallet: Wallet, currency = 'USD'): Promise<number> {
  const account = await ledger.account(accounts.wallet(wallet.walletId, currency).id);
  return account === undefined ? 0 : available(account);
}

/** The payer's wallet, funded with 10000, and a completed wallet payment of 1000 from it, a minute ago. */
export async function completedWalletPayment(
  harness: Harness,
): Promise<{ wallet: Wallet; payment: Payment }> {
  const wallet = await fundedWallet(harness);
  const payment = await harness.pay();
  harness.clock.advance(60_000);
  return { wallet, payment };
}

/** The error the call fails with; throws when it succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to fail');
}
