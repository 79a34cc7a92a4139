/**
 * A merchant's payouts through the merchant API (API.md "Payouts"): create, read, list. Creating one moves
 * its money out of available in the payout's own transaction (with the daily counter), then starts its
 * waiting flow (lifecycle.ts), which sends it through Stripe Connect and waits for the provider's answer.
 */
import { balanceOf } from '../../domain/balance.js';
import { ConcurrentModificationError, NotFoundError } from '../../domain/errors.js';
import { accounts, InsufficientFundsError } from '../../domain/ledger.js';
import { assertScope, type MerchantCaller, MerchantNotActiveError } from '../../domain/merchant.js';
import type { CurrencyPolicy } from '../../domain/money.js';
import {
  arrivalDateOf,
  PAYOUT_DAILY_LIMIT,
  PAYOUT_MINIMUM,
  type Payout,
  PayoutBelowMinimumError,
  PayoutLimitExceededError,
  type PayoutMethod,
  type PayoutStatus,
  payoutDayOf,
  payoutDebitOf,
  payoutFeeOf,
} from '../../domain/payout.js';
import type { MerchantBalances } from '../balance/ports.js';
import type { CursorCodec } from '../cursor.js';
import type { Merchants } from '../merchants/ports.js';
import type { Clock, Ids } from '../ports.js';
import type { PayoutStore, PayoutWorkflow } from './ports.js';

export interface PayoutDeps {
  payouts: PayoutStore;
  merchants: Pick<Merchants, 'get'>;
  balances: Pick<MerchantBalances, 'accounts'>;
  workflow: PayoutWorkflow;
  currencies: CurrencyPolicy;
  ids: Ids;
  clock: Clock;
  /** How long the flow waits for the provider's answer before asking it (seconds). */
  waitSeconds: number;
}

export interface PayoutRequest {
  amount: number;
  currency: string;
  method: PayoutMethod;
}

/** Rounds against concurrent payouts of the tenant's currency (each moves the daily counter). */
const MAX_ROUNDS = 5;

/**
 * 1. The key needs `payouts:write`; the merchant must be active with a connected account (403).
 * 2. amount ≥ PAYOUT_MINIMUM (400 PAYOUT_BELOW_MINIMUM), a currency the service takes.
 * 3. The payout's id is derived from the tenant and the Idempotency-Key: a retry resumes the same payout.
 * 4. Against the daily counter as read: today's total + amount ≤ the limit (400 PAYOUT_LIMIT_EXCEEDED),
 *    amount ≤ payable = available − reserved (402 INSUFFICIENT_FUNDS); the write requires the counter
 *    unchanged, so two concurrent payouts cannot both spend the same balance or the same room.
 * 5. Record it with its debit (one transaction), start its flow (a duplicate start is harmless).
 */
export async function createPayout(
  caller: MerchantCaller,
  request: PayoutRequest,
  idempotencyKey: string,
  deps: PayoutDeps,
): Promise<Payout> {
  assertScope(caller, 'payouts:write');
  const merchant = await deps.merchants.get(caller.merchantId);
  if (merchant === undefined) throw new NotFoundError('Merchant');
  if (merchant.status !== 'active' || merchant.connectedAccountId === undefined)
    throw new MerchantNotActiveError(merchant.status);
  const { amount, currency } = deps.currencies.money(request.amount, request.currency);
  if (amount < PAYOUT_MINIMUM) throw new PayoutBelowMinimumError();
  const payoutId = deps.ids.derive('po_', caller.merchantId, caller.mode, idempotencyKey);
  const earlier = await deps.payouts.get(caller, payoutId);
  if (earlier !== undefined) return started(earlier, deps);
  const at = deps.clock.now();
  const payout: Payout = {
    payoutId,
    merchantId: caller.merchantId,
    mode: caller.mode,
    amount,
    fee: payoutFeeOf(amount, request.method),
    currency,
    method: request.method,
    status: 'pending',
    arrivalDate: arrivalDateOf(request.method, at),
    destination: merchant.connectedAccountId,
    day: payoutDayOf(at),
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const counter = await deps.payouts.dailyTotal(caller, currency, payout.day);
    if (counter.total + amount > PAYOUT_DAILY_LIMIT) throw new PayoutLimitExceededError();
    const balance = balanceOf(
      await deps.balances.accounts(caller.merchantId, caller.mode),
      caller.mode,
      merchant.reserveBps,
    );
    const available = balance.available.find((entry) => entry.currency === currency)?.amount ?? 0;
    const reserved = balance.reserved.find((entry) => entry.currency === currency)?.amount ?? 0;
    if (amount > available - reserved)
      throw new InsufficientFundsError(
        accounts.merchantAvailable(caller.merchantId, caller.mode, currency).id,
      );
    try {
      const recorded = await deps.payouts.create(
        payout,
        payoutDebitOf(payout, Math.floor(at.getTime() / 1000)),
        counter.version,
      );
      return await started(recorded, deps);
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
    }
  }
  throw new ConcurrentModificationError('Payout');
}

async function started(payout: Payout, deps: Pick<PayoutDeps, 'workflow' | 'waitSeconds'>): Promise<Payout> {
  if (payout.status === 'pending') {
    await deps.workflow.start(payout.payoutId, {
      merchantId: payout.merchantId,
      mode: payout.mode,
      payoutId: payout.payoutId,
      waitSeconds: deps.waitSeconds,
    });
  }
  return payout;
}

/** One of the caller's payouts (`payouts:write`); another merchant's or mode's is NOT_FOUND. */
export async function getPayout(
  caller: MerchantCaller,
  payoutId: string,
  deps: Pick<PayoutDeps, 'payouts'>,
): Promise<Payout> {
  assertScope(caller, 'payouts:write');
  const payout = await deps.payouts.get(caller, payoutId);
  if (payout === undefined) throw new NotFoundError('Payout');
  return payout;
}

/** A page of the caller's payouts, newest first; the cursor is bound to the caller and the filter. */
export async function listPayouts(
  caller: MerchantCaller,
  query: { limit: number; cursor?: string | undefined; status?: PayoutStatus | undefined },
  deps: Pick<PayoutDeps, 'payouts'> & { cursors: CursorCodec },
): Promise<{ payouts: Payout[]; nextCursor: string | null }> {
  assertScope(caller, 'payouts:write');
  const list = `payouts:${caller.merchantId}:${caller.mode}:${query.status ?? 'all'}`;
  const after = query.cursor === undefined ? undefined : deps.cursors.decode(list, query.cursor);
  const page = await deps.payouts.list(caller, {
    limit: query.limit,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(after === undefined ? {} : { after }),
  });
  return {
    payouts: page.items,
    nextCursor: page.after === undefined ? null : deps.cursors.encode(list, page.after),
  };
}
