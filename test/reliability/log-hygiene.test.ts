/**
 * Log hygiene, over HTTP on a stack of its own, logging as verbosely as Powertools can: DEBUG, and every
 * invocation event in full (POWERTOOLS_LOGGER_LOG_EVENT, the switch an operator flips to debug a request;
 * DEBUG alone writes almost nothing on these flows, which would let the scan pass on an empty log). The
 * flows that handle secrets run once: PIN enrolment and a PIN-verified payment, TOTP enrolment (the secret is
 * answered once) and a TOTP-verified payment, a device key registration, a card top-up (which also makes the
 * local Stripe deliver its own signed webhooks), a signed webhook of ours, all with bearer tokens. Then every
 * line the stack wrote, stdout and stderr, is scanned for each secret it was handed.
 *
 * Payment method ids (`pm_...`) may appear: they are opaque tokens that only our Stripe secret key can use,
 * the API answers them to the app, and support needs them to trace a charge. Card numbers may not (the
 * service never receives one; the scan proves no test fixture or provider payload carries one into a log).
 */
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { generateSync } from 'otplib';
import Stripe from 'stripe';
import { signLocalToken } from '../../local/auth.js';
import { spawnStack } from '../support/global-setup.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** The stack's own secrets: distinctive values, so that any trace of them in a log is found. */
const secrets = {
  LOCAL_JWT_SECRET: `log-hygiene-jwt-secret-${hex(16)}`,
  STRIPE_SECRET_KEY: `sk_test_loghygiene${hex(12)}`,
  STRIPE_WEBHOOK_SECRET: `whsec_loghygiene${hex(12)}`,
  CURSOR_SECRET: `log-hygiene-cursor-secret-${hex(16)}`,
  MATRIX_ACCESS_TOKEN: `syt_loghygiene_${hex(12)}`,
};
const PIN = '739164';
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/;
const STRIPE_SIGNATURE = /v1=[0-9a-f]{64}/;
const CLIENT_SECRET = /\b(pi|seti)_\w+_secret_\w+/;

interface Answer<T> {
  status: number;
  body: T;
}
interface PaymentBody {
  paymentId: string;
  state: string;
}

let child: ChildProcess | undefined;
let apiUrl = '';
const output: Buffer[] = [];
/** What the flows handed the stack, to look for in its output. */
const handed = {
  tokens: [] as string[],
  totpSecret: '',
  totpCodes: [] as string[],
  stepUpTokens: [] as string[],
  stripeSignatures: [] as string[],
  webhookEventId: '',
  routeKeys: [] as string[],
};

async function call<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

function expectStatus(answer: Answer<unknown>, status: number, what: string): void {
  if (answer.status !== status)
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const logLines = (): string[] =>
  Buffer.concat(output)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

/** Lines with `value` as a whole token (a 6-digit code inside a longer number or id is not that code). */
const linesWithToken = (value: string) => {
  const pattern = new RegExp(`(?<![0-9A-Za-z])${value}(?![0-9A-Za-z])`);
  return logLines().filter((line) => pattern.test(line));
};

/** Luhn-valid 15- or 16-digit numbers with a card brand's prefix: what a card number looks like. */
function cardNumbersIn(line: string): string[] {
  const candidates = line.match(/(?<!\d)(?:4\d{15}|5[1-5]\d{14}|3[47]\d{13}|6011\d{12})(?!\d)/g) ?? [];
  return candidates.filter((digits) => {
    let sum = 0;
    for (let index = 0; index < digits.length; index += 1) {
      let digit = Number(digits[digits.length - 1 - index]);
      if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    return sum % 10 === 0;
  });
}

async function user(): Promise<{ token: string; path: string }> {
  const userId = `@lh${randomUUID().slice(0, 8)}:tween.example`;
  const token = await signLocalToken(userId, { secret: secrets.LOCAL_JWT_SECRET });
  handed.tokens.push(token);
  return { token, path: encodeURIComponent(userId) };
}

/** A $60 wallet payment, above the $50 threshold: it waits for the second factor. */
async function mfaPayment(payer: { token: string }): Promise<string> {
  const answer = await call<PaymentBody>('POST', '/api/v1/payments/request', {
    token: payer.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      appId: 'app_log_hygiene',
      amount: { value: 6000, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: 'log hygiene',
    },
  });
  expectStatus(answer, 201, 'the payment request');
  return answer.body.paymentId;
}

async function verifyWith(payer: { token: string }, paymentId: string, method: string, answer: object) {
  const challenge = await call<{ challengeId: string }>('POST', `/payments/v1/${paymentId}/mfa/challenge`, {
    token: payer.token,
    body: { method },
  });
  expectStatus(challenge, 201, `the ${method} challenge`);
  const verified = await call('POST', `/payments/v1/${paymentId}/mfa/verify`, {
    token: payer.token,
    body: { challengeId: challenge.body.challengeId, ...answer },
  });
  expectStatus(verified, 200, `the ${method} verification`);
  await until(async () => {
    const payment = await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, { token: payer.token });
    return payment.body.state === 'Completed' ? payment : undefined;
  }, `payment ${paymentId} to complete`);
}

/** Every flow that handles a secret, once, as an app and Stripe would drive them. */
async function driveFlows(): Promise<void> {
  const payer = await user();
  const epoch = () => Math.floor(Date.now() / 1000);

  const pin = await call('PUT', `/payments/v1/user/${payer.path}/mfa/pin`, {
    token: payer.token,
    body: { pin: PIN },
  });
  expectStatus(pin, 200, 'the PIN enrolment');

  const topup = await call('POST', '/wallet/v1/topup', {
    token: payer.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount: 20_000, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expectStatus(topup, 201, 'the card top-up');

  // With a PIN set, each further factor needs a step-up token: a secret of its own, never to be logged.
  const stepUp = async (): Promise<string> => {
    const answer = await call<{ stepUpToken: string }>(
      'POST',
      `/payments/v1/user/${payer.path}/mfa/step-up`,
      {
        token: payer.token,
        body: { purpose: 'factors', method: 'transaction_pin', pin: PIN },
      },
    );
    expectStatus(answer, 201, 'the step-up');
    handed.stepUpTokens.push(answer.body.stepUpToken);
    return answer.body.stepUpToken;
  };

  const totp = await call<{ secret: string }>('POST', `/payments/v1/user/${payer.path}/mfa/totp`, {
    token: payer.token,
    headers: { 'x-step-up-token': await stepUp() },
  });
  expectStatus(totp, 201, 'the TOTP enrolment');
  handed.totpSecret = totp.body.secret;
  // Confirmed with the previous step's code, so that the current one is still unused for the payment.
  const confirmCode = generateSync({ secret: handed.totpSecret, epoch: epoch() - 30 });
  handed.totpCodes.push(confirmCode);
  const confirmed = await call('POST', `/payments/v1/user/${payer.path}/mfa/totp/confirm`, {
    token: payer.token,
    body: { code: confirmCode },
  });
  expectStatus(confirmed, 200, 'the TOTP confirmation');

  const device = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const registered = await call('POST', `/payments/v1/user/${payer.path}/mfa/devices`, {
    token: payer.token,
    headers: { 'x-step-up-token': await stepUp() },
    body: {
      deviceId: 'log-hygiene-phone',
      publicKey: device.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    },
  });
  expectStatus(registered, 201, 'the device registration');

  await verifyWith(payer, await mfaPayment(payer), 'transaction_pin', { pin: PIN });
  const code = generateSync({ secret: handed.totpSecret, epoch: epoch() });
  handed.totpCodes.push(code);
  await verifyWith(payer, await mfaPayment(payer), 'totp', { code });

  // A provider event of our own, signed as Stripe signs, carrying a PaymentIntent client secret.
  handed.webhookEventId = `evt_loghygiene${hex(8)}`;
  const payload = JSON.stringify({
    id: handed.webhookEventId,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: epoch(),
    data: {
      object: {
        id: `pi_loghygiene${hex(6)}`,
        object: 'payment_intent',
        amount: 1234,
        currency: 'usd',
        status: 'succeeded',
        client_secret: `pi_loghygiene_secret_${hex(8)}`,
        payment_method: 'pm_card_visa',
        metadata: {},
      },
    },
  });
  const signature = new Stripe(secrets.STRIPE_SECRET_KEY).webhooks.generateTestHeaderString({
    payload,
    secret: secrets.STRIPE_WEBHOOK_SECRET,
  });
  handed.stripeSignatures.push(signature);
  const delivered = await call('POST', '/api/v1/webhooks/stripe', {
    rawBody: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
  expectStatus(delivered, 200, 'the signed webhook');
  // The consumer takes it off the queue: its invocation is in the log once it ran.
  await until(
    async () =>
      logLines().some(
        (line) => line.includes('"function_name":"webhookConsumer"') && line.includes(handed.webhookEventId),
      )
        ? true
        : undefined,
    'the webhook consumer to log the event',
  );

  handed.routeKeys = [
    'PUT /payments/v1/user/{userId}/mfa/pin',
    'POST /wallet/v1/topup',
    'POST /payments/v1/user/{userId}/mfa/step-up',
    'POST /payments/v1/user/{userId}/mfa/totp',
    'POST /payments/v1/user/{userId}/mfa/totp/confirm',
    'POST /payments/v1/user/{userId}/mfa/devices',
    'POST /api/v1/payments/request',
    'POST /payments/v1/{paymentId}/mfa/challenge',
    'POST /payments/v1/{paymentId}/mfa/verify',
    'POST /api/v1/webhooks/stripe',
  ];
}

beforeAll(async () => {
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  const started = await spawnStack(
    rootDir,
    { ...secrets, POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
    (chunk) => output.push(chunk),
  );
  child = started.child;
  apiUrl = started.info.apiUrl;
  await driveFlows();
}, 180_000);

afterAll(async () => {
  if (child === undefined || child.exitCode !== null) return;
  const running = child;
  const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
  running.kill('SIGTERM');
  const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}, 30_000);

describe('Logs: what a stack logging everything writes while it handles secrets', () => {
  it('holds a line from every flow, so that the scans below read what the flows wrote', () => {
    // Act
    const lines = logLines();

    // Assert
    expect(lines.length).toBeGreaterThan(handed.routeKeys.length);
    for (const key of handed.routeKeys) {
      expect({ key, logged: lines.some((line) => line.includes(`"routeKey":"${key}"`)) }).toEqual({
        key,
        logged: true,
      });
    }
    expect(lines.some((line) => line.includes(handed.webhookEventId))).toBe(true);
    expect(lines.some((line) => line.includes('[REDACTED]'))).toBe(true);
  });

  it('writes no PIN', () => {
    // Act & Assert
    expect(linesWithToken(PIN)).toEqual([]);
  });

  it('writes neither the TOTP secret nor a TOTP code', () => {
    // Act
    const leaks = [handed.totpSecret, ...handed.totpCodes].flatMap(linesWithToken);

    // Assert
    expect(handed.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(handed.totpCodes).toHaveLength(2);
    expect(leaks).toEqual([]);
  });

  it('writes no step-up token', () => {
    // Act
    const leaks = handed.stepUpTokens.flatMap(linesWithToken);

    // Assert
    expect(handed.stepUpTokens).toHaveLength(2);
    expect(leaks).toEqual([]);
  });

  it('writes no bearer token: no JWT and no Authorization header value', () => {
    // Act
    const leaks = logLines().filter(
      (line) =>
        JWT.test(line) ||
        handed.tokens.some((token) => line.includes(token)) ||
        /"authorization":"(?!\[REDACTED\])/i.test(line),
    );

    // Assert
    expect(handed.tokens.length).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  it('writes no Stripe secret key, webhook secret or other secret of the stack', () => {
    // Act
    const leaks = logLines().filter(
      (line) =>
        line.includes('sk_test_') ||
        line.includes('whsec_') ||
        Object.values(secrets).some((secret) => line.includes(secret)),
    );

    // Assert
    expect(leaks).toEqual([]);
  });

  it('writes no Stripe-Signature header value, ours or the local Stripe’s', () => {
    // Act
    const leaks = logLines().filter(
      (line) =>
        STRIPE_SIGNATURE.test(line) || handed.stripeSignatures.some((signature) => line.includes(signature)),
    );

    // Assert
    expect(leaks).toEqual([]);
  });

  it('writes no card number and no PaymentIntent client secret', () => {
    // Act
    const leaks = logLines().filter((line) => CLIENT_SECRET.test(line) || cardNumbersIn(line).length > 0);

    // Assert
    expect(leaks).toEqual([]);
  });
});
