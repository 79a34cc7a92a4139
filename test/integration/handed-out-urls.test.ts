/**
 * Every URL the service hands out is absolute (API.md) and points at the running stack's own address and
 * port, whatever Host the client sent; and it answers when followed: the payment's MFA challengeUrl, and the
 * details.challengeUrl of 428 STEP_UP_REQUIRED and of a biometric step-up without a nonce.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { apiUrl, call, tokenFor } from '../support/api.js';

const PIN = '482913';

interface Answer {
  status: number;
  body: {
    paymentId?: string;
    mfa?: { challengeUrl: string };
    challengeId?: string;
    stepUpToken?: string;
    nonce?: string;
    error?: { code: string; details?: { challengeUrl?: string } };
  };
}

async function userWithPin(funds: number) {
  const userId = `@url${randomUUID().slice(0, 8)}:tween.example`;
  const user = { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
  if (funds > 0) {
    const topup = await call('POST', '/wallet/v1/topup', {
      token: user.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { amount: funds, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
    });
    expect(topup.status).toBe(201);
  }
  const pin = await call('PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
    token: user.token,
    body: { pin: PIN },
  });
  expect(pin.status).toBe(200);
  return user;
}

/** Follows a URL the service handed out, as is, the way an app would. */
async function follow(url: string, token: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** The stack's own origin, as global setup found it: http://127.0.0.1:<port>. */
function ownOrigin(): string {
  return new URL(apiUrl()).origin;
}

function expectOwnAbsolute(url: string | undefined, path: string): void {
  expect(url).toBeDefined();
  const parsed = new URL(url ?? '');
  expect(parsed.origin).toBe(ownOrigin());
  expect(parsed.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(parsed.pathname).toBe(path);
}

describe('Stack: URLs handed out', () => {
  it('hands out an absolute MFA challengeUrl on its own address, and a challenge starts when it is followed', async () => {
    // Arrange
    const payer = await userWithPin(10_000);
    const requested = await call<Answer['body']>('POST', '/api/v1/payments/request', {
      token: payer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        appId: 'app_demo',
        amount: { value: 6_000, currency: 'USD' },
        paymentMethod: { type: 'wallet' },
        description: 'x',
      },
    });
    expect(requested.status).toBe(201);
    const challengeUrl = requested.body.mfa?.challengeUrl ?? '';

    // Act
    const followed = await follow(challengeUrl, payer.token, { method: 'transaction_pin' });

    // Assert
    expectOwnAbsolute(challengeUrl, `/payments/v1/${requested.body.paymentId}/mfa/challenge`);
    expect(followed.status).toBe(201);
    expect(followed.body.challengeId).toEqual(expect.any(String));
  });

  it('hands out its own address whatever Host header the client sent', async () => {
    // Arrange
    const payer = await userWithPin(10_000);
    const requested = await call<Answer['body']>('POST', '/api/v1/payments/request', {
      token: payer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        appId: 'app_demo',
        amount: { value: 6_000, currency: 'USD' },
        paymentMethod: { type: 'wallet' },
        description: 'x',
      },
    });
    const target = new URL(`/api/v1/payments/${requested.body.paymentId}`, apiUrl());

    // Act
    const text = await new Promise<string>((resolve, reject) => {
      const outgoing = httpRequest(
        target,
        {
          headers: {
            host: 'attacker.example',
            'x-forwarded-proto': 'https',
            authorization: `Bearer ${payer.token}`,
          },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });

    // Assert
    const got = JSON.parse(text) as Answer['body'];
    expectOwnAbsolute(got.mfa?.challengeUrl, `/payments/v1/${requested.body.paymentId}/mfa/challenge`);
  });

  it('hands out an absolute step-up URL with 428 STEP_UP_REQUIRED, which grants the token that was missing', async () => {
    // Arrange
    const user = await userWithPin(0);
    const refused = await call<Answer['body']>('PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
      token: user.token,
      body: { pin: '135790' },
    });
    expect(refused.status).toBe(428);
    const challengeUrl = refused.body.error?.details?.challengeUrl ?? '';

    // Act
    const followed = await follow(challengeUrl, user.token, {
      purpose: 'factors',
      method: 'transaction_pin',
      pin: PIN,
    });
    const retried = await call('PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
      token: user.token,
      headers: { 'x-step-up-token': followed.body.stepUpToken ?? '' },
      body: { pin: '135790' },
    });

    // Assert
    expectOwnAbsolute(challengeUrl, `/payments/v1/user/${user.path}/mfa/step-up`);
    expect(followed.status).toBe(201);
    expect(retried.status).toBe(200);
  });

  it('hands out an absolute nonce URL when a biometric step-up has no nonce, which issues one when followed', async () => {
    // Arrange
    const user = await userWithPin(0);
    const stepUp = await call<Answer['body']>('POST', `/payments/v1/user/${user.path}/mfa/step-up`, {
      token: user.token,
      body: { purpose: 'factors', method: 'transaction_pin', pin: PIN },
    });
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const enrolled = await call('POST', `/payments/v1/user/${user.path}/mfa/devices`, {
      token: user.token,
      headers: { 'x-step-up-token': stepUp.body.stepUpToken ?? '' },
      body: {
        deviceId: 'phone',
        publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      },
    });
    expect(enrolled.status).toBe(201);
    const refused = await call<Answer['body']>('POST', `/payments/v1/user/${user.path}/mfa/step-up`, {
      token: user.token,
      body: { purpose: 'factors', method: 'biometric', signature: Buffer.alloc(64).toString('base64') },
    });
    expect(refused.status).toBe(409);
    const challengeUrl = refused.body.error?.details?.challengeUrl ?? '';

    // Act
    const followed = await follow(challengeUrl, user.token, { purpose: 'factors' });

    // Assert
    expectOwnAbsolute(challengeUrl, `/payments/v1/user/${user.path}/mfa/step-up/challenge`);
    expect(followed.status).toBe(201);
    expect(followed.body.nonce).toMatch(/^tween-step-up:v1:factors:/);
  });
});
