/**
 * MFA over HTTP on the local stack: enrolling a PIN, TOTP and a device key, then payments above the threshold
 * that wait for their second factor in the real lifecycle (statemachines/payment.asl.json), as an app would.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { generateSync } from 'otplib';
import { type ApiAnswer, call, tokenFor } from '../support/api.js';

const PIN = '482913';
const WRONG_PIN = '111111';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface PaymentBody {
  paymentId: string;
  state: string;
  status: string;
  mfaMethod?: string;
  failureCode?: string;
  history: { state: string; event: string; actor: string }[];
}

interface ChallengeBody {
  challengeId: string;
  paymentId: string;
  method: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  expiresAt: string;
  nonce?: string;
}

async function newUser() {
  const userId = `@m${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId);
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

function enrolPin(user: User, pin = PIN) {
  return call<{ method: string; enrolled: boolean }>('PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
    token: user.token,
    body: { pin },
  });
}

/** A step-up token of purpose `factors`, answered with the payer's PIN: needed to add a factor once a PIN is set. */
async function factorsToken(user: User): Promise<string> {
  const answer = await call<{ stepUpToken: string }>('POST', `/payments/v1/user/${user.path}/mfa/step-up`, {
    token: user.token,
    body: { purpose: 'factors', method: 'transaction_pin', pin: PIN },
  });
  expect(answer.status).toBe(201);
  return answer.body.stepUpToken;
}

/** A payer with money in the wallet ($100 unless told) and a transaction PIN. */
async function payer(amount = 10_000): Promise<User> {
  const user = await newUser();
  const topup = await call('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  expect((await enrolPin(user)).status).toBe(200);
  return user;
}

/** A $60 wallet payment: above the USD 50 threshold, so it waits for MFA. */
async function mfaPayment(user: User): Promise<PaymentBody> {
  const answer = await call<PaymentBody>('POST', '/api/v1/payments/request', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      appId: 'app_demo',
      amount: { value: 6000, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: 'x',
    },
  });
  expect(answer.status).toBe(201);
  expect(answer.body.state).toBe('MFA_Required');
  return answer.body;
}

function challenge(user: User, paymentId: string, method = 'transaction_pin') {
  return call<ChallengeBody & ErrorBody>('POST', `/payments/v1/${paymentId}/mfa/challenge`, {
    token: user.token,
    body: { method },
  });
}

function verify(user: User, paymentId: string, body: Record<string, string>) {
  return call<PaymentBody & ErrorBody>('POST', `/payments/v1/${paymentId}/mfa/verify`, {
    token: user.token,
    body,
  });
}

async function until(user: User, paymentId: string, states: readonly string[]): Promise<PaymentBody> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, { token: user.token });
    if (states.includes(answer.body.state)) return answer.body;
    if (Date.now() > deadline) throw new Error(`payment ${paymentId} still ${answer.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function available(user: User): Promise<number> {
  const answer = await call<{ balances: { currency: string; available: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  return answer.body.balances.find((b) => b.currency === 'USD')?.available ?? 0;
}

async function availableBecomes(user: User, expected: number): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await available(user);
    if (now === expected || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function deviceKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}

const epochNow = () => Math.floor(Date.now() / 1000);

/**
 * Waits, if need be, until the current 30 s TOTP step has at least `seconds` left, so that a code made for
 * "the previous step" is still the previous step when the server checks it (a step boundary crossed between
 * the two makes it two steps old, and the confirmation is refused).
 */
async function clearOfStepBoundary(seconds = 8): Promise<void> {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 50));
}

function errorCode(answer: ApiAnswer<unknown>): string | undefined {
  return (answer.body as Partial<ErrorBody> | undefined)?.error?.code;
}

describe('Stack: MFA', () => {
  describe('Route: PUT /payments/v1/user/{userId}/mfa/pin', () => {
    it('answers 200 enrolled, and never echoes the PIN', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await enrolPin(user);

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ method: 'transaction_pin', enrolled: true });
      expect(JSON.stringify(answer.body)).not.toContain(PIN);
    });

    it("answers 403 FORBIDDEN for another user's path", async () => {
      // Arrange
      const [alice, bob] = await Promise.all([newUser(), newUser()]);

      // Act
      const answer = await call('PUT', `/payments/v1/user/${alice.path}/mfa/pin`, {
        token: bob.token,
        body: { pin: PIN },
      });

      // Assert
      expect(answer.status).toBe(403);
      expect(errorCode(answer)).toBe('FORBIDDEN');
    });

    it('answers 400 VALIDATION_ERROR for a PIN that is not six digits', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await enrolPin(user, '12345a');

      // Assert
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe('VALIDATION_ERROR');
    });
  });

  describe('Route: POST /payments/v1/user/{userId}/mfa/totp (+ /confirm)', () => {
    it('answers 201 with a secret and URI, 401 for a wrong first code, then 200 enrolled for the right one', async () => {
      // Arrange
      const user = await newUser();
      const started = await call<{ secret: string; otpauthUri: string }>(
        'POST',
        `/payments/v1/user/${user.path}/mfa/totp`,
        { token: user.token },
      );
      const secret = started.body.secret;

      // Act
      const wrong = await call('POST', `/payments/v1/user/${user.path}/mfa/totp/confirm`, {
        token: user.token,
        body: { code: generateSync({ secret, epoch: epochNow() - 3600 }) },
      });
      const right = await call('POST', `/payments/v1/user/${user.path}/mfa/totp/confirm`, {
        token: user.token,
        body: { code: generateSync({ secret, epoch: epochNow() }) },
      });

      // Assert
      expect(started.status).toBe(201);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Tween:/);
      expect(wrong.status).toBe(401);
      expect(errorCode(wrong)).toBe('MFA_FAILED');
      expect(right.status).toBe(200);
      expect(right.body).toEqual({ method: 'totp', enrolled: true });
    });
  });

  describe('Route: POST /payments/v1/user/{userId}/mfa/devices', () => {
    it('answers 201 for a P-256 key and 400 for a P-384 one', async () => {
      // Arrange
      const user = await newUser();
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
        .publicKey.export({ format: 'der', type: 'spki' })
        .toString('base64');

      // Act
      const good = await call('POST', `/payments/v1/user/${user.path}/mfa/devices`, {
        token: user.token,
        body: { deviceId: 'phone-1', publicKey: deviceKey().spki },
      });
      const bad = await call('POST', `/payments/v1/user/${user.path}/mfa/devices`, {
        token: user.token,
        body: { deviceId: 'phone-2', publicKey: p384 },
      });

      // Assert
      expect(good.status).toBe(201);
      expect(good.body).toEqual({ deviceId: 'phone-1', enrolled: true });
      expect(bad.status).toBe(400);
      expect(errorCode(bad)).toBe('VALIDATION_ERROR');
    });
  });

  describe('Payments waiting for MFA', () => {
    it('answers 201 with a pending challenge and shows it in the status', async () => {
      // Arrange
      const user = await payer();
      const payment = await mfaPayment(user);

      // Act
      const created = await challenge(user, payment.paymentId);
      const status = await call('GET', `/payments/v1/${payment.paymentId}/mfa/status`, { token: user.token });

      // Assert
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        paymentId: payment.paymentId,
        method: 'transaction_pin',
        status: 'pending',
        attempts: 0,
        maxAttempts: 3,
      });
      expect(status.status).toBe(200);
      expect(status.body).toEqual({
        paymentId: payment.paymentId,
        state: 'MFA_Challenge',
        status: 'requires_mfa',
        mfaRequired: true,
        methods: ['transaction_pin'],
        challenge: {
          challengeId: created.body.challengeId,
          method: 'transaction_pin',
          status: 'pending',
          attempts: 0,
          maxAttempts: 3,
          expiresAt: created.body.expiresAt,
        },
        locked: false,
      });
    });

    it('completes the payment when two wrong PINs are followed by the right one', async () => {
      // Arrange
      const user = await payer();
      const payment = await mfaPayment(user);
      const { challengeId } = (await challenge(user, payment.paymentId)).body;

      // Act
      const first = await verify(user, payment.paymentId, { challengeId, pin: WRONG_PIN });
      const second = await verify(user, payment.paymentId, { challengeId, pin: WRONG_PIN });
      const third = await verify(user, payment.paymentId, { challengeId, pin: PIN });
      const completed = await until(user, payment.paymentId, ['Completed', 'Failed']);

      // Assert
      expect([first.status, errorCode(first), first.body.error?.details]).toEqual([
        401,
        'MFA_FAILED',
        { attemptsRemaining: 2 },
      ]);
      expect(second.body.error?.details).toEqual({ attemptsRemaining: 1 });
      expect(third.status).toBe(200);
      expect(['Authorized', 'Processing', 'Completed']).toContain(third.body.state);
      expect(third.body.mfaMethod).toBe('transaction_pin');
      expect(completed.state).toBe('Completed');
      expect(await available(user)).toBe(4_000);
    });

    it('fails the payment on the third wrong PIN and gives the held funds back', async () => {
      // Arrange
      const user = await payer();
      const before = await available(user);
      const payment = await mfaPayment(user);
      const { challengeId } = (await challenge(user, payment.paymentId)).body;
      await verify(user, payment.paymentId, { challengeId, pin: WRONG_PIN });
      await verify(user, payment.paymentId, { challengeId, pin: WRONG_PIN });

      // Act
      const third = await verify(user, payment.paymentId, { challengeId, pin: WRONG_PIN });
      const failed = await until(user, payment.paymentId, ['Failed', 'Completed']);

      // Assert
      expect(third.status).toBe(401);
      expect(third.body.error?.details).toEqual({ attemptsRemaining: 0 });
      expect(failed.state).toBe('Failed');
      expect(failed.failureCode).toBe('mfa_failed');
      expect(await availableBecomes(user, before)).toBe(before);
      const again = await verify(user, payment.paymentId, { challengeId, pin: PIN });
      expect(again.status).toBe(409);
    });

    it('moves the payment on once when two right PINs arrive together, answering 200 to both', async () => {
      // Arrange
      const user = await payer();
      const payment = await mfaPayment(user);
      const { challengeId } = (await challenge(user, payment.paymentId)).body;

      // Act
      const answers = await Promise.all([
        verify(user, payment.paymentId, { challengeId, pin: PIN }),
        verify(user, payment.paymentId, { challengeId, pin: PIN }),
      ]);
      const completed = await until(user, payment.paymentId, ['Completed', 'Failed']);

      // Assert
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(completed.state).toBe('Completed');
      expect(completed.history.filter((entry) => entry.event === 'mfa_verified')).toHaveLength(1);
      expect(completed.history.filter((entry) => entry.event === 'authorized')).toHaveLength(1);
      expect(await available(user)).toBe(4_000);
    });

    it('completes a payment approved by a device signature over the nonce', async () => {
      // Arrange
      const user = await payer();
      const device = deviceKey();
      const enrolled = await call('POST', `/payments/v1/user/${user.path}/mfa/devices`, {
        token: user.token,
        headers: { 'x-step-up-token': await factorsToken(user) },
        body: { deviceId: 'phone-1', publicKey: device.spki },
      });
      expect(enrolled.status).toBe(201);
      const payment = await mfaPayment(user);
      const created = await challenge(user, payment.paymentId, 'biometric');
      const nonce = created.body.nonce ?? '';
      const signature = sign('sha256', Buffer.from(nonce, 'utf8'), device.privateKey).toString('base64');

      // Act
      const answer = await verify(user, payment.paymentId, {
        challengeId: created.body.challengeId,
        signature,
      });

      // Assert
      expect(nonce).toContain(`:${payment.paymentId}:6000:USD:`);
      expect(answer.status).toBe(200);
      expect((await until(user, payment.paymentId, ['Completed', 'Failed'])).state).toBe('Completed');
    });

    it('completes a payment approved by a TOTP code, and refuses the same code on the next payment', async () => {
      // Arrange
      const user = await payer(20_000);
      const { secret } = (
        await call<{ secret: string }>('POST', `/payments/v1/user/${user.path}/mfa/totp`, {
          token: user.token,
          headers: { 'x-step-up-token': await factorsToken(user) },
        })
      ).body;
      // Confirmed with the previous step's code, so that the current one is still unused.
      await clearOfStepBoundary();
      const confirmed = await call('POST', `/payments/v1/user/${user.path}/mfa/totp/confirm`, {
        token: user.token,
        body: { code: generateSync({ secret, epoch: epochNow() - 30 }) },
      });
      expect(confirmed.status).toBe(200);
      const code = generateSync({ secret, epoch: epochNow() });
      const first = await mfaPayment(user);
      const firstChallenge = (await challenge(user, first.paymentId, 'totp')).body;
      const second = await mfaPayment(user);
      const secondChallenge = (await challenge(user, second.paymentId, 'totp')).body;

      // Act
      const accepted = await verify(user, first.paymentId, { challengeId: firstChallenge.challengeId, code });
      const replayed = await verify(user, second.paymentId, {
        challengeId: secondChallenge.challengeId,
        code,
      });

      // Assert
      expect(accepted.status).toBe(200);
      expect(replayed.status).toBe(401);
      expect(errorCode(replayed)).toBe('MFA_FAILED');
    });

    it('answers 404 NOT_FOUND to another user for the challenge, verify and status of a payment', async () => {
      // Arrange
      const owner = await payer();
      const stranger = await payer();
      const payment = await mfaPayment(owner);
      const { challengeId } = (await challenge(owner, payment.paymentId)).body;

      // Act
      const answers = await Promise.all([
        challenge(stranger, payment.paymentId),
        verify(stranger, payment.paymentId, { challengeId, pin: PIN }),
        call('GET', `/payments/v1/${payment.paymentId}/mfa/status`, { token: stranger.token }),
      ]);

      // Assert
      expect(answers.map((answer) => [answer.status, errorCode(answer)])).toEqual([
        [404, 'NOT_FOUND'],
        [404, 'NOT_FOUND'],
        [404, 'NOT_FOUND'],
      ]);
      const status = await call<{ challenge: { attempts: number } }>(
        'GET',
        `/payments/v1/${payment.paymentId}/mfa/status`,
        { token: owner.token },
      );
      expect(status.body.challenge.attempts).toBe(0);
    });
  });
});
