/**
 * Merchant onboarding when a dependency is down, over HTTP: the mail service (SES, the local engine behind
 * /local/ses/outage) and Stripe (/local/stripe/outage). Nothing is decided or changed by a request that
 * failed, and the same request succeeds once the dependency is back. Both outages would disturb other
 * files, so this one runs a stack of its own (in memory, free ports).
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type StackInfo, spawnStack } from '../support/global-setup.js';
import { type OnboardingClient, onboardingClient } from '../support/onboarding.js';

let child: ChildProcess | undefined;
let stack: StackInfo;
let client: OnboardingClient;

beforeAll(async () => {
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  ({ child, info: stack } = await spawnStack(rootDir));
  client = onboardingClient(stack.apiUrl);
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

afterEach(async () => {
  await mailOutage('none');
  await stripeOutage('none');
});

function endpointOf(name: string): string {
  const url = stack.endpoints[name];
  if (url === undefined) throw new Error(`No local endpoint ${name}`);
  return url;
}

async function mailOutage(mode: 'none' | 'unreachable' | 'throttled'): Promise<void> {
  const answer = await client.call('PUT', '/local/ses/outage', undefined, { mode });
  expect(answer.status).toBe(200);
}

async function stripeOutage(mode: 'none' | 'unavailable'): Promise<void> {
  const answer = await fetch(`${endpointOf('stripe')}/local/stripe/outage`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  expect(answer.status).toBe(200);
}

describe('Merchant onboarding: dependencies down', () => {
  it.each(['unreachable', 'throttled'] as const)(
    'answers 503 when the mail service is %s, creating nothing; the same request works once it is back',
    async (mode) => {
      // Arrange
      const owner = await client.newOwner();
      const ops = await client.opsToken();
      const email = `down-${mode}-${Date.now()}@shop.example`;
      await mailOutage(mode);

      // Act
      const refused = await client.create(owner.token, email);
      const pending = await client.call<{ data: unknown[] }>(
        'GET',
        '/ops/v1/merchants?status=pending_verification&limit=100',
        ops,
      );
      await mailOutage('none');
      const created = await client.create(owner.token, email);

      // Assert
      expect([refused.status, refused.body.error?.code]).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);
      expect(JSON.stringify(pending.body.data)).not.toContain(email);
      expect(created.status).toBe(201);
      expect(await client.emails(email)).toHaveLength(1);
    },
  );

  it('keeps the old code and the status when a resend meets a mail outage, and resends once it is back', async () => {
    // Arrange
    const owner = await client.newOwner();
    const created = await client.create(owner.token);
    const first = await client.codeSentTo(created.body.email);
    const path = `/merchant/v1/merchants/${created.body.id}`;
    await mailOutage('unreachable');

    // Act
    const refused = await client.call('POST', `${path}/verify-email/resend`, owner.token);
    const during = await client.call('GET', path, owner.token);
    await mailOutage('none');
    const resent = await client.call('POST', `${path}/verify-email/resend`, owner.token);
    const second = await client.codeSentTo(created.body.email, 2);
    const verified = await client.call('POST', `${path}/verify-email`, owner.token, { code: second });

    // Assert
    expect([refused.status, refused.body.error?.code]).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);
    expect(during.body.status).toBe('pending_verification');
    expect(resent.status).toBe(202);
    expect(second).toMatch(/^\d{6}$/);
    expect(first).toMatch(/^\d{6}$/);
    expect([verified.status, verified.body.status]).toEqual([200, 'kyc_required']);
  });

  it('answers an approval during a Stripe outage 502 with the merchant still in review and no account, then approves once', async () => {
    // Arrange
    const owner = await client.newOwner();
    const ops = await client.opsToken();
    const merchant = await client.inReview(owner.token);
    const review = `/ops/v1/merchants/${merchant.id}/review`;
    await stripeOutage('unavailable');

    // Act
    const refused = await client.call('POST', review, ops, { decision: 'approve' });
    const during = await client.call('GET', `/merchant/v1/merchants/${merchant.id}`, ops);
    await stripeOutage('none');
    const approved = await client.call('POST', review, ops, { decision: 'approve' });

    // Assert
    expect([refused.status, refused.body.error?.code]).toEqual([502, 'PROCESSOR_ERROR']);
    expect(during.body).toMatchObject({ status: 'in_review', connected_account_id: null });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'active',
      connected_account_id: expect.stringMatching(/^acct_/),
    });
  });
});
