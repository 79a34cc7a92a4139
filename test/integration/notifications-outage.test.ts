/**
 * A mail outage never loses a notification, over HTTP: while SES is down (/local/ses/outage) a receipt is
 * recorded `failed` with its attempts and error, visible at GET /v1/notifications?status=failed; once SES
 * is back the queue's redelivery sends it, once. The outage would disturb other files, so this one runs a
 * stack of its own (in memory, free ports).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEMO_TEST_KEY } from '../../local/seed.js';
import { type StackInfo, spawnStack } from '../support/global-setup.js';
import { waitFor } from '../support/stack.js';

type Json = Record<string, unknown>;

let child: ChildProcess | undefined;
let stack: StackInfo;

beforeAll(async () => {
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  ({ child, info: stack } = await spawnStack(rootDir));
}, 120_000);

afterAll(async () => {
  if (child === undefined || child.exitCode !== null) return;
  const running = child;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
  running.kill('SIGTERM');
  const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}, 30_000);

async function call<T = Json>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const answer = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${DEMO_TEST_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: answer.status, body: (await answer.json()) as T };
}

async function receiptsTo(email: string, status: string): Promise<Json | undefined> {
  const page = await call<{ data: Json[] }>(
    'GET',
    `/v1/notifications?status=${status}&channel=email&limit=100`,
  );
  return page.body.data.find((notification) => notification.to === email);
}

describe('Notifications: a mail outage', () => {
  it('leaves the receipt failed and visible while SES is down, then sends it once when it is back', async () => {
    // Arrange
    const email = `outage-${randomUUID().slice(0, 8)}@notify.example`;
    const customer = await call<{ id: string }>('POST', '/v1/customers', { email });
    expect(customer.status).toBe(201);
    expect((await call('PUT', '/local/ses/outage', { mode: 'unreachable' })).status).toBe(200);

    // Act: a payment succeeds during the outage
    const intent = await call<{ status: string }>('POST', '/v1/payment_intents', {
      amount: 5_000,
      currency: 'USD',
      customer: customer.body.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const failed = await waitFor(() => receiptsTo(email, 'failed'), 'the receipt recorded failed');
    const retried = await waitFor(async () => {
      const again = await receiptsTo(email, 'failed');
      return Number(again?.attempts) >= 2 ? again : undefined;
    }, 'a second attempt during the outage');
    const read = await call<Json>('GET', `/v1/notifications/${String(failed.id)}`);
    await call('PUT', '/local/ses/outage', { mode: 'none' });
    const sent = await waitFor(() => receiptsTo(email, 'sent'), 'the receipt sent after the outage', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const emails = await call<{ data: Json[] }>('GET', `/local/emails?to=${encodeURIComponent(email)}`);

    // Assert
    expect(intent.body.status).toBe('succeeded');
    expect(failed).toMatchObject({
      status: 'failed',
      template: 'payment_receipt',
      last_error: expect.any(String),
    });
    expect(read.body).toMatchObject({ id: failed.id, status: expect.stringMatching(/^(failed|sent)$/) });
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(sent).toMatchObject({ id: failed.id, status: 'sent', sent_at: expect.any(Number) });
    expect(sent.last_error).toBeUndefined();
    expect(emails.body.data).toHaveLength(1);
  }, 90_000);
});
