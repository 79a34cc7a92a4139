/**
 * The 5-day rule over HTTP, on a stack of this file's own where the 5 days are 4 seconds
 * (WEBHOOK_DISABLE_AFTER_SECONDS) and retries come every second: an endpoint whose receiver keeps failing is
 * disabled once it has failed that long with no success, its owner is emailed once, and nothing more is
 * sent to it.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { call } from '../support/api.js';
import { spawnStack } from '../support/global-setup.js';
import { newShop, withKey } from '../support/merchant-shops.js';
import { waitFor } from '../support/stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

type Json = Record<string, unknown>;

let child: ChildProcess | undefined;
let receiver: WebhookReceiver | undefined;

beforeAll(async () => {
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  const spawned = await spawnStack(rootDir, {
    WEBHOOK_DISABLE_AFTER_SECONDS: '4',
    WEBHOOK_RETRY_SCHEDULE: '1,1,1,1,1,1,1,1,1,1,1,1',
  });
  child = spawned.child;
  // This file's requests (api.ts, ledger.ts) go to its own stack.
  process.env.TWEEN_API_URL = spawned.info.apiUrl;
  process.env.TWEEN_ENDPOINTS = JSON.stringify(spawned.info.endpoints);
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

describe('Webhook endpoints failing too long', () => {
  it('disables the endpoint, emails its owner once, and sends it nothing more', async () => {
    // Arrange: a receiver that answers 500 to everything
    const shop = await newShop();
    receiver = await WebhookReceiver.start();
    receiver.mode = 'error';
    const created = await call<Json>(
      'POST',
      '/v1/webhook_endpoints',
      withKey(shop.test, { url: receiver.url, enabled_events: ['*'] }),
    );
    const endpointId = String(created.body.id);
    receiver.useSecret(String(created.body.secret));

    // Act
    await call('POST', '/v1/customers', withKey(shop.test, { email: 'ada@customers.example', name: 'Ada' }));
    const disabled = await waitFor(
      async () => {
        const endpoint = await call<Json>(
          'GET',
          `/v1/webhook_endpoints/${endpointId}`,
          withKey(shop.test, undefined, null),
        );
        return endpoint.body.status === 'disabled' ? endpoint.body : undefined;
      },
      'the endpoint disabled',
      45_000,
    );
    const attemptsThen = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));

    // Assert
    expect(disabled).toMatchObject({ id: endpointId, status: 'disabled' });
    expect(receiver.received.every((delivery) => delivery.verified && delivery.status === 500)).toBe(true);
    expect(receiver.received.length).toBe(attemptsThen);
    const owner = `${shop.merchantId}@merchants.example`;
    const mail = await call<{ data: { subject: string; text?: string }[] }>(
      'GET',
      `/local/emails?to=${encodeURIComponent(owner)}`,
    );
    const notices = mail.body.data.filter((email) => email.subject.includes('webhook endpoint'));
    expect(notices).toHaveLength(1);
  }, 90_000);
});
