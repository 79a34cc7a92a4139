/**
 * Mini-app payments over HTTP on the local stack: the request, the lifecycle on the real ASL, wallet
 * holds, refunds, cancellation, the room announcement, and nobody touching anyone else's payment.
 */
import { randomUUID } from 'node:crypto';
import { type ApiAnswer, apiUrl, call, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

interface PaymentBody {
  paymentId: string;
  state: string;
  status: string;
  refundedAmount: number;
  mfa?: { methods: string[]; challengeUrl: string };
  history: { state: string; event: string }[];
  completedAt?: string;
  error?: { code: string };
}

async function newUser(roles: readonly string[] = []) {
  const userId = `@p${randomUUID().slice(0, 8)}:tween.example`;
  const token = await tokenFor(userId, roles.length === 0 ? {} : { roles: [...roles] });
  return { userId, token, path: encodeURIComponent(userId) };
}
type User = Awaited<ReturnType<typeof newUser>>;

async function fundedUser(amount = 10_000): Promise<User> {
  const user = await newUser();
  const topup = await call('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  return user;
}

function requestPayment(user: User, body: Record<string, unknown>, key = randomUUID()) {
  return call<PaymentBody>('POST', '/api/v1/payments/request', {
    token: user.token,
    headers: { 'idempotency-key': key },
    body: { appId: 'app_demo', paymentMethod: { type: 'wallet' }, description: 'Coffee', ...body },
  });
}

const usd = (value: number) => ({ amount: { value, currency: 'USD' } });

async function until(user: User, paymentId: string, states: readonly string[]): Promise<PaymentBody> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, { token: user.token });
    if (states.includes(answer.body.state)) return answer.body;
    if (Date.now() > deadline) throw new Error(`payment ${paymentId} still ${answer.body.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first event of `detailType` about `paymentId` the local bus received (it waits for the outbox relay). */
async function busEvent(detailType: string, paymentId: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call<{ events: Record<string, unknown>[] }>('GET', '/local/events');
    const found = answer.body.events.find(
      (e) => e['detail-type'] === detailType && (e.detail as { paymentId?: string }).paymentId === paymentId,
    );
    if (found !== undefined)
      return { source: found.source, 'detail-type': found['detail-type'], detail: found.detail };
    if (Date.now() > deadline) throw new Error(`no ${detailType} for ${paymentId}`);
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

describe('Stack: payments', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Route: POST /api/v1/payments/request', () => {
    it('completes a $20 wallet payment in its request and moves the money once', async () => {
      // Arrange
      const payer = await fundedUser(10_000);

      // Act
      const answer = await requestPayment(payer, usd(2_000));
      const read = await until(payer, answer.body.paymentId, ['Completed', 'Failed']);

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body.state).toBe('Completed');
      expect(answer.body.status).toBe('completed');
      expect(answer.body.history.map((h) => h.state)).toEqual([
        'Initiated',
        'Validating',
        'Authorized',
        'Processing',
        'Completed',
      ]);
      expect(read).toEqual(answer.body);
      expect(await available(payer)).toBe(8_000);
    });

    it('starts no execution for a payment that never waits, and puts the payment.completed the lifecycle would', async () => {
      // Arrange
      const payer = await fundedUser(5_000);

      // Act
      const answer = await requestPayment(payer, usd(1_000));
      const execution = await call('GET', `/local/executions/${answer.body.paymentId}`);
      const event = await busEvent('payment.completed', answer.body.paymentId);

      // Assert
      expect(answer.body.state).toBe('Completed');
      expect(execution.status).toBe(404);
      expect(event).toEqual({
        source: 'tween.payments',
        'detail-type': 'payment.completed',
        detail: {
          eventId: `payment.completed:${answer.body.paymentId}`,
          occurredAt: answer.body.completedAt,
          paymentId: answer.body.paymentId,
          userId: payer.userId,
          appId: 'app_demo',
          amount: { value: 1_000, currency: 'USD' },
          description: 'Coffee',
          completedAt: answer.body.completedAt,
        },
      });
    });

    it('answers 201 MFA_Required with the methods and the challenge URL above the threshold', async () => {
      // Arrange
      const payer = await fundedUser(10_000);
      await call('PUT', `/payments/v1/user/${payer.path}/mfa/pin`, {
        token: payer.token,
        body: { pin: '246810' },
      });

      // Act
      const answer = await requestPayment(payer, usd(6_000));

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body.state).toBe('MFA_Required');
      expect(answer.body.status).toBe('requires_mfa');
      expect(answer.body.mfa).toEqual({
        methods: ['transaction_pin'],
        challengeUrl: `${apiUrl()}/payments/v1/${answer.body.paymentId}/mfa/challenge`,
      });
      expect(await available(payer)).toBe(4_000);
    });

    it('answers 428 MFA_REQUIRED and reserves nothing when MFA is needed but no factor is enrolled', async () => {
      // Arrange
      const payer = await fundedUser(10_000);

      // Act
      const answer = await requestPayment(payer, usd(6_000));

      // Assert
      expect(answer.status).toBe(428);
      expect(answer.body.error?.code).toBe('MFA_REQUIRED');
      expect(await available(payer)).toBe(10_000);
    });

    it('answers 402 INSUFFICIENT_FUNDS and reserves nothing when the wallet cannot cover it', async () => {
      // Arrange
      const payer = await fundedUser(1_000);

      // Act
      const answer = await requestPayment(payer, usd(1_500));

      // Assert
      expect(answer.status).toBe(402);
      expect(answer.body.error?.code).toBe('INSUFFICIENT_FUNDS');
      expect(await available(payer)).toBe(1_000);
    });

    it('creates one payment and moves its money once when the same request arrives 10 times at once', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const key = randomUUID();

      // Act
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => requestPayment(payer, usd(1_000), key)),
      );

      // Assert
      expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
      const created = answers.filter((a) => a.status === 201);
      expect(new Set(created.map((a) => a.body.paymentId)).size).toBe(1);
      expect(created.every((a) => a.body.state === 'Completed')).toBe(true);
      expect(await available(payer)).toBe(4_000);
    });

    it('announces the completed payment once in its Matrix room', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const roomId = `!shop${randomUUID().slice(0, 8)}:tween.example`;
      await call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${payer.path}`);

      // Act
      const answer = await requestPayment(payer, { ...usd(1_250), roomId });
      await until(payer, answer.body.paymentId, ['Completed']);

      // Assert
      const deadline = Date.now() + 10_000;
      let events: { type: string; content: Record<string, unknown> }[] = [];
      while (Date.now() < deadline) {
        const room = await call<{ events: typeof events }>(
          'GET',
          `/local/matrix/rooms/${encodeURIComponent(roomId)}/events`,
        );
        events = room.body.events;
        if (events.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(events.map((e) => e.type)).toEqual(['m.tween.payment.completed']);
      expect(events[0]?.content).toMatchObject({
        payment_id: answer.body.paymentId,
        payer: { user_id: payer.userId },
        amount: 1_250,
        currency: 'USD',
      });
    });

    it('answers 400 VALIDATION_ERROR to metadata of more than 50 keys, and holds nothing', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v']));

      // Act
      const answer = await requestPayment(payer, { ...usd(1_000), metadata });

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe('VALIDATION_ERROR');
      expect(await available(payer)).toBe(5_000);
    });

    it('answers 403 NOT_ROOM_MEMBER for a room the payer has not joined, holds nothing and posts nothing', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const other = await newUser();
      const roomId = `!shop${randomUUID().slice(0, 8)}:tween.example`;
      await call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${other.path}`);

      // Act
      const answer = await requestPayment(payer, { ...usd(1_250), roomId });

      // Assert
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe('NOT_ROOM_MEMBER');
      expect(await available(payer)).toBe(5_000);
      const room = await call<{ events: unknown[] }>(
        'GET',
        `/local/matrix/rooms/${encodeURIComponent(roomId)}/events`,
      );
      expect(room.body.events).toEqual([]);
    });
  });

  describe('Route: POST /api/v1/payments/{paymentId}/refund', () => {
    it('refunds part, then the rest, and ends Refunded with the money back', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const { body } = await requestPayment(payer, usd(2_000));
      await until(payer, body.paymentId, ['Completed']);
      const ops = await newUser(['ops']);
      const refund = (amount?: number) =>
        call<{ amount: number; payment: PaymentBody }>('POST', `/api/v1/payments/${body.paymentId}/refund`, {
          token: ops.token,
          headers: { 'idempotency-key': randomUUID() },
          body: amount === undefined ? {} : { amount },
        });

      // Act
      const partial = await refund(500);
      const rest = await refund();
      const more = await refund(1);

      // Assert
      expect(partial.status).toBe(201);
      expect(partial.body.payment).toMatchObject({ state: 'Completed', refundedAmount: 500 });
      expect(rest.status).toBe(201);
      expect(rest.body.amount).toBe(1_500);
      expect(rest.body.payment).toMatchObject({
        state: 'Refunded',
        status: 'refunded',
        refundedAmount: 2_000,
      });
      expect(more.status).toBe(409);
      expect(await available(payer)).toBe(5_000);
    });

    it('refuses a refund above what is left, and moves nothing', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const { body } = await requestPayment(payer, usd(2_000));
      await until(payer, body.paymentId, ['Completed']);
      const ops = await newUser(['ops']);

      // Act
      const answer = await call<PaymentBody>('POST', `/api/v1/payments/${body.paymentId}/refund`, {
        token: ops.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { amount: 2_001 },
      });

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe('INVALID_AMOUNT');
      expect(await available(payer)).toBe(3_000);
    });

    it.each([
      ['the payer', 'payer'],
      ['another user', 'stranger'],
    ])('refuses %s (no ops role) with 403 FORBIDDEN, and moves nothing', async (_who, caller) => {
      // Arrange
      const payer = await fundedUser(5_000);
      const stranger = await newUser();
      const { body } = await requestPayment(payer, usd(2_000));
      await until(payer, body.paymentId, ['Completed']);

      // Act
      const answer = await call<PaymentBody>('POST', `/api/v1/payments/${body.paymentId}/refund`, {
        token: caller === 'payer' ? payer.token : stranger.token,
        headers: { 'idempotency-key': randomUUID() },
        body: {},
      });

      // Assert
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(answer.body)).not.toContain(payer.userId);
      expect(await until(payer, body.paymentId, ['Completed'])).toMatchObject({ refundedAmount: 0 });
      expect(await available(payer)).toBe(3_000);
    });
  });

  describe('Route: POST /api/v1/payments/{paymentId}/cancel', () => {
    it('answers 409 INVALID_STATE_TRANSITION when the payment is already completed', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const { body } = await requestPayment(payer, usd(1_000));
      await until(payer, body.paymentId, ['Completed']);

      // Act
      const answer = await call<PaymentBody>('POST', `/api/v1/payments/${body.paymentId}/cancel`, {
        token: payer.token,
      });

      // Assert
      expect(answer.status).toBe(409);
      expect(answer.body.error?.code).toBe('INVALID_STATE_TRANSITION');
    });
  });

  describe('Authorization: another user', () => {
    it.each([
      ['GET', ''],
      ['POST', '/authorize'],
      ['POST', '/cancel'],
    ])("answers 404 to %s %s on someone else's payment and reveals nothing", async (method, suffix) => {
      // Arrange
      const payer = await fundedUser(5_000);
      const stranger = await newUser();
      const { body } = await requestPayment(payer, usd(1_000));
      await until(payer, body.paymentId, ['Completed']);

      // Act
      const answer: ApiAnswer<PaymentBody> = await call(
        method,
        `/api/v1/payments/${body.paymentId}${suffix}`,
        {
          token: stranger.token,
          headers: { 'idempotency-key': randomUUID() },
          ...(method === 'POST' ? { body: {} } : {}),
        },
      );

      // Assert
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain(payer.userId);
      expect(await available(payer)).toBe(4_000);
    });
  });
});
