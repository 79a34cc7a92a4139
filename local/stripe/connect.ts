/**
 * Stripe Connect money movement, as far as payouts use it: a transfer from the platform to a connected
 * account (`POST /v1/transfers`) funds that account's balance; a reversal (`POST /v1/transfers/:id/reversals`)
 * takes part of it back, never more than is left unreversed; a payout on the connected account (`POST
 * /v1/payouts` with `Stripe-Account: acct_…`) takes money out of that balance (more than it holds fails
 * as Stripe's `balance_insufficient`). The platform's own balance is not modelled (it always covers a
 * transfer).
 *
 * A payout starts `in_transit` and ends after `state.connect.payoutDelayMs` (a timer): `paid` with
 * `payout.paid`, or, when the control route armed a failure (`POST /local/stripe/payouts/fail-next`),
 * `failed` with its `failure_code` and `payout.failed`, the money back on the account's balance. Both are
 * Connect events: they carry `account`, as Stripe's do for an account's own objects.
 */
import { invalidParam, invalidRequest, noSuchObject } from './errors.js';
import type { FormParams } from './form.js';
import { newId } from './ids.js';
import { formatAmount } from './money.js';
import { type Metadata, unixNow } from './objects.js';
import {
  optionalEnum,
  optionalMetadata,
  optionalPositiveInteger,
  optionalString,
  rejectUnknownParams,
  requiredPositiveInteger,
  requiredString,
} from './params.js';
import type { ApiContext } from './state.js';

export interface TransferReversalObject {
  id: string;
  object: 'transfer_reversal';
  amount: number;
  currency: string;
  created: number;
  metadata: Metadata;
  transfer: string;
}

export interface TransferObject {
  id: string;
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  currency: string;
  created: number;
  destination: string;
  livemode: false;
  metadata: Metadata;
  reversed: boolean;
  reversals: { object: 'list'; data: TransferReversalObject[]; has_more: false; url: string };
  transfer_group: string | null;
}

export type PayoutStatus = 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';

export interface PayoutObject {
  id: string;
  object: 'payout';
  amount: number;
  arrival_date: number;
  created: number;
  currency: string;
  description: string | null;
  destination: string;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Metadata;
  method: 'standard' | 'instant';
  statement_descriptor: string | null;
  status: PayoutStatus;
  type: 'bank_account';
}

/** What Connect keeps besides the accounts: transfers, payouts, the accounts' balances and the armed failure. */
export class ConnectState {
  readonly transfers = new Map<string, TransferObject>();
  readonly payouts = new Map<string, PayoutObject>();
  /** Per connected account and currency (`acct_….usd`): what transfers brought in, less payouts and reversals. */
  readonly balances = new Map<string, number>();
  /** The failure code the next payout created ends with (the control route), or none. */
  failNext: string | null = null;
  payoutDelayMs = 1_500;
  readonly #timers = new Set<NodeJS.Timeout>();

  /** Runs `task` after `ms`, unless the server closes first. */
  later(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      task();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

const balanceKey = (account: string, currency: string) => `${account}.${currency}`;

function credit(ctx: ApiContext, account: string, currency: string, amount: number): void {
  const key = balanceKey(account, currency);
  ctx.state.connect.balances.set(key, (ctx.state.connect.balances.get(key) ?? 0) + amount);
}

function currencyOf(params: FormParams): string {
  const currency = requiredString(params, 'currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam('Invalid currency', { param: 'currency' });
  return currency;
}

/** `POST /v1/transfers` */
export function createTransfer(ctx: ApiContext, params: FormParams): TransferObject {
  rejectUnknownParams(params, ['amount', 'currency', 'destination', 'transfer_group', 'metadata', 'expand']);
  const amount = requiredPositiveInteger(params, 'amount');
  const currency = currencyOf(params);
  const destination = requiredString(params, 'destination');
  if (!ctx.state.accounts.has(destination)) throw noSuchObject('account', destination, 'destination', 400);
  const id = newId('tr');
  const transfer: TransferObject = {
    id,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    currency,
    created: unixNow(),
    destination,
    livemode: false,
    metadata: optionalMetadata(params) ?? {},
    reversed: false,
    reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
    transfer_group: optionalString(params, 'transfer_group') ?? null,
  };
  ctx.state.connect.transfers.set(id, transfer);
  credit(ctx, destination, currency, amount);
  ctx.events.emit('transfer.created', transfer, ctx.request);
  return structuredClone(transfer);
}

/** `GET /v1/transfers/:id` */
export function retrieveTransfer(ctx: ApiContext, params: FormParams, id: string): TransferObject {
  rejectUnknownParams(params, ['expand']);
  return structuredClone(findTransfer(ctx, id));
}

/** `POST /v1/transfers/:id/reversals`: all that is left unreversed unless `amount` says less. */
export function createTransferReversal(
  ctx: ApiContext,
  params: FormParams,
  id: string,
): TransferReversalObject {
  rejectUnknownParams(params, ['amount', 'metadata', 'description', 'expand']);
  const transfer = findTransfer(ctx, id);
  const left = transfer.amount - transfer.amount_reversed;
  const amount = optionalPositiveInteger(params, 'amount') ?? left;
  if (left <= 0)
    throw invalidRequest(`Transfer ${id} is already fully reversed.`, { code: 'transfer_reversed' });
  if (amount > left) {
    throw invalidRequest(
      `Amount (${formatAmount(amount, transfer.currency)}) is greater than the unreversed amount of the transfer (${formatAmount(left, transfer.currency)})`,
      { param: 'amount' },
    );
  }
  const reversal: TransferReversalObject = {
    id: newId('trr'),
    object: 'transfer_reversal',
    amount,
    currency: transfer.currency,
    created: unixNow(),
    metadata: optionalMetadata(params) ?? {},
    transfer: transfer.id,
  };
  transfer.reversals.data.push(reversal);
  transfer.amount_reversed += amount;
  transfer.reversed = transfer.amount_reversed >= transfer.amount;
  credit(ctx, transfer.destination, transfer.currency, -amount);
  ctx.events.emit('transfer.reversed', transfer, ctx.request);
  return structuredClone(reversal);
}

/** `GET /v1/transfers/:id/reversals` */
export function listTransferReversals(ctx: ApiContext, params: FormParams, id: string) {
  rejectUnknownParams(params, ['expand', 'limit', 'starting_after', 'ending_before']);
  return structuredClone(findTransfer(ctx, id).reversals);
}

/** `POST /v1/payouts` on the connected account named by `Stripe-Account`. */
export function createPayout(ctx: ApiContext, params: FormParams): PayoutObject {
  rejectUnknownParams(params, [
    'amount',
    'currency',
    'method',
    'description',
    'statement_descriptor',
    'metadata',
    'expand',
  ]);
  const account = connectedAccount(ctx);
  const amount = requiredPositiveInteger(params, 'amount');
  const currency = currencyOf(params);
  const method = optionalEnum(params, 'method', ['standard', 'instant'] as const) ?? 'standard';
  const held = ctx.state.connect.balances.get(balanceKey(account, currency)) ?? 0;
  if (amount > held) {
    throw invalidRequest(
      `You have insufficient funds in your Stripe account for this transfer. Your card balance is too low. You can use the /v1/balance endpoint to view your Stripe balance (for more details, see stripe.com/docs/api#balance).`,
      { code: 'balance_insufficient' },
    );
  }
  const created = unixNow();
  const payout: PayoutObject = {
    id: newId('po'),
    object: 'payout',
    amount,
    // Instant payouts arrive within about 30 minutes; standard ones in 1–2 business days.
    arrival_date: method === 'instant' ? created + 30 * 60 : created + 2 * 86_400,
    created,
    currency,
    description: optionalString(params, 'description') ?? null,
    destination: 'ba_local_test_bank_account',
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: optionalMetadata(params) ?? {},
    method,
    statement_descriptor: optionalString(params, 'statement_descriptor') ?? null,
    status: 'in_transit',
    type: 'bank_account',
  };
  ctx.state.connect.payouts.set(payout.id, payout);
  credit(ctx, account, currency, -amount);
  const failureCode = ctx.state.connect.failNext;
  ctx.state.connect.failNext = null;
  ctx.events.emit('payout.created', payout, ctx.request, account);
  const request = { ...ctx.request };
  ctx.state.connect.later(ctx.state.connect.payoutDelayMs, () =>
    endPayout(ctx, account, payout.id, failureCode, request),
  );
  return structuredClone(payout);
}

/** `GET /v1/payouts/:id` on the connected account named by `Stripe-Account`. */
export function retrievePayout(ctx: ApiContext, params: FormParams, id: string): PayoutObject {
  rejectUnknownParams(params, ['expand']);
  connectedAccount(ctx);
  const payout = ctx.state.connect.payouts.get(id);
  if (payout === undefined) throw noSuchObject('payout', id, 'id', 404);
  return structuredClone(payout);
}

/** Arms the next payout created to fail with `failureCode` (the control route). */
export function failNextPayout(ctx: ApiContext, failureCode: string): { failure_code: string } {
  ctx.state.connect.failNext = failureCode;
  return { failure_code: failureCode };
}

function endPayout(
  ctx: ApiContext,
  account: string,
  id: string,
  failureCode: string | null,
  request: ApiContext['request'],
): void {
  const payout = ctx.state.connect.payouts.get(id);
  if (payout === undefined || payout.status !== 'in_transit') return;
  if (failureCode === null) {
    payout.status = 'paid';
    ctx.events.emit('payout.paid', payout, request, account);
    return;
  }
  payout.status = 'failed';
  payout.failure_code = failureCode;
  payout.failure_message = 'The bank account could not be credited (local test failure).';
  credit(ctx, account, payout.currency, payout.amount);
  ctx.events.emit('payout.failed', payout, request, account);
}

function findTransfer(ctx: ApiContext, id: string): TransferObject {
  const transfer = ctx.state.connect.transfers.get(id);
  if (transfer === undefined) throw noSuchObject('transfer', id, 'id', 404);
  return transfer;
}

/** The connected account a request acts on (`Stripe-Account`): payouts exist only there. */
function connectedAccount(ctx: ApiContext): string {
  const account = ctx.stripeAccount;
  if (account === null) {
    throw invalidRequest(
      'Payouts on this server are made on a connected account: send the Stripe-Account header.',
    );
  }
  if (!ctx.state.accounts.has(account)) {
    throw invalidRequest(
      `The provided key does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
      { status: 403, code: 'account_invalid' },
    );
  }
  return account;
}
