/**
 * The merchant API's PaymentIntents, handler by handler: functions/merchants/payment-intents.ts invoked as
 * API Gateway would after the API-key authorizer (test/support/merchant-event.ts), on DynamoDB Local (a
 * table of its own) and the local stack's Stripe-compatible server (`pm_card_visa` succeeds,
 * `pm_card_chargeDeclined` declines, `pm_card_authenticationRequired` asks for 3-D Secure).
 */
import { randomUUID } from 'node:crypto';
import { tableDefinition } from '../../shared/infra/table.js';
import { endpoint } from '../support/api.js';
import { createLocalTable } from '../support/ledger.js';
import {
  invokeAs,
  type MerchantCallerContext,
  type MerchantHandler,
  merchantCaller,
  useLocalHandlerEnv,
} from '../support/merchant-event.js';

const TABLE_NAME = `${tableDefinition.localName}-payment-intents-handler`;
// The handler modules read these when their clients are built: set them first.
useLocalHandlerEnv(TABLE_NAME, {
  STRIPE_API_BASE: endpoint('stripe'),
  // Automatic capture starts no execution: these tests never reach the state machine.
  PAYMENT_INTENT_CAPTURE_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:unused',
});
const { handler: imported } = await import('../../functions/merchants/payment-intents.js');
const handler = imported as unknown as MerchantHandler;

interface IntentBody {
  id: string;
  object: string;
  amount: number;
  amount_received: number;
  status: string;
  last_payment_error: { code: string; decline_code: string | null } | null;
  next_action: { type: string } | null;
  livemode: boolean;
  error?: { code: string };
}

function post(caller: MerchantCallerContext, routeKey: string, body: unknown, key: string, id?: string) {
  const rawPath = (routeKey.split(' ')[1] ?? '/').replace('{intentId}', id ?? '');
  return invokeAs<IntentBody>(handler, caller, {
    routeKey,
    rawPath,
    ...(id === undefined ? {} : { params: { intentId: id } }),
    body,
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
  });
}

const create = (caller: MerchantCallerContext, body: unknown, key = randomUUID()) =>
  post(caller, 'POST /v1/payment_intents', body, key);

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('PaymentIntents: POST /v1/payment_intents and its confirm', () => {
  it('charges pm_card_visa with confirm and answers the PaymentIntent, succeeded', async () => {
    const merchant = merchantCaller();
    const created = await create(merchant, {
      amount: 2_000,
      currency: 'USD',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^pi_/),
      object: 'payment_intent',
      amount: 2_000,
      amount_received: 2_000,
      status: 'succeeded',
      livemode: false,
    });
  });

  it('answers a retry with the same key and body from the store, Idempotent-Replayed; another body 422', async () => {
    const merchant = merchantCaller();
    const key = randomUUID();
    const body = { amount: 700, currency: 'USD', payment_method: 'pm_card_visa', confirm: true };
    const first = await create(merchant, body, key);
    const again = await create(merchant, body, key);
    const other = await create(merchant, { ...body, amount: 701 }, key);
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(other.status).toBe(422);
    expect(other.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers a concurrent twin of a create once: one 201 and the same intent, or 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const merchant = merchantCaller();
    const key = randomUUID();
    const body = { amount: 900, currency: 'USD', payment_method: 'pm_card_visa', confirm: true };
    const answers = await Promise.all([create(merchant, body, key), create(merchant, body, key)]);
    const ok = answers.filter((answer) => answer.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((answer) => answer.body.id)).size).toBe(1);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expect([answer.status, answer.body.error?.code]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS']);
    }
  });

  it('declines pm_card_chargeDeclined with 402 and leaves the intent requiring a payment method', async () => {
    const merchant = merchantCaller();
    const created = await create(merchant, {
      amount: 1_000,
      currency: 'USD',
      payment_method: 'pm_card_chargeDeclined',
    });
    const confirmed = await post(
      merchant,
      'POST /v1/payment_intents/{intentId}/confirm',
      {},
      randomUUID(),
      created.body.id,
    );
    const read = await invokeAs<IntentBody>(handler, merchant, {
      routeKey: 'GET /v1/payment_intents/{intentId}',
      rawPath: `/v1/payment_intents/${created.body.id}`,
      params: { intentId: created.body.id },
    });
    expect([confirmed.status, confirmed.body.error?.code]).toEqual([402, 'PAYMENT_DECLINED']);
    expect(read.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });
  });

  it('asks for 3-D Secure with pm_card_authenticationRequired: requires_action with next_action', async () => {
    const merchant = merchantCaller();
    const created = await create(merchant, {
      amount: 1_000,
      currency: 'USD',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(created.body).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'redirect_to_url' },
    });
  });

  it('refuses an invalid amount or currency as the payer side does, and hides intents from other tenants', async () => {
    const merchant = merchantCaller();
    const zero = await create(merchant, { amount: 0, currency: 'USD' });
    const xxx = await create(merchant, { amount: 100, currency: 'XXX' });
    expect([zero.status, zero.body.error?.code]).toEqual([400, 'INVALID_AMOUNT']);
    expect([xxx.status, xxx.body.error?.code]).toEqual([400, 'UNSUPPORTED_CURRENCY']);
    const mine = await create(merchant, { amount: 100, currency: 'USD' });
    for (const other of [merchantCaller(), { ...merchant, mode: 'live' as const }]) {
      const read = await invokeAs<IntentBody>(handler, other, {
        routeKey: 'GET /v1/payment_intents/{intentId}',
        rawPath: `/v1/payment_intents/${mine.body.id}`,
        params: { intentId: mine.body.id },
      });
      expect([read.status, read.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    }
  });
});
