/**
 * Per-caller limits over HTTP (API.md: USER_RATE_LIMIT_PER_MINUTE): past the limit, a caller's limited
 * requests answer 429 RATE_LIMITED with Retry-After, other callers are unaffected, and a replay of a stored
 * answer is still answered. The shared stack runs with a limit no suite reaches, so this file runs a stack
 * of its own with a limit of 3.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { tokenFor } from '../support/api.js';
import { type StackInfo, spawnStack } from '../support/global-setup.js';

const LIMIT = 3;
const WINDOW_MS = 60_000;

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: { code: string; details?: { retryAfterSeconds?: number } } };
}

let child: ChildProcess | undefined;
let stack: StackInfo;

beforeAll(async () => {
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  ({ child, info: stack } = await spawnStack(rootDir, { USER_RATE_LIMIT_PER_MINUTE: String(LIMIT) }));
}, 120_000);

afterAll(async () => {
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

async function post(token: string, path: string, body: unknown, key?: string): Promise<Answer> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) };
}

const verifyPath = () => `/payments/v1/pay_${randomUUID().replaceAll('-', '')}/mfa/verify`;
const verifyBody = { challengeId: 'ch_unknown', pin: '123456' };
const paymentBody = {
  appId: 'app_demo',
  amount: { value: 1_000, currency: 'USD' },
  paymentMethod: { type: 'wallet' },
  description: 'Coffee',
};

/**
 * The limit counts per fixed minute (the stack shares this machine's clock): start a test with at least
 * 20 s left in the minute, so its requests all fall in one window.
 */
async function atWindowStartIfLate(): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left >= 20_000) return;
  await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('Per-caller limit (USER_RATE_LIMIT_PER_MINUTE=3)', () => {
  it('answers 429 RATE_LIMITED with Retry-After to the caller past the limit, and not to another caller', async () => {
    // Arrange
    await atWindowStartIfLate();
    const alice = await tokenFor(`@rl-${randomUUID()}:tween.example`);
    const bob = await tokenFor(`@rl-${randomUUID()}:tween.example`);
    const allowed: Answer[] = [];
    for (let i = 0; i < LIMIT; i += 1) allowed.push(await post(alice, verifyPath(), verifyBody));

    // Act
    const refused = await post(alice, verifyPath(), verifyBody);
    const other = await post(bob, verifyPath(), verifyBody);

    // Assert
    expect(allowed.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.error?.details?.retryAfterSeconds).toBe(retryAfter);
    expect(other.status).toBe(404);
  }, 90_000);

  it('replays a stored answer to a limited caller, and counts each route apart', async () => {
    // Arrange: a user with no money: each payment request is declined 402 (a stored answer).
    await atWindowStartIfLate();
    const carol = await tokenFor(`@rl-${randomUUID()}:tween.example`);
    const first = await post(carol, '/api/v1/payments/request', paymentBody, 'key-0');
    for (let i = 1; i < LIMIT; i += 1) await post(carol, '/api/v1/payments/request', paymentBody, `key-${i}`);
    const refused = await post(carol, '/api/v1/payments/request', paymentBody, 'key-new');

    // Act
    const replay = await post(carol, '/api/v1/payments/request', paymentBody, 'key-0');
    const otherRoute = await post(carol, verifyPath(), verifyBody);

    // Assert
    expect(first.status).toBe(402);
    expect(refused.status).toBe(429);
    expect(replay.status).toBe(402);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(otherRoute.status).toBe(404);
  }, 90_000);
});
