/**
 * Invoices (`/v1/invoices`) on the local stack, over HTTP as a merchant's server calls them: a draft from
 * prices and ad hoc lines, finalized (numbered without gaps, even under concurrent finalizations), paid
 * through a PaymentIntent (its balance transaction and ledger with it), declined (open, last_payment_error,
 * 402), paid after 3-D Secure (a retried pay completes the same charge, once), voided and marked uncollectible;
 * a paid invoice is charged once whatever is retried; the `invoice.*` events reach a webhook endpoint.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { call } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';
import { newShop, type Shop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;
interface InvoiceBody {
  id: string;
  object: string;
  number: string | null;
  status: string;
  customer: string;
  total: number;
  subtotal: number;
  tax: number;
  amount_due: number;
  amount_paid: number;
  currency: string;
  due_date: number | null;
  overdue: boolean;
  payment_intent: string | null;
  attempt_count: number;
  invoice_pdf: string | null;
  last_payment_error: { code: string; decline_code: string | null } | null;
  lines: { object: string; data: Json[] };
  error?: { code: string };
}

let shop: Shop;
let receiver: WebhookReceiver;
let oneTime: string;

beforeAll(async () => {
  [shop, receiver] = await Promise.all([newShop(), WebhookReceiver.start()]);
  const endpoint = await post('/v1/webhook_endpoints', {
    url: receiver.url,
    enabled_events: ['*'],
  });
  expect(endpoint.status).toBe(201);
  receiver.useSecret(String(endpoint.body.secret));
  const product = await post('/v1/products', { name: 'Consulting' });
  oneTime = String(
    (await post('/v1/prices', { product: product.body.id, unit_amount: 2_500, currency: 'USD' })).body.id,
  );
});

afterAll(async () => {
  await receiver.close();
  expect(await ledgerProblems()).toEqual([]);
});

function post<T = Json>(path: string, body: unknown = {}, key: string | null = randomUUID()) {
  return call<T>('POST', path, withKey(shop.test, body, key));
}
const get = <T = Json>(path: string) => call<T>('GET', path, withKey(shop.test, undefined, null));

async function customerWith(card: string): Promise<string> {
  const customer = await post('/v1/customers', { email: `inv-${randomUUID().slice(0, 8)}@shop.example` });
  const id = String(customer.body.id);
  const attached = await post(`/v1/customers/${id}/payment_methods`, { payment_method: card });
  expect(attached.status).toBe(200);
  expect((await post(`/v1/customers/${id}`, { default_payment_method: attached.body.id })).status).toBe(200);
  return id;
}

async function openInvoice(customer: string, quantity = 2): Promise<InvoiceBody> {
  const draft = await post<InvoiceBody>('/v1/invoices', {
    customer,
    items: [
      { price: oneTime, quantity },
      { amount: 500, description: 'Travel' },
    ],
  });
  expect(draft.status).toBe(201);
  const open = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}/finalize`);
  expect(open.status).toBe(200);
  return open.body;
}

test('draft → finalize → pay → paid, with its PaymentIntent, balance transaction and events', async () => {
  const customer = await customerWith('pm_card_visa');
  const draft = await post<InvoiceBody>('/v1/invoices', {
    customer,
    items: [
      { price: oneTime, quantity: 2 },
      { amount: 500, description: 'Travel' },
    ],
    due_days: 14,
  });
  expect(draft.status).toBe(201);
  expect(draft.body).toMatchObject({
    object: 'invoice',
    status: 'draft',
    number: null,
    customer,
    subtotal: 5_500,
    tax: 0,
    total: 5_500,
    amount_due: 5_500,
    amount_paid: 0,
    currency: 'USD',
    due_date: null,
    overdue: false,
    invoice_pdf: null,
    livemode: false,
    lines: { object: 'list' },
  });
  expect(draft.body.lines.data).toMatchObject([
    { price: oneTime, quantity: 2, unit_amount: 2_500, amount: 5_000 },
    { price: null, description: 'Travel', quantity: 1, amount: 500 },
  ]);
  const early = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}/pay`);
  expect([early.status, early.body.error?.code]).toEqual([409, 'INVALID_STATE_TRANSITION']);

  const open = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}/finalize`);
  expect(open.body).toMatchObject({ status: 'open', overdue: false });
  expect(open.body.number).toMatch(/^[A-Z0-9]+-0001$/);
  expect(open.body.invoice_pdf).toMatch(new RegExp(`^https?://.+/v1/invoices/${draft.body.id}/pdf$`));
  expect(open.body.due_date).toBeGreaterThan(Date.now() / 1000 + 13 * 86_400);

  const paid = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}/pay`);
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ status: 'paid', amount_paid: 5_500, amount_due: 0, attempt_count: 1 });
  const intent = await get<Json>(`/v1/payment_intents/${paid.body.payment_intent}`);
  expect(intent.body).toMatchObject({
    status: 'succeeded',
    amount: 5_500,
    customer,
    metadata: { invoice: draft.body.id },
  });
  const transactions = await get<{ data: Json[] }>('/v1/balance_transactions?limit=100');
  expect(transactions.body.data).toContainEqual(
    expect.objectContaining({ type: 'charge', amount: 5_500, source: paid.body.payment_intent }),
  );

  const again = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}/pay`);
  expect([again.status, again.body.error?.code]).toEqual([409, 'INVALID_STATE_TRANSITION']);
  const types = await waitFor(async () => {
    const seen = receiver
      .acknowledged()
      .filter((delivery) => delivery.objectId === draft.body.id)
      .map((delivery) => delivery.type);
    // All three, in whatever order they were sequenced: finalize and pay made back to back can reach the
    // webhook producer either way round (README, Outbound webhooks: a known limit).
    const all = ['invoice.created', 'invoice.finalized', 'invoice.paid'].every((type) => seen.includes(type));
    return all ? seen : undefined;
  }, 'invoice events at the endpoint');
  expect(types).toEqual(expect.arrayContaining(['invoice.created', 'invoice.finalized', 'invoice.paid']));
  const paidEvent = receiver
    .acknowledged()
    .find((d) => d.type === 'invoice.paid' && d.objectId === draft.body.id);
  expect(((paidEvent?.body.data ?? {}) as Json).object).toMatchObject({
    object: 'invoice',
    id: draft.body.id,
    status: 'paid',
  });
});

test('a declined card leaves the invoice open with its error (402), and another card pays it', async () => {
  const customer = await customerWith('pm_card_chargeDeclined');
  const open = await openInvoice(customer);
  const declined = await post<InvoiceBody>(`/v1/invoices/${open.id}/pay`);
  expect([declined.status, declined.body.error?.code]).toEqual([402, 'PAYMENT_DECLINED']);
  const read = await get<InvoiceBody>(`/v1/invoices/${open.id}`);
  expect(read.body).toMatchObject({
    status: 'open',
    attempt_count: 1,
    amount_paid: 0,
    last_payment_error: { code: 'card_declined' },
  });
  const failed = await waitFor(
    async () =>
      receiver.acknowledged().find((d) => d.type === 'invoice.payment_failed' && d.objectId === open.id),
    'invoice.payment_failed',
  );
  expect(failed).toBeDefined();
  const paid = await post<InvoiceBody>(`/v1/invoices/${open.id}/pay`, { payment_method: 'pm_card_visa' });
  expect(paid.body).toMatchObject({ status: 'paid', attempt_count: 2, last_payment_error: null });
});

test('3-D Secure: the invoice stays open, then a retried pay completes the same charge, once', async () => {
  const customer = await customerWith('pm_card_authenticationRequired');
  const open = await openInvoice(customer, 1);
  const waiting = await post<InvoiceBody>(`/v1/invoices/${open.id}/pay`);
  expect(waiting.status).toBe(200);
  expect(waiting.body).toMatchObject({ status: 'open', attempt_count: 1 });
  const intent = await get<{ next_action: { redirect_to_url: { url: string } } | null }>(
    `/v1/payment_intents/${waiting.body.payment_intent}`,
  );
  const url = intent.body.next_action?.redirect_to_url.url ?? '';
  const authenticated = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'succeed' }),
  });
  expect(authenticated.status).toBeLessThan(400);
  // Merchant PaymentIntents learn of 3-D Secure on their next confirmation: a retried pay resumes the same
  // intent (no new charge), and its success makes the invoice paid in the same transaction.
  const paid = await post<InvoiceBody>(`/v1/invoices/${open.id}/pay`);
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({
    status: 'paid',
    amount_paid: 3_000,
    attempt_count: 1,
    payment_intent: waiting.body.payment_intent,
  });
  const retried = await post<InvoiceBody>(`/v1/invoices/${open.id}/pay`);
  expect(retried.status).toBe(409);
  const charges = (await get<{ data: Json[] }>('/v1/balance_transactions?limit=100')).body.data.filter(
    (t) => t.source === waiting.body.payment_intent,
  );
  expect(charges).toHaveLength(1);
});

test('concurrent finalizations number 10 invoices 1..10 exactly', async () => {
  const own = await newShop();
  const as = (path: string, body: unknown = {}) => call<InvoiceBody>('POST', path, withKey(own.test, body));
  const customer = String((await as('/v1/customers', { name: 'Numbers' })).body.id);
  const drafts = await Promise.all(
    Array.from({ length: 10 }, () =>
      as('/v1/invoices', { customer, currency: 'USD', items: [{ amount: 100, description: 'x' }] }),
    ),
  );
  const finalized = await Promise.all(drafts.map((d) => as(`/v1/invoices/${d.body.id}/finalize`)));
  expect(finalized.map((f) => f.status)).toEqual(Array(10).fill(200));
  const numbers = finalized.map((f) => Number(String(f.body.number).split('-').at(-1))).sort((a, b) => a - b);
  expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const edit = await as(`/v1/invoices/${drafts[0]?.body.id}/finalize`);
  expect(edit.body.number).toBe(finalized[0]?.body.number);
});

test('concurrent pays with different keys charge once', async () => {
  const customer = await customerWith('pm_card_visa');
  const open = await openInvoice(customer);
  const answers = await Promise.all(
    Array.from({ length: 4 }, () => post<InvoiceBody>(`/v1/invoices/${open.id}/pay`)),
  );
  expect(answers.filter((a) => a.status === 200 && a.body.status === 'paid').length).toBeGreaterThanOrEqual(
    1,
  );
  for (const answer of answers) expect([200, 409]).toContain(answer.status);
  const read = await get<InvoiceBody>(`/v1/invoices/${open.id}`);
  expect(read.body).toMatchObject({ status: 'paid', amount_paid: 5_500 });
  const intents = await get<{ data: Json[] }>(`/v1/payment_intents?customer=${customer}&limit=100`);
  expect(intents.body.data.filter((i) => i.status === 'succeeded')).toHaveLength(1);
});

test('void and mark_uncollectible, lists by customer and status, bad input', async () => {
  const customer = await customerWith('pm_card_visa');
  const a = await openInvoice(customer);
  const b = await openInvoice(customer);
  const voided = await post<InvoiceBody>(`/v1/invoices/${a.id}/void`);
  expect(voided.body.status).toBe('void');
  expect((await post<InvoiceBody>(`/v1/invoices/${a.id}/pay`)).status).toBe(409);
  const uncollectible = await post<InvoiceBody>(`/v1/invoices/${b.id}/mark_uncollectible`);
  expect(uncollectible.body.status).toBe('uncollectible');
  const listed = await get<{ data: InvoiceBody[] }>(`/v1/invoices?customer=${customer}&status=void`);
  expect(listed.body.data.map((i) => i.id)).toEqual([a.id]);
  expect((await post<InvoiceBody>(`/v1/invoices/${a.id}/finalize`)).status).toBe(409);

  const other = await newShop();
  expect((await call('GET', `/v1/invoices/${a.id}`, withKey(other.test, undefined, null))).status).toBe(404);
  const bad = async (body: Json) => (await post<InvoiceBody>('/v1/invoices', body)).body.error?.code;
  expect(await bad({ customer: 'cus_nobody', items: [{ price: oneTime }] })).toBe('VALIDATION_ERROR');
  expect(await bad({ customer, items: [{ amount: 1.5, description: 'x' }], currency: 'USD' })).toBe(
    'INVALID_AMOUNT',
  );
  expect(await bad({ customer, items: [{ amount: 100, description: 'x' }] })).toBe('VALIDATION_ERROR');
  const product = await post('/v1/products', { name: 'Euro' });
  const euro = await post('/v1/prices', { product: product.body.id, unit_amount: 100, currency: 'EUR' });
  expect(await bad({ customer, items: [{ price: oneTime }, { price: euro.body.id }] })).toBe(
    'VALIDATION_ERROR',
  );
  const noKey = await call<InvoiceBody>('POST', `/v1/invoices/${b.id}/pay`, withKey(shop.test, {}, null));
  expect(noKey.body.error?.code).toBe('IDEMPOTENCY_KEY_MISSING');
});

test('a draft is edited (new lines and totals); once finalized an edit is 409 and changes nothing', async () => {
  const customer = await customerWith('pm_card_visa');
  const draft = await post<InvoiceBody>('/v1/invoices', { customer, items: [{ price: oneTime }] });
  expect(draft.body.total).toBe(2_500);
  const edited = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}`, {
    items: [
      { price: oneTime, quantity: 3 },
      { amount: 750, description: 'Setup' },
    ],
    due_days: 7,
  });
  expect(edited.status).toBe(200);
  expect(edited.body).toMatchObject({ status: 'draft', subtotal: 8_250, total: 8_250, amount_due: 8_250 });
  expect(edited.body.lines.data).toMatchObject([
    { price: oneTime, quantity: 3, amount: 7_500 },
    { price: null, description: 'Setup', amount: 750 },
  ]);
  const open = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}/finalize`);
  expect(open.body.due_date).toBeLessThan(Date.now() / 1000 + 8 * 86_400);

  const late = await post<InvoiceBody>(`/v1/invoices/${draft.body.id}`, {
    items: [{ amount: 1, description: 'Cheaper' }],
  });
  expect([late.status, late.body.error?.code]).toEqual([409, 'INVALID_STATE_TRANSITION']);
  expect((await get<InvoiceBody>(`/v1/invoices/${draft.body.id}`)).body).toEqual(open.body);

  const other = await newShop();
  const foreign = await call<InvoiceBody>(
    'POST',
    `/v1/invoices/${draft.body.id}`,
    withKey(other.test, { due_days: 1 }, randomUUID()),
  );
  expect([foreign.status, foreign.body.error?.code]).toEqual([404, 'NOT_FOUND']);
});
