/**
 * Wallets over HTTP, as an app uses them: card top-ups through the Stripe-compatible server, balances,
 * history with cursors, saved cards, idempotency, and nobody reading anyone else's wallet.
 */
import { randomUUID } from 'node:crypto';
import { type ApiAnswer, call, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

interface Balance {
  walletId: string;
  balances: { currency: string; available: number; pending: number; total: number }[];
}
interface TopupBody {
  topupId: string;
  status: string;
  amount: number;
  currency: string;
  nextAction?: { url: string };
}
interface ErrorBody {
  error: { code: string; details?: Record<string, unknown> };
}
interface Page {
  items: { transferId: string; type: string; amount: number; direction: string; status: string }[];
  nextCursor: string | null;
}

async function newUser() {
  const userId = `@u${randomUUID().slice(0, 8)}:tween.example`;
  return { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
}

type User = Awaited<ReturnType<typeof newUser>>;

/** `key: null` sends no Idempotency-Key at all. */
function topup(user: User, body: unknown, key: string | null = randomUUID()) {
  return call<TopupBody & ErrorBody>('POST', '/wallet/v1/topup', {
    token: user.token,
    body,
    ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
  });
}

const visa = (amount: number, currency = 'USD') => ({
  amount,
  currency,
  paymentMethod: { type: 'card', id: 'pm_card_visa' },
});

async function available(user: User, currency = 'USD'): Promise<number> {
  const answer = await call<Balance>('GET', `/payments/v1/user/${user.path}/balance`, { token: user.token });
  return answer.body.balances.find((b) => b.currency === currency)?.available ?? 0;
}

describe('Stack: wallets', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Route: POST /wallet/v1/topup', () => {
    it('credits the wallet and answers 201 succeeded when the card is charged', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, visa(10_000));

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ status: 'succeeded', amount: 10_000, currency: 'USD' });
      expect(answer.body.topupId).toMatch(/^tu_/);
      expect(await available(user)).toBe(10_000);
    });

    it.each([
      ['JPY', 1050],
      ['KWD', 1050],
      ['EUR', 1],
    ])('keeps %s amounts exact in minor units', async (currency, amount) => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, visa(amount, currency));

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body.amount).toBe(amount);
      expect(await available(user, currency)).toBe(amount);
    });

    it.each([
      ['pm_card_chargeDeclined', 402, 'PAYMENT_DECLINED'],
      ['pm_card_insufficientFunds', 402, 'PAYMENT_DECLINED'],
      ['pm_card_expired', 400, 'EXPIRED_CARD'],
    ])('answers %s with %i %s and changes no balance', async (card, status, code) => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, {
        amount: 5_000,
        currency: 'USD',
        paymentMethod: { type: 'card', id: card },
      });

      // Assert
      expect(answer.status).toBe(status);
      expect(answer.body.error.code).toBe(code);
      expect(await available(user)).toBe(0);
    });

    it('leaves the top-up waiting with a next action and the balance unchanged when the card needs 3-D Secure', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, {
        amount: 7_000,
        currency: 'USD',
        paymentMethod: { type: 'card', id: 'pm_card_authenticationRequired' },
      });

      // Assert
      expect(answer.status).toBe(201);
      expect(answer.body.status).toBe('requires_action');
      expect(answer.body.nextAction?.url).toEqual(expect.any(String));
      expect(await available(user)).toBe(0);
    });

    it('answers 400 VALIDATION_ERROR for a payment method the provider does not know', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, {
        amount: 100,
        currency: 'USD',
        paymentMethod: { type: 'card', id: 'pm_nope' },
      });

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_ERROR');
    });

    it.each([
      ['a float', 10.5],
      ['a string', '1000'],
      ['a negative', -100],
      ['zero', 0],
      ['an amount over the maximum', 100_000_000_000],
      ['a missing amount', undefined],
    ])('answers 400 INVALID_AMOUNT for %s and moves nothing', async (_, amount) => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, {
        amount,
        currency: 'USD',
        paymentMethod: { type: 'card', id: 'pm_card_visa' },
      });

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_AMOUNT');
      expect(await available(user)).toBe(0);
    });

    it.each(['XYZ', 'CHF', 'usd', 'XAU'])('answers 400 UNSUPPORTED_CURRENCY for %s', async (currency) => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, visa(100, currency));

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('UNSUPPORTED_CURRENCY');
    });

    it('refuses fields it does not know instead of assigning them', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, { ...visa(100), status: 'succeeded', walletId: 'tw_someone' });

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_ERROR');
    });

    it('answers 400 IDEMPOTENCY_KEY_MISSING without an Idempotency-Key and charges nothing', async () => {
      // Arrange
      const user = await newUser();

      // Act
      const answer = await topup(user, visa(100), null);

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('IDEMPOTENCY_KEY_MISSING');
      expect(await available(user)).toBe(0);
    });

    it('replays the identical answer and moves money once when the request is retried', async () => {
      // Arrange
      const user = await newUser();
      const key = randomUUID();

      // Act
      const first = await topup(user, visa(2_500), key);
      const retry = await topup(user, visa(2_500), key);

      // Assert
      expect(retry.status).toBe(first.status);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await available(user)).toBe(2_500);
    });

    it('moves money once when 10 requests with one key arrive at once', async () => {
      // Arrange
      const user = await newUser();
      const key = randomUUID();

      // Act
      const answers = await Promise.all(Array.from({ length: 10 }, () => topup(user, visa(1_000), key)));

      // Assert
      expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
      expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
      expect(await available(user)).toBe(1_000);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED when the key comes back with another body', async () => {
      // Arrange
      const user = await newUser();
      const key = randomUUID();
      await topup(user, visa(1_000), key);

      // Act
      const reuse = await topup(user, visa(9_000), key);

      // Assert
      expect(reuse.status).toBe(422);
      expect(reuse.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await available(user)).toBe(1_000);
    });

    it('replays a decline when it is retried with the same key', async () => {
      // Arrange
      const user = await newUser();
      const key = randomUUID();
      const declined = {
        amount: 500,
        currency: 'USD',
        paymentMethod: { type: 'card', id: 'pm_card_chargeDeclined' },
      };
      const first = await topup(user, declined, key);

      // Act
      const retry = await topup(user, declined, key);

      // Assert
      expect(first.status).toBe(402);
      expect(retry.status).toBe(402);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
    });
  });

  describe('Route: GET /payments/v1/user/{userId}/transactions', () => {
    it('pages through the history newest first with a cursor', async () => {
      // Arrange
      const user = await newUser();
      for (const amount of [100, 200, 300]) await topup(user, visa(amount));

      // Act
      const first = await call<Page>('GET', `/payments/v1/user/${user.path}/transactions?limit=2`, {
        token: user.token,
      });
      const cursor = encodeURIComponent(first.body.nextCursor ?? '');
      const second = await call<Page>(
        'GET',
        `/payments/v1/user/${user.path}/transactions?limit=2&cursor=${cursor}`,
        {
          token: user.token,
        },
      );

      // Assert
      expect(first.body.items.map((i) => i.amount)).toEqual([300, 200]);
      expect(second.body.items.map((i) => [i.amount, i.type, i.direction, i.status])).toEqual([
        [100, 'topup', 'credit', 'posted'],
      ]);
      expect(second.body.nextCursor).toBeNull();
    });

    it("answers 400 for a tampered cursor and for a cursor of another user's list", async () => {
      // Arrange
      const alice = await newUser();
      const bob = await newUser();
      for (const user of [alice, bob]) for (const amount of [100, 200]) await topup(user, visa(amount));
      const bobs = await call<Page>('GET', `/payments/v1/user/${bob.path}/transactions?limit=1`, {
        token: bob.token,
      });
      const bobCursor = bobs.body.nextCursor ?? '';
      const tampered = `${bobCursor.slice(0, -2)}xx`;

      // Act
      const foreign = await call<ErrorBody>(
        'GET',
        `/payments/v1/user/${alice.path}/transactions?cursor=${encodeURIComponent(bobCursor)}`,
        {
          token: alice.token,
        },
      );
      const forged = await call<ErrorBody>(
        'GET',
        `/payments/v1/user/${bob.path}/transactions?cursor=${encodeURIComponent(tampered)}`,
        {
          token: bob.token,
        },
      );

      // Assert
      expect(foreign.status).toBe(400);
      expect(forged.status).toBe(400);
      expect(JSON.stringify(foreign.body)).not.toContain(bob.userId);
    });
  });

  describe('Route: GET /payments/v1/user/{userId}/payment-methods', () => {
    it('lists the wallet and the card the user topped up with', async () => {
      // Arrange
      const user = await newUser();
      await topup(user, visa(100));

      // Act
      const answer = await call<{ items: { type: string; brand?: string; last4?: string }[] }>(
        'GET',
        `/payments/v1/user/${user.path}/payment-methods`,
        { token: user.token },
      );

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body.items[0]?.type).toBe('wallet');
      expect(answer.body.items.slice(1)).toEqual([
        expect.objectContaining({ type: 'card', brand: 'visa', last4: '4242' }),
      ]);
    });
  });

  describe('Authorization: another user', () => {
    it.each(['balance', 'transactions', 'payment-methods'])(
      'answers 403 FORBIDDEN and nothing of the owner when someone else asks for their %s',
      async (resource) => {
        // Arrange
        const alice = await newUser();
        const mallory = await newUser();
        await topup(alice, visa(4_200));

        // Act
        const answer: ApiAnswer<ErrorBody> = await call(
          'GET',
          `/payments/v1/user/${alice.path}/${resource}`,
          {
            token: mallory.token,
          },
        );

        // Assert
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('FORBIDDEN');
        expect(JSON.stringify(answer.body)).not.toMatch(/4200|tw_/);
      },
    );

    it('answers 401 without a token', async () => {
      // Act
      const answer = await call<ErrorBody>('GET', '/payments/v1/user/%40a%3Atween.example/balance');

      // Assert
      expect(answer.status).toBe(401);
    });
  });
});
