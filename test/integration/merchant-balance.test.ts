/**
 * The merchant balance routes, handler by handler: functions/merchants/balance.ts invoked as API Gateway
 * would after the API-key authorizer (test/support/merchant-event.ts) or the JWT authorizer (the ops
 * reserve route), on DynamoDB Local (a table of its own). Then the local stack's settlement timer
 * (SETTLEMENT_PERIOD_SECONDS, 5 s there) making a due balance transaction available in its table.
 */
import { randomUUID } from 'node:crypto';
import {
  balanceTransactionPut,
  DynamoDbMerchantBalances,
} from '../../shared/adapters/dynamodb/merchant-balances.js';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import type { BalanceTransaction } from '../../shared/domain/balance.js';
import { accounts } from '../../shared/domain/ledger.js';
import type { Merchant } from '../../shared/domain/merchant.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { httpEvent, lambdaContext } from '../support/events.js';
import {
  createLocalTable,
  localDocumentClient,
  localLedger,
  TABLE_NAME as STACK_TABLE,
} from '../support/ledger.js';
import {
  invokeAs,
  type MerchantCallerContext,
  type MerchantHandler,
  merchantCaller,
  useLocalHandlerEnv,
} from '../support/merchant-event.js';
import { waitFor } from '../support/stack.js';

const TABLE_NAME = `${tableDefinition.localName}-merchant-balance`;
useLocalHandlerEnv(TABLE_NAME);
const { handler: imported } = await import('../../functions/merchants/balance.js');
const handler = imported as unknown as MerchantHandler;
const client = localDocumentClient();

interface ErrorBody {
  error: { code: string };
}
interface TransactionBody {
  id: string;
  type: string;
  status: string;
}
interface ListBody {
  object: string;
  data: TransactionBody[];
  has_more: boolean;
  next_cursor: string | null;
}

const id = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 20)}`;

async function seedMerchant(merchantId: string, tableName = TABLE_NAME): Promise<Merchant> {
  const at = new Date().toISOString();
  return new DynamoDbMerchants(client, tableName).create({
    merchantId,
    owner: '@owner:tween.example',
    name: 'Sticker Shop',
    email: 'shop@tween.example',
    country: 'US',
    businessType: 'company',
    status: 'active',
    reserveBps: 0,
    createdAt: at,
    updatedAt: at,
  });
}

/** A charge's net credited to the merchant's pending balance with its balance transaction, one write. */
async function seedCharge(
  caller: Pick<MerchantCallerContext, 'merchantId' | 'mode'>,
  input: { net: number; created: number; availableOn: number; kind?: BalanceTransaction['kind'] },
  tableName = TABLE_NAME,
): Promise<BalanceTransaction> {
  const transaction: BalanceTransaction = {
    id: id('txn_'),
    merchantId: caller.merchantId,
    mode: caller.mode,
    kind: input.kind ?? 'charge',
    amount: input.net + 10,
    fee: 10,
    net: input.net,
    currency: 'USD',
    status: 'pending',
    availableOn: input.availableOn,
    source: id('pay_'),
    created: input.created,
  };
  await localLedger(client, undefined, tableName).executeWith(
    {
      type: 'post',
      id: `test:${transaction.id}`,
      debit: accounts.providerClearing('stripe', 'USD'),
      credit: accounts.merchantPending(caller.merchantId, caller.mode, 'USD'),
      amount: input.net,
      code: 'payment',
    },
    [balanceTransactionPut(tableName, transaction)],
  );
  return transaction;
}

const get = <T>(caller: MerchantCallerContext | null, routeKey: string, query?: Record<string, string>) =>
  invokeAs<T & ErrorBody>(handler, caller, { routeKey, ...(query === undefined ? {} : { query }) });

async function setReserve(merchantId: string, body: unknown, roles: string[]) {
  const event = httpEvent({
    routeKey: 'POST /ops/v1/merchants/{merchantId}/reserve',
    rawPath: `/ops/v1/merchants/${merchantId}/reserve`,
    params: { merchantId },
    headers: { 'content-type': 'application/json' },
    body,
    claims: { sub: '@ops:tween.example', roles },
  });
  const result = await (
    handler as unknown as (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>
  )(event, lambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> & ErrorBody };
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('GET /v1/balance', () => {
  it('answers the key mode balance in the API.md shape, the pending net of a charge, nothing available yet', async () => {
    // Arrange
    const caller = merchantCaller({ mode: 'live' });
    await seedMerchant(caller.merchantId);
    const now = Math.floor(Date.now() / 1000);
    await seedCharge(caller, { net: 918, created: now, availableOn: now + 3600 });

    // Act
    const answer = await get(caller, 'GET /v1/balance');

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      object: 'balance',
      available: [{ amount: 0, currency: 'USD' }],
      pending: [{ amount: 918, currency: 'USD' }],
      reserved: [{ amount: 0, currency: 'USD' }],
      livemode: true,
    });
  });

  it('keeps test and live apart, and refuses a key without payments:read (403) or no key (401)', async () => {
    // Arrange
    const live = merchantCaller({ mode: 'live' });
    await seedMerchant(live.merchantId);
    const now = Math.floor(Date.now() / 1000);
    await seedCharge(live, { net: 500, created: now, availableOn: now + 3600 });
    const test = { ...live, mode: 'test' as const };

    // Act
    const inTest = await get(test, 'GET /v1/balance');
    const noScope = await get({ ...live, scopes: ['customers:read'] }, 'GET /v1/balance');
    const noKey = await get(null, 'GET /v1/balance');

    // Assert
    expect(inTest.body).toEqual({
      object: 'balance',
      available: [],
      pending: [],
      reserved: [],
      livemode: false,
    });
    expect([noScope.status, noScope.body.error.code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
    expect([noKey.status, noKey.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
  });
});

describe('GET /v1/balance_transactions', () => {
  it('lists them newest first in the API.md shape, pages with a cursor and filters by type', async () => {
    // Arrange
    const caller = merchantCaller({ mode: 'live' });
    await seedMerchant(caller.merchantId);
    const now = Math.floor(Date.now() / 1000);
    const older = await seedCharge(caller, { net: 100, created: now - 20, availableOn: now + 3600 });
    const newer = await seedCharge(caller, { net: 200, created: now - 10, availableOn: now + 3600 });
    const refund = await seedCharge(caller, {
      net: 50,
      created: now - 5,
      availableOn: now + 3600,
      kind: 'adjustment',
    });

    // Act
    const first = await get<ListBody>(caller, 'GET /v1/balance_transactions', { limit: '2' });
    const second = await get<ListBody>(caller, 'GET /v1/balance_transactions', {
      limit: '2',
      cursor: first.body.next_cursor ?? '',
    });
    const charges = await get<ListBody>(caller, 'GET /v1/balance_transactions', { type: 'charge' });
    const otherList = await get<ListBody>(caller, 'GET /v1/balance_transactions', {
      type: 'charge',
      cursor: first.body.next_cursor ?? '',
    });

    // Assert
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    expect(first.body.data.map((t) => t.id)).toEqual([refund.id, newer.id]);
    expect(first.body.data[1]).toEqual({
      id: newer.id,
      object: 'balance_transaction',
      type: 'charge',
      amount: 210,
      fee: 10,
      net: 200,
      currency: 'USD',
      status: 'pending',
      available_on: now + 3600,
      source: newer.source,
      livemode: true,
      created: now - 10,
    });
    expect(second.body.data.map((t) => t.id)).toEqual([older.id]);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(charges.body.data.map((t) => t.id)).toEqual([newer.id, older.id]);
    expect([otherList.status, otherList.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  });

  it('refuses a limit out of 1..100 and an unknown type (400)', async () => {
    const caller = merchantCaller();
    for (const query of [{ limit: '0' }, { limit: '101' }, { type: 'gift' }]) {
      const answer = await get(caller, 'GET /v1/balance_transactions', query);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
  });
});

describe('GET /v1/balance_transactions/{id}', () => {
  it("answers one of the key's balance transactions as the list shows it, and 404 to another merchant or mode", async () => {
    // Arrange
    const caller = merchantCaller({ mode: 'live' });
    await seedMerchant(caller.merchantId);
    const now = Math.floor(Date.now() / 1000);
    const charge = await seedCharge(caller, { net: 300, created: now, availableOn: now + 3600 });
    const other = merchantCaller({ mode: 'live' });
    const byId = (who: MerchantCallerContext, transactionId: string) =>
      invokeAs<TransactionBody & ErrorBody>(handler, who, {
        routeKey: 'GET /v1/balance_transactions/{id}',
        rawPath: `/v1/balance_transactions/${transactionId}`,
        params: { id: transactionId },
      });

    // Act
    const found = await byId(caller, charge.id);
    const listed = await get<ListBody>(caller, 'GET /v1/balance_transactions');
    const otherMerchant = await byId(other, charge.id);
    const otherMode = await byId({ ...caller, mode: 'test' }, charge.id);
    const unknown = await byId(caller, id('txn_'));

    // Assert
    expect(found.status).toBe(200);
    expect(found.body).toEqual(listed.body.data[0]);
    expect(found.body).toMatchObject({
      id: charge.id,
      object: 'balance_transaction',
      net: 300,
      livemode: true,
    });
    for (const answer of [otherMerchant, otherMode, unknown])
      expect([answer.status, answer.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('POST /ops/v1/merchants/{merchantId}/reserve', () => {
  it('lets ops set the reserve, which the balance then holds back of available', async () => {
    // Arrange
    const caller = merchantCaller({ mode: 'live' });
    await seedMerchant(caller.merchantId);
    const now = Math.floor(Date.now() / 1000);
    const due = await seedCharge(caller, { net: 1_000, created: now - 10, availableOn: now - 1 });
    await new DynamoDbMerchantBalances(client, TABLE_NAME, localLedger(client, undefined, TABLE_NAME)).settle(
      due,
    );

    // Act
    const set = await setReserve(caller.merchantId, { reserve_bps: 1_000 }, ['ops']);
    const balance = await get(caller, 'GET /v1/balance');

    // Assert
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: caller.merchantId, object: 'merchant', reserve_bps: 1_000 });
    expect(balance.body).toMatchObject({
      available: [{ amount: 1_000, currency: 'USD' }],
      reserved: [{ amount: 100, currency: 'USD' }],
    });
  });

  it('answers 403 to a caller without the ops role, 404 to an unknown merchant, 400 out of 0..10000', async () => {
    const merchantId = id('mch_');
    await seedMerchant(merchantId);

    const notOps = await setReserve(merchantId, { reserve_bps: 10 }, []);
    const unknown = await setReserve(id('mch_'), { reserve_bps: 10 }, ['ops']);
    const tooHigh = await setReserve(merchantId, { reserve_bps: 10_001 }, ['ops']);
    const fraction = await setReserve(merchantId, { reserve_bps: 1.5 }, ['ops']);

    expect([notOps.status, notOps.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect([tooHigh.status, tooHigh.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect([fraction.status, fraction.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  });
});

describe('the local stack settlement job', () => {
  it('makes a due pending balance transaction available on its own timer, moving the net once', async () => {
    // Arrange: a charge due a second ago, written straight into the stack's table.
    const caller = merchantCaller({ mode: 'live' });
    const now = Math.floor(Date.now() / 1000);
    const due = await seedCharge(caller, { net: 700, created: now - 60, availableOn: now - 1 }, STACK_TABLE);
    const balances = new DynamoDbMerchantBalances(
      client,
      STACK_TABLE,
      localLedger(client, undefined, STACK_TABLE),
    );

    // Act: wait for the timer (every 5 s locally).
    const settled = await waitFor(
      async () => {
        const page = await balances.transactions({ merchantId: caller.merchantId, mode: 'live', limit: 10 });
        const found = page.transactions.find((t) => t.id === due.id);
        return found?.status === 'available' ? found : undefined;
      },
      'the settlement job to settle the due balance transaction',
      30_000,
    );

    // Assert
    expect(settled.status).toBe('available');
    const byKind = Object.fromEntries(
      (await balances.accounts(caller.merchantId, 'live')).map((a) => [
        a.kind,
        a.creditsPosted - a.debitsPosted,
      ]),
    );
    expect(byKind).toEqual({ merchant_available: 700, merchant_pending: 0 });
  }, 40_000);
});
