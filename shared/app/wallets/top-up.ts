import { InvalidStateTransitionError, NotFoundError } from '../../domain/errors.js';
import { type AccountRef, accounts } from '../../domain/ledger.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import { ExpiredCardError, PaymentDeclinedError } from '../../domain/provider-errors.js';
import { ownedCard } from '../customers.js';
import type { PaymentProvider, ProviderCustomers, ProviderPayment } from '../payments/ports.js';
import type { Clock, Ids, Ledger, WalletDirectory } from '../ports.js';
import {
  type AppliedOutcome,
  outcomeOf,
  type ProviderOutcome,
  ProviderOutcomeConflictError,
} from '../provider-outcome.js';
import type { SavedCards, Topup, TopupRepository, TopupStatus } from './ports.js';

export interface TopUpDeps {
  wallets: WalletDirectory;
  ledger: Ledger;
  provider: PaymentProvider;
  customers: ProviderCustomers;
  topups: TopupRepository;
  savedCards: SavedCards;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
}

export interface TopUpCommand {
  userId: string;
  /** The request's Idempotency-Key: a retry of the same request resumes the same top-up. */
  idempotencyKey: string;
  amount: unknown;
  currency: unknown;
  paymentMethodId: string;
}

/**
 * 1. Accept the amount in an enabled currency. A retry of a finished top-up answers as the first time did.
 *    Find or create the caller's wallet.
 * 2. Check the card is the caller's: attached to their own customer at the provider, or attached to it now
 *    if nobody owns it (ownedCard). An unknown card, or another user's, is the caller's 400, before anything
 *    is stored or charged.
 * 3. Record the top-up, under an id derived from caller and Idempotency-Key, so a retry finds it.
 * 4. Charge the card for the caller's customer with the top-up id as the provider's idempotency key (never
 *    charged twice).
 * 5. Succeeded: credit the wallet from provider clearing in one ledger transfer, and remember the card.
 *    Requires action / processing: leave it waiting; the provider's webhook completes it.
 *    Declined: record why and answer the decline. Nothing moved in the ledger.
 */
export async function topUpWallet(command: TopUpCommand, deps: TopUpDeps): Promise<Topup> {
  const money = deps.currencies.money(command.amount, command.currency);
  const topupId = deps.ids.derive('tu_', command.userId, command.idempotencyKey);
  const earlier = await deps.topups.get(topupId);
  // A retry of a finished top-up answers what it answered, without asking the provider anything.
  if (earlier?.status === 'failed') throw declineOf(earlier);
  if (earlier !== undefined && earlier.status !== 'pending') return earlier;

  const wallet = await deps.wallets.ensure(command.userId);
  const { card, customerId } = await ownedCard(command.userId, command.paymentMethodId, topupId, deps);
  const now = deps.clock.now().toISOString();
  const topup = await deps.topups.create({
    topupId,
    userId: command.userId,
    walletId: wallet.walletId,
    amount: money.amount,
    currency: money.currency,
    // The card as attached to the caller's customer (a test token's own new card): the one to charge.
    paymentMethodId: card.id,
    provider: deps.provider.providerFor(command.paymentMethodId),
    ...(customerId === undefined ? {} : { customerId }),
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  });
  if (topup.status === 'failed') throw declineOf(topup);
  if (topup.status !== 'pending') return topup;

  let payment: ProviderPayment;
  try {
    payment = await deps.provider.createPayment(topupCharge(topup));
  } catch (error) {
    if (error instanceof PaymentDeclinedError || error instanceof ExpiredCardError) {
      await failTopup(
        topup.topupId,
        error instanceof PaymentDeclinedError ? error.declineCode : 'expired_card',
        error.providerPaymentId,
        deps,
      );
    }
    throw error;
  }

  if (payment.status === 'succeeded') {
    const completed = await completeTopup(topup, payment, deps);
    // The user's own card: whose customer it belongs to is no part of what is listed.
    const { customerId: _owner, ...details } = card;
    await deps.savedCards.save(command.userId, details, completed.updatedAt);
    return completed;
  }
  // The provider's webhook may have got here first: the same forward-only rule answers both.
  return (await applyTopupOutcome(topup.topupId, payment, deps)).topup;
}

/**
 * What the provider is asked to charge for a top-up, the same every time it is asked (the request, its retry,
 * the reconciliation job), so that the provider answers a repeat with the first payment under the same key.
 */
export function topupCharge(topup: Topup): Parameters<PaymentProvider['createPayment']>[0] {
  return {
    idempotencyKey: topup.topupId,
    amount: topup.amount,
    currency: topup.currency,
    paymentMethodId: topup.paymentMethodId,
    ...(topup.customerId === undefined ? {} : { customerId: topup.customerId }),
    description: 'Tween wallet top-up',
    metadata: { topupId: topup.topupId, walletId: topup.walletId },
    capture: 'automatic',
  };
}

const IN_FLIGHT: readonly TopupStatus[] = ['pending', 'requires_action', 'processing'];
/** How far on each status is: a status only ever moves to a later one. */
const PROGRESS: Readonly<Record<TopupStatus, number>> = {
  pending: 0,
  requires_action: 1,
  processing: 2,
  succeeded: 3,
  failed: 3,
};
/** A concurrent writer (the request and the webhook) may move the top-up between our read and our write. */
const MAX_ATTEMPTS = 3;

/**
 * Applies what the provider says of the top-up's payment, through the same rules whoever asks (the request,
 * the provider's webhook):
 * 1. Succeeded: the wallet is credited exactly once (completeTopup).
 * 2. Failed: the top-up fails with the provider's reason, unless it already ended.
 * 3. Requires action / processing: the status moves forward only; a stale one never overwrites a newer one.
 * A final word that contradicts ours (succeeded after we failed it, or the reverse) is a conflict for ops.
 */
export async function applyTopupOutcome(
  topupId: string,
  payment: ProviderPayment,
  deps: Pick<TopUpDeps, 'ledger' | 'topups' | 'clock'>,
): Promise<{ topup: Topup; applied: AppliedOutcome }> {
  const outcome = outcomeOf(payment);
  for (let attempt = 1; ; attempt += 1) {
    const topup = await deps.topups.get(topupId);
    if (topup === undefined) throw new NotFoundError('Top-up');
    try {
      return await applyOnce(topup, payment, outcome, deps);
    } catch (error) {
      // Moved by someone else meanwhile: read it again and decide afresh.
      if (!(error instanceof InvalidStateTransitionError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function applyOnce(
  topup: Topup,
  payment: ProviderPayment,
  outcome: ProviderOutcome,
  deps: Pick<TopUpDeps, 'ledger' | 'topups' | 'clock'>,
): Promise<{ topup: Topup; applied: AppliedOutcome }> {
  const unchanged = { topup, applied: 'unchanged' as const };
  const now = deps.clock.now().toISOString();
  switch (outcome.kind) {
    case 'succeeded':
      if (topup.status === 'succeeded') return unchanged;
      if (topup.status === 'failed') throw new ProviderOutcomeConflictError('failed', 'succeeded');
      return { topup: await completeTopup(topup, payment, deps), applied: 'completed' };
    case 'failed':
      if (topup.status === 'failed') return unchanged;
      if (topup.status === 'succeeded') throw new ProviderOutcomeConflictError('succeeded', 'failed');
      return {
        topup: await deps.topups.transition(
          topup.topupId,
          IN_FLIGHT,
          { status: 'failed', failureCode: outcome.failureCode, providerPaymentId: payment.id },
          now,
        ),
        applied: 'failed',
      };
    case 'requires_action':
    case 'processing': {
      if (PROGRESS[outcome.kind] <= PROGRESS[topup.status]) return unchanged;
      const earlier = IN_FLIGHT.filter((status) => PROGRESS[status] < PROGRESS[outcome.kind]);
      return {
        topup: await deps.topups.transition(
          topup.topupId,
          earlier,
          {
            status: outcome.kind,
            providerPaymentId: payment.id,
            ...(payment.nextActionUrl === undefined ? {} : { nextActionUrl: payment.nextActionUrl }),
          },
          now,
        ),
        applied: 'advanced',
      };
    }
  }
}

/** A declined or expired card ends the top-up; if the provider's webhook ended it first, so be it. */
async function failTopup(
  topupId: string,
  failureCode: string,
  providerPaymentId: string | undefined,
  deps: Pick<TopUpDeps, 'topups' | 'clock'>,
): Promise<void> {
  try {
    await deps.topups.transition(
      topupId,
      IN_FLIGHT,
      { status: 'failed', failureCode, ...(providerPaymentId === undefined ? {} : { providerPaymentId }) },
      deps.clock.now().toISOString(),
    );
  } catch (error) {
    const current = await deps.topups.get(topupId);
    if (!(error instanceof InvalidStateTransitionError) || current?.status !== 'failed') throw error;
  }
}

/**
 * Credits the wallet for a top-up the provider captured, exactly once: the credit and the move to succeeded
 * are one conditional transaction. The request and the webhook may both call it, in any order or at once.
 * Refuses a failed top-up, and a provider payment that did not succeed for exactly the top-up's amount.
 */
export async function completeTopup(
  topup: Topup,
  payment: ProviderPayment,
  deps: Pick<TopUpDeps, 'ledger' | 'topups' | 'clock'>,
): Promise<Topup> {
  const current = await deps.topups.get(topup.topupId);
  if (current?.status === 'succeeded') return current;
  if (current === undefined || current.status === 'failed') {
    throw new InvalidStateTransitionError(current?.status ?? 'missing', 'succeed');
  }
  if (
    payment.status !== 'succeeded' ||
    payment.amountReceived !== topup.amount ||
    payment.currency !== topup.currency
  ) {
    throw new InvalidStateTransitionError(`provider ${payment.status}`, 'credit the wallet');
  }
  const currency = topup.currency;
  const clearing: AccountRef = accounts.providerClearing(topup.provider, currency);
  const now = deps.clock.now().toISOString();
  try {
    // Succeeded and credited in one transaction: the top-up never reads succeeded before the wallet has it.
    return await deps.topups.transition(
      topup.topupId,
      ['pending', 'requires_action', 'processing'],
      { status: 'succeeded', providerPaymentId: payment.id, completedAt: now },
      now,
      {
        type: 'post',
        id: `topup:${topup.topupId}`,
        debit: clearing,
        credit: accounts.wallet(topup.walletId, currency),
        amount: topup.amount,
        code: 'topup',
        metadata: { topupId: topup.topupId, providerPaymentId: payment.id },
      },
    );
  } catch (error) {
    // The other completer (the request or the webhook) got there first: the top-up succeeded once.
    const after = await deps.topups.get(topup.topupId);
    if (error instanceof InvalidStateTransitionError && after?.status === 'succeeded') return after;
    throw error;
  }
}

function declineOf(topup: Topup): Error {
  return topup.failureCode === 'expired_card'
    ? new ExpiredCardError()
    : new PaymentDeclinedError(topup.failureCode ?? 'generic_decline');
}
