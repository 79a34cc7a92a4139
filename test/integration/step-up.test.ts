/**
 * Step-up over HTTP on the local stack (MFA_THRESHOLDS USD:5000): a fresh second factor traded for a
 * single-use token that changing factors, and P2P transfers and gifts above the threshold, must spend; and
 * the lockout shared with payment challenges, which parallel guesses cannot exceed.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hashStepUpToken } from '../../shared/adapters/crypto/step-up-token.js';
import { stepUpTokenKey } from '../../shared/adapters/dynamodb/keys.js';
import { type ApiAnswer, apiUrl, call, tokenFor } from '../support/api.js';
import { localDocumentClient, TABLE_NAME } from '../support/ledger.js';

const PIN = '482913';
const WRONG_PIN = '111111';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface StepUpBody {
  stepUpToken: string;
  expiresAt: string;
}

async function newUser() {
  const userId = `@su${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId);
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

/** A user with a PIN and, unless told otherwise, USD 300.00 in the wallet. */
async function withPin(funds = 30_000): Promise<User> {
  const user = await newUser();
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

function stepUp(user: User, body: Record<string, unknown>, as: User = user) {
  return call<StepUpBody & ErrorBody>('POST', `/payments/v1/user/${user.path}/mfa/step-up`, {
    token: as.token,
    body,
  });
}

async function tokenOf(user: User, body: Record<string, unknown> = { purpose: 'factors' }): Promise<string> {
  const answer = await stepUp(user, { method: 'transaction_pin', pin: PIN, ...body });
  expect(answer.status).toBe(201);
  return answer.body.stepUpToken;
}

function replacePin(user: User, stepUpToken?: string, pin = '135790') {
  return call<ErrorBody>('PUT', `/payments/v1/user/${user.path}/mfa/pin`, {
    token: user.token,
    body: { pin },
    ...(stepUpToken === undefined ? {} : { headers: { 'x-step-up-token': stepUpToken } }),
  });
}

async function newRoom(...members: User[]): Promise<string> {
  const roomId = `!su${randomUUID().slice(0, 8)}:tween.example`;
  for (const member of members) {
    await call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${member.path}`);
  }
  return roomId;
}

function initiate(sender: User, recipient: User, roomId: string, amount: number, stepUpToken?: string) {
  return call<ErrorBody & { transfer_id: string }>('POST', '/wallet/v1/p2p/initiate', {
    token: sender.token,
    headers: {
      'idempotency-key': randomUUID(),
      ...(stepUpToken === undefined ? {} : { 'x-step-up-token': stepUpToken }),
    },
    body: { recipient: recipient.userId, amount, currency: 'USD', room_id: roomId },
  });
}

function createGift(creator: User, roomId: string, total: number, stepUpToken?: string) {
  return call<ErrorBody & { gift_id: string }>('POST', '/wallet/v1/gift/create', {
    token: creator.token,
    headers: {
      'idempotency-key': randomUUID(),
      ...(stepUpToken === undefined ? {} : { 'x-step-up-token': stepUpToken }),
    },
    body: { room_id: roomId, total_amount: total, currency: 'USD', count: 2, distribution: 'equal' },
  });
}

async function available(user: User): Promise<number> {
  const answer = await call<{ balances: { currency: string; available: number }[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  return answer.body.balances.find((b) => b.currency === 'USD')?.available ?? 0;
}

/** A $60 wallet payment waiting for MFA, with an active PIN challenge; `verify` answers it. */
async function challengedPayment(user: User) {
  const payment = await call<{ paymentId: string; state: string }>('POST', '/api/v1/payments/request', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: {
      appId: 'app_demo',
      amount: { value: 6_000, currency: 'USD' },
      paymentMethod: { type: 'wallet' },
      description: 'x',
    },
  });
  expect(payment.body.state).toBe('MFA_Required');
  const { paymentId } = payment.body;
  const challenge = await call<{ challengeId: string }>('POST', `/payments/v1/${paymentId}/mfa/challenge`, {
    token: user.token,
    body: { method: 'transaction_pin' },
  });
  expect(challenge.status).toBe(201);
  const verify = (pin: string) =>
    call<ErrorBody>('POST', `/payments/v1/${paymentId}/mfa/verify`, {
      token: user.token,
      body: { challengeId: challenge.body.challengeId, pin },
    });
  return { paymentId, verify };
}

function codes(answers: readonly ApiAnswer<unknown>[]): string[] {
  return answers.map((answer) =>
    `${answer.status} ${(answer.body as Partial<ErrorBody> | undefined)?.error?.code ?? ''}`.trim(),
  );
}

function count(list: readonly string[], value: string): number {
  return list.filter((entry) => entry === value).length;
}

const stepUpRequired = (user: User) => ({
  error: {
    code: 'STEP_UP_REQUIRED',
    details: expect.objectContaining({
      challengeUrl: `${apiUrl()}/payments/v1/user/${user.path}/mfa/step-up`,
    }),
  },
});

describe('Stack: step-up', () => {
  describe('Route: POST /payments/v1/user/{userId}/mfa/step-up', () => {
    it('answers 201 with a token good for five minutes, which replaces the PIN once', async () => {
      // Arrange
      const user = await withPin(0);

      // Act
      const minted = await stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: PIN });
      const first = await replacePin(user, minted.body.stepUpToken);
      const second = await replacePin(user, minted.body.stepUpToken, '246802');

      // Assert
      expect(minted.status).toBe(201);
      expect(Object.keys(minted.body).sort()).toEqual(['expiresAt', 'stepUpToken']);
      const lifetime = Date.parse(minted.body.expiresAt) - Date.now();
      expect(lifetime).toBeGreaterThan(240_000);
      expect(lifetime).toBeLessThanOrEqual(300_000);
      expect(first.status).toBe(200);
      expect(second.status).toBe(428);
      expect(second.body).toMatchObject(stepUpRequired(user));
    });

    it('answers 401 MFA_FAILED with the attempts left before the lockout for a wrong PIN', async () => {
      // Arrange
      const user = await withPin(0);

      // Act
      const answer = await stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: WRONG_PIN });

      // Assert
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 4 } });
    });

    it("answers 403 for another user's path, even with that user's PIN", async () => {
      // Arrange
      const alice = await withPin(0);
      const mallory = await newUser();

      // Act
      const answer = await stepUp(
        alice,
        { purpose: 'factors', method: 'transaction_pin', pin: PIN },
        mallory,
      );

      // Assert
      expect(answer.status).toBe(403);
    });

    it('approves with a device signature over a step-up nonce, once', async () => {
      // Arrange
      const user = await withPin(0);
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const enrolled = await call('POST', `/payments/v1/user/${user.path}/mfa/devices`, {
        token: user.token,
        headers: { 'x-step-up-token': await tokenOf(user) },
        body: {
          deviceId: 'phone',
          publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        },
      });
      expect(enrolled.status).toBe(201);
      const scope = { purpose: 'transfer', amount: 9_000, currency: 'USD' };
      const challenge = await call<{ nonce: string }>(
        'POST',
        `/payments/v1/user/${user.path}/mfa/step-up/challenge`,
        { token: user.token, body: scope },
      );
      const signature = sign('sha256', Buffer.from(challenge.body.nonce, 'utf8'), privateKey).toString(
        'base64',
      );

      // Act
      const first = await stepUp(user, { ...scope, method: 'biometric', signature });
      const replay = await stepUp(user, { ...scope, method: 'biometric', signature });

      // Assert
      expect(challenge.status).toBe(201);
      expect(challenge.body.nonce).toMatch(/^tween-step-up:v1:transfer:9000:USD:/);
      expect(first.status).toBe(201);
      expect(codes([replay])).toEqual(['409 INVALID_STATE_TRANSITION']);
    });
  });

  describe('Changing factors', () => {
    it('needs no token for the first PIN, then answers 428 without one', async () => {
      // Arrange
      const user = await withPin(0);

      // Act
      const answer = await replacePin(user);
      const totp = await call<ErrorBody>('POST', `/payments/v1/user/${user.path}/mfa/totp`, {
        token: user.token,
      });

      // Assert
      expect(answer.status).toBe(428);
      expect(answer.body).toMatchObject(stepUpRequired(user));
      expect(totp.status).toBe(428);
    });

    it('answers 428 for a spent, expired or mismatched token', async () => {
      // Arrange
      const alice = await withPin(0);
      const bob = await withPin(0);
      const expired = await tokenOf(alice);
      await localDocumentClient().send(
        new UpdateCommand({
          TableName: TABLE_NAME,
          Key: stepUpTokenKey(hashStepUpToken(expired)),
          UpdateExpression: 'SET tokenExpiresAt = :past',
          ExpressionAttributeValues: { ':past': new Date(Date.now() - 1).toISOString() },
        }),
      );
      const forTransfer = await tokenOf(alice, { purpose: 'transfer', amount: 6_000, currency: 'USD' });
      const bobs = await tokenOf(bob);

      // Act
      const answers = [
        await replacePin(alice, expired),
        await replacePin(alice, forTransfer),
        await replacePin(alice, bobs),
        await replacePin(alice, 'not-a-token'),
      ];

      // Assert
      expect(codes(answers)).toEqual(Array(4).fill('428 STEP_UP_REQUIRED'));
    });

    it('lets exactly one of ten concurrent uses of one token through', async () => {
      // Arrange
      const user = await withPin(0);
      const token = await tokenOf(user);

      // Act
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, n) => replacePin(user, token, `2468${String(n).padStart(2, '0')}`)),
      );

      // Assert
      const seen = codes(answers);
      expect(count(seen, '200')).toBe(1);
      expect(count(seen, '428 STEP_UP_REQUIRED')).toBe(9);
    });
  });

  describe('P2P transfers and gifts above the MFA threshold', () => {
    it('answers 428 and reserves nothing without a token; 201 at the threshold without one', async () => {
      // Arrange
      const sender = await withPin();
      const recipient = await newUser();
      const roomId = await newRoom(sender, recipient);

      // Act
      const above = await initiate(sender, recipient, roomId, 5_001);
      const at = await initiate(sender, recipient, roomId, 5_000);

      // Assert
      expect(above.status).toBe(428);
      expect(above.body).toMatchObject(stepUpRequired(sender));
      expect(above.body.error.details).toMatchObject({ purpose: 'transfer', amount: 5_001, currency: 'USD' });
      expect(at.status).toBe(201);
      expect(await available(sender)).toBe(25_000);
    });

    it('sends with a token for exactly that amount, and refuses one for another amount or caller', async () => {
      // Arrange
      const sender = await withPin();
      const other = await withPin(0);
      const recipient = await newUser();
      const roomId = await newRoom(sender, recipient);
      const wrongAmount = await tokenOf(sender, { purpose: 'transfer', amount: 6_001, currency: 'USD' });
      const othersToken = await tokenOf(other, { purpose: 'transfer', amount: 6_000, currency: 'USD' });
      const factors = await tokenOf(sender);
      const right = await tokenOf(sender, { purpose: 'transfer', amount: 6_000, currency: 'USD' });

      // Act
      const refused = [
        await initiate(sender, recipient, roomId, 6_000, wrongAmount),
        await initiate(sender, recipient, roomId, 6_000, othersToken),
        await initiate(sender, recipient, roomId, 6_000, factors),
      ];
      const sent = await initiate(sender, recipient, roomId, 6_000, right);
      const again = await initiate(sender, recipient, roomId, 6_000, right);

      // Assert
      expect(codes(refused)).toEqual(Array(3).fill('428 STEP_UP_REQUIRED'));
      expect(sent.status).toBe(201);
      expect(codes([again])).toEqual(['428 STEP_UP_REQUIRED']);
      expect(await available(sender)).toBe(24_000);
    });

    it('creates a gift above the threshold only with a token for its total', async () => {
      // Arrange
      const creator = await withPin();
      const roomId = await newRoom(creator);
      const token = await tokenOf(creator, { purpose: 'transfer', amount: 8_000, currency: 'USD' });

      // Act
      const without = await createGift(creator, roomId, 8_000);
      const withToken = await createGift(creator, roomId, 8_000, token);

      // Assert
      expect(codes([without])).toEqual(['428 STEP_UP_REQUIRED']);
      expect(withToken.status).toBe(201);
      expect(await available(creator)).toBe(22_000);
    });
  });

  describe('Lockout', () => {
    it('checks at most five of twenty wrong step-ups sent at once, then refuses even the right PIN', async () => {
      // Arrange
      const user = await withPin(0);

      // Act
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: WRONG_PIN }),
        ),
      );
      const right = await stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: PIN });

      // Assert
      const seen = codes(answers);
      expect(count(seen, '401 MFA_FAILED')).toBeLessThanOrEqual(5);
      expect(count(seen, '401 MFA_FAILED') + count(seen, '429 MFA_LOCKED')).toBe(20);
      expect(codes([right])).toEqual(['429 MFA_LOCKED']);
    });

    it('checks at most five of twenty wrong payment PINs sent at once across four payments', async () => {
      // Arrange
      const user = await withPin();
      const payments: Awaited<ReturnType<typeof challengedPayment>>[] = [];
      for (let n = 0; n < 4; n += 1) payments.push(await challengedPayment(user));

      // Act
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, n) => payments[n % payments.length]?.verify(WRONG_PIN)),
      );

      // Assert
      const seen = codes(answers.flatMap((answer) => (answer === undefined ? [] : [answer])));
      expect(seen).toHaveLength(20);
      expect(count(seen, '401 MFA_FAILED')).toBeLessThanOrEqual(5);
      expect(seen.filter((code) => code !== '401 MFA_FAILED' && code !== '429 MFA_LOCKED')).toEqual(
        seen.filter((code) => code === '409 INVALID_STATE_TRANSITION'),
      );
      const later = await stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: PIN });
      expect(codes([later])).toEqual(['429 MFA_LOCKED']);
    });

    it('shares the lockout with payment challenges: three wrong payment PINs and two wrong step-ups lock both', async () => {
      // Arrange
      const user = await withPin();
      const payment = await challengedPayment(user);
      const wrongStepUp = () =>
        stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: WRONG_PIN });
      const failures = [
        await payment.verify(WRONG_PIN),
        await wrongStepUp(),
        await payment.verify(WRONG_PIN),
        await wrongStepUp(),
      ];
      const other = await challengedPayment(user);

      // Act
      const fifth = await other.verify(WRONG_PIN);
      const stepUpAfter = await stepUp(user, { purpose: 'factors', method: 'transaction_pin', pin: PIN });
      const verifyAfter = await other.verify(PIN);

      // Assert
      expect(codes(failures)).toEqual(Array(4).fill('401 MFA_FAILED'));
      expect(codes([fifth, stepUpAfter, verifyAfter])).toEqual([
        '401 MFA_FAILED',
        '429 MFA_LOCKED',
        '429 MFA_LOCKED',
      ]);
    });
  });
});
