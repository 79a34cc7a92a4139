/**
 * The soak's merchants: onboarded to `active` over HTTP as owners and ops do (test/support/onboarding.ts),
 * each with a live API key and a live app that the mix's mini-app payments pay; their balances read with
 * their keys while the mix runs (GET /v1/balance, GET /v1/balance_transactions paged with the cursor); and,
 * once everything has settled, each merchant's balance judged against the payments and refunds the soak
 * saw succeed, with the fees computed here from API.md "Fees" (not from the implementation's feesOf).
 */
import { merchantBalanceOwner } from '../../../shared/domain/ledger.js';
import { apiUrl } from '../../support/api.js';
import { localLedger } from '../../support/ledger.js';
import { onboardingClient } from '../../support/onboarding.js';
import { type Answer, inPool, type StackClient, sleep } from './soak-client.js';
import type { PaymentFact, SoakModel } from './soak-model.js';
import type { PaymentBody } from './soak-run.js';

export interface SoakMerchant {
  index: number;
  merchantId: string;
  /** Its live API key (`sk_live_...`). */
  secret: string;
  /** Its live app, which mini-app payments name. */
  appId: string;
}

interface BalanceBody {
  object: string;
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
}

export interface BalanceTransactionBody {
  id: string;
  object: string;
  type: string;
  amount: number;
  fee: number;
  net: number;
  currency: string;
  status: 'pending' | 'available';
  available_on: number;
  source: string;
}

interface ListBody<T> {
  object: string;
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** API.md "Fees": the first tier (a soak merchant stays below $10,000 a month: soak-plan.ts). */
const PLATFORM_BPS = 820;
/** API.md "Fees": card and PayPal payments add 290 bps + 30; wallet payments have none. */
const PROCESSING = { bps: 290, fixed: 30 };

/** Onboards `count` merchants to active, each with a live key and a live app. */
export async function setUpMerchants(
  client: StackClient,
  runTag: string,
  count: number,
  opsToken: string,
): Promise<SoakMerchant[]> {
  const onboarding = onboardingClient(apiUrl());
  const merchants: SoakMerchant[] = [];
  await inPool(
    Array.from({ length: count }, (_, index) => index),
    count,
    async (index) => {
      const owner = await onboarding.newOwner();
      const inReview = await onboarding.inReview(owner.token);
      const approved = await client.request<{ status: string }>(
        'setup.merchant',
        'POST',
        `/ops/v1/merchants/${inReview.id}/review`,
        { token: opsToken, body: { decision: 'approve' } },
      );
      const key = await client.request<{ secret: string }>(
        'setup.merchant',
        'POST',
        `/merchant/v1/merchants/${inReview.id}/api-keys`,
        { token: owner.token, body: { mode: 'live', name: `soak ${runTag}` } },
      );
      const app = await client.request<{ id: string; livemode: boolean }>(
        'setup.merchant',
        'POST',
        '/v1/apps',
        {
          token: key.body.secret,
          body: { name: `Soak ${runTag} m${index}` },
        },
      );
      if (
        approved.body.status !== 'active' ||
        key.status !== 201 ||
        app.status !== 201 ||
        !app.body.livemode
      ) {
        throw new Error(
          `Setting up merchant ${inReview.id} answered ${approved.status} ${approved.body.status}, ${key.status}, ${app.status}`,
        );
      }
      merchants[index] = { index, merchantId: inReview.id, secret: key.body.secret, appId: app.body.id };
    },
  );
  return merchants;
}

/** Every balance transaction of the merchant, newest first, page by page with the cursor. */
export async function balanceTransactionsOf(
  client: StackClient,
  merchant: SoakMerchant,
  limit: number,
  operation?: string,
): Promise<{ transactions: BalanceTransactionBody[]; pages: number; problems: string[] }> {
  const transactions: BalanceTransactionBody[] = [];
  const problems: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page: Answer<ListBody<BalanceTransactionBody>> = await client.request<
      ListBody<BalanceTransactionBody>
    >(operation, 'GET', `/v1/balance_transactions?${query}`, { token: merchant.secret });
    pages += 1;
    if (page.status !== 200 || page.body.object !== 'list' || page.body.data.length > limit) {
      problems.push(`${merchant.merchantId}: balance_transactions page ${pages} answered ${page.status}`);
      break;
    }
    transactions.push(...page.body.data);
    if (page.body.has_more !== (page.body.next_cursor !== null)) {
      problems.push(
        `${merchant.merchantId}: has_more ${page.body.has_more} with next_cursor ${page.body.next_cursor}`,
      );
    }
    cursor = page.body.has_more ? page.body.next_cursor : null;
  } while (cursor !== null);
  const ids = transactions.map((transaction) => transaction.id);
  if (new Set(ids).size !== ids.length) {
    problems.push(`${merchant.merchantId}: a balance transaction listed twice across ${pages} pages`);
  }
  return { transactions, pages, problems };
}

/** Pending + available per currency, as GET /v1/balance answers it. */
export async function balanceOf(
  client: StackClient,
  merchant: SoakMerchant,
  operation?: string,
): Promise<Map<string, number> | string> {
  const answer = await client.request<BalanceBody>(operation, 'GET', '/v1/balance', {
    token: merchant.secret,
  });
  if (answer.status !== 200 || answer.body.object !== 'balance') {
    return `${merchant.merchantId}: GET /v1/balance answered ${answer.status}`;
  }
  const total = new Map<string, number>();
  for (const entry of [...answer.body.pending, ...answer.body.available]) {
    const currency = entry.currency.toUpperCase();
    total.set(currency, (total.get(currency) ?? 0) + entry.amount);
  }
  return total;
}

/**
 * What the merchants do while the mix runs: each reads its balance and pages through its balance
 * transactions with its own key, round after round, until `done()`; an answer other than 200 or a
 * transaction listed twice in one paging is a problem.
 */
export async function readWhileMixing(
  client: StackClient,
  merchants: readonly SoakMerchant[],
  model: SoakModel,
  done: () => boolean,
): Promise<void> {
  while (!done()) {
    await inPool(merchants, merchants.length, async (merchant) => {
      const balance = await balanceOf(client, merchant, 'merchant.balance');
      if (typeof balance === 'string') model.problem(balance);
      const listed = await balanceTransactionsOf(client, merchant, 50, 'merchant.balance_transactions');
      for (const problem of listed.problems) model.problem(problem);
    });
    // The reads share the stack's cores with the mix: a round every two seconds or so is enough to overlap it.
    await sleep(2_000);
  }
}

/**
 * Settlement runs every SETTLEMENT_PERIOD_SECONDS: waits until no balance transaction that was due when
 * read is still pending (none is due in a CI run: SETTLEMENT_DELAY_SECONDS is two days), or `timeoutMs`.
 */
export async function waitForSettlement(
  client: StackClient,
  merchants: readonly SoakMerchant[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const overdue: string[] = [];
    for (const merchant of merchants) {
      const now = Math.floor(Date.now() / 1000);
      const { transactions } = await balanceTransactionsOf(client, merchant, 100);
      const due = transactions.filter((t) => t.status === 'pending' && t.available_on < now);
      if (due.length > 0) overdue.push(`${merchant.merchantId}: ${due.length} due and still pending`);
    }
    if (overdue.length === 0) return [];
    if (Date.now() > deadline) return overdue.map((line) => `${line} after ${timeoutMs} ms`);
    await sleep(1_000);
  }
}

/** Each merchant's end state: its balance and every balance transaction over HTTP, its ledger accounts. */
export async function readMerchantEnds(
  client: StackClient,
  merchants: readonly SoakMerchant[],
): Promise<MerchantEnd[]> {
  const ledger = localLedger();
  return Promise.all(
    merchants.map(async (merchant) => {
      const balance = await balanceOf(client, merchant);
      // A small page, so a CI run's merchants page through several with the cursor.
      const listed = await balanceTransactionsOf(client, merchant, 20);
      const posted = new Map<string, number>();
      const problems = [...listed.problems];
      for (const account of await ledger.accountsOf(merchantBalanceOwner(merchant.merchantId, 'live'))) {
        const currency = account.currency.toUpperCase();
        posted.set(currency, (posted.get(currency) ?? 0) + account.creditsPosted - account.debitsPosted);
        if (account.debitsPending !== 0 || account.creditsPending !== 0) {
          problems.push(`merchant ${merchant.merchantId} ${currency}: ${account.id} holds pending amounts`);
        }
      }
      return { merchant, balance, transactions: listed.transactions, problems, ledger: posted };
    }),
  );
}

function halfEven(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const twice = 2 * (numerator - quotient * denominator);
  if (twice !== denominator) return twice > denominator ? quotient + 1 : quotient;
  return quotient % 2 === 0 ? quotient : quotient + 1;
}

/** A payment's fees by API.md "Fees", and what its refunds return (the platform fee in proportion). */
export function expectedOf(fact: Pick<PaymentFact, 'amount' | 'method' | 'refunds'>): {
  gross: number;
  fee: number;
  net: number;
} {
  const platform = halfEven(fact.amount * PLATFORM_BPS, 10_000);
  const processing =
    fact.method === 'wallet'
      ? 0
      : Math.min(fact.amount - platform, halfEven(fact.amount * PROCESSING.bps, 10_000) + PROCESSING.fixed);
  const refunded = fact.refunds.reduce((sum, amount) => sum + amount, 0);
  // Returned on each refund as share(refunded after) − share(refunded before): in all, share(refunded).
  const returned = halfEven(platform * refunded, fact.amount);
  const gross = fact.amount - refunded;
  const fee = platform + processing - returned;
  return { gross, fee, net: gross - fee };
}

export interface MerchantEnd {
  merchant: SoakMerchant;
  /** Pending + available per currency (GET /v1/balance), or why it could not be read. */
  balance: Map<string, number> | string;
  transactions: BalanceTransactionBody[];
  problems: string[];
  /** Pending + available posted on the merchant's ledger accounts, per currency. */
  ledger: Map<string, number>;
}

/**
 * Every merchant's end state against the payments and refunds the soak saw succeed: the balance (pending +
 * available per currency) and the sums of its balance transactions equal the expected gross, fees and net;
 * each completed payment is listed once as a charge and once more per refund answered 201, and nothing else.
 */
export function judgeMerchants(
  model: SoakModel,
  payments: ReadonlyMap<string, PaymentBody>,
  ends: readonly MerchantEnd[],
): string[] {
  const problems: string[] = [];
  for (const end of ends) {
    const { merchantId } = end.merchant;
    problems.push(...end.problems);
    const want = new Map<string, { gross: number; fee: number; net: number }>();
    const rows = new Map<string, { charges: number; refunds: number; refunded: number }>();
    for (const fact of model.payments.values()) {
      if (fact.merchant !== end.merchant.index) continue;
      const state = payments.get(fact.paymentId)?.state;
      if (state !== 'Completed' && state !== 'Refunded') continue;
      const expected = expectedOf(fact);
      const sum = want.get('USD') ?? { gross: 0, fee: 0, net: 0 };
      want.set('USD', {
        gross: sum.gross + expected.gross,
        fee: sum.fee + expected.fee,
        net: sum.net + expected.net,
      });
      rows.set(fact.paymentId, { charges: 1, refunds: fact.refunds.length, refunded: -sum0(fact.refunds) });
    }
    const listed = new Map<string, { gross: number; fee: number; net: number }>();
    const seen = new Map<string, { charges: number; refunds: number; refunded: number }>();
    for (const t of end.transactions) {
      const currency = t.currency.toUpperCase();
      const sum = listed.get(currency) ?? { gross: 0, fee: 0, net: 0 };
      listed.set(currency, { gross: sum.gross + t.amount, fee: sum.fee + t.fee, net: sum.net + t.net });
      if (t.amount - t.fee !== t.net) problems.push(`${merchantId}: ${t.id} amount − fee ≠ net`);
      const row = seen.get(t.source) ?? { charges: 0, refunds: 0, refunded: 0 };
      if (t.type === 'charge') row.charges += 1;
      else if (t.type === 'refund') {
        row.refunds += 1;
        row.refunded += t.amount;
      } else problems.push(`${merchantId}: unexpected ${t.type} ${t.id}`);
      seen.set(t.source, row);
    }
    for (const source of new Set([...rows.keys(), ...seen.keys()])) {
      const expected = JSON.stringify(rows.get(source) ?? { charges: 0, refunds: 0, refunded: 0 });
      const got = JSON.stringify(seen.get(source) ?? { charges: 0, refunds: 0, refunded: 0 });
      if (expected !== got) {
        problems.push(`merchant ${merchantId}: payment ${source} listed ${got}, the answers say ${expected}`);
      }
    }
    const balance = end.balance;
    if (typeof balance === 'string') problems.push(balance);
    const currencies = new Set([
      ...want.keys(),
      ...listed.keys(),
      ...end.ledger.keys(),
      ...(typeof balance === 'string' ? [] : balance.keys()),
    ]);
    for (const currency of currencies) {
      const expected = want.get(currency) ?? { gross: 0, fee: 0, net: 0 };
      const sums = listed.get(currency) ?? { gross: 0, fee: 0, net: 0 };
      const differs = (what: string, got: number, wanted: number) => {
        if (got !== wanted) {
          problems.push(
            `merchant ${merchantId} ${currency}: ${what} ${got}, expected ${wanted} (difference ${got - wanted})`,
          );
        }
      };
      if (typeof balance !== 'string')
        differs('GET /v1/balance pending + available', balance.get(currency) ?? 0, expected.net);
      differs('balance transactions gross', sums.gross, expected.gross);
      differs('balance transactions fees', sums.fee, expected.fee);
      differs('balance transactions net', sums.net, expected.net);
      differs('ledger pending + available', end.ledger.get(currency) ?? 0, expected.net);
    }
  }
  return problems;
}

function sum0(amounts: readonly number[]): number {
  return amounts.reduce((sum, amount) => sum + amount, 0);
}
