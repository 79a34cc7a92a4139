/**
 * State and money are one fact (API.md): whenever a read shows a payment or a transfer in a terminal or
 * settled state, every balance read after it shows that state's money moved, and whenever a balance shows
 * the money moved, every read of the entity after it shows the state. Many clients poll the entity and the
 * balances in one loop while the flow runs over HTTP on the local stack (the real ASL lifecycles); a read
 * of one without the other is a violation.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { call, tokenFor } from '../support/api.js';
import { ledgerProblems } from '../support/ledger.js';

const POLLERS = 6;
const DEADLINE_MS = 45_000;
// A flow, its watch and the checks after it, on a loaded machine: more than the project's 60 s default.
jest.setTimeout(DEADLINE_MS + 45_000);
const PIN = '246810';
const WRONG_PIN = '135790';

interface User {
  userId: string;
  token: string;
  path: string;
}

interface Balance {
  available: number;
  pending: number;
  total: number;
}

async function newUser(): Promise<User> {
  const userId = `@sm${randomUUID().slice(0, 8)}:tween.example`;
  return { userId, token: await tokenFor(userId), path: encodeURIComponent(userId) };
}

async function fundedUser(amount: number): Promise<User> {
  const user = await newUser();
  const topup = await call('POST', '/wallet/v1/topup', {
    token: user.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount, currency: 'USD', paymentMethod: { type: 'card', id: 'pm_card_visa' } },
  });
  expect(topup.status).toBe(201);
  return user;
}

async function balanceOf(user: User): Promise<Balance> {
  const answer = await call<{ balances: (Balance & { currency: string })[] }>(
    'GET',
    `/payments/v1/user/${user.path}/balance`,
    { token: user.token },
  );
  const usd = answer.body.balances.find((balance) => balance.currency === 'USD');
  return usd ?? { available: 0, pending: 0, total: 0 };
}

/** What one read of an entity says: whether it is in the state whose money we watch for, and its state. */
interface EntityRead {
  state: string;
  settled: boolean;
}

/**
 * POLLERS clients, each in a loop: the money, then the entity, then the money again. The money seen moved
 * before an entity read that is not settled, or an entity read settled followed by money not moved, is a
 * violation. Every client stops one round after it saw the entity settled (or at the deadline).
 */
async function watch(
  readEntity: () => Promise<EntityRead>,
  moneyMoved: () => Promise<boolean>,
): Promise<{ violations: string[]; rounds: number }> {
  const violations: string[] = [];
  let rounds = 0;
  let settled = 0;
  const deadline = Date.now() + DEADLINE_MS;
  const client = async () => {
    let settledRounds = 0;
    while (settledRounds < 2 && Date.now() < deadline) {
      const movedBefore = await moneyMoved();
      const entity = await readEntity();
      const movedAfter = await moneyMoved();
      rounds += 1;
      if (movedBefore && !entity.settled)
        violations.push(`money moved, then the entity read ${entity.state}`);
      if (entity.settled && !movedAfter)
        violations.push(`the entity read ${entity.state}, then no money moved`);
      if (entity.settled) settledRounds += 1;
    }
    if (settledRounds > 0) settled += 1;
  };
  await Promise.all(Array.from({ length: POLLERS }, client));
  // A watch that ran out of time before the flow ended proves nothing: say so.
  if (settled < POLLERS) violations.push(`${POLLERS - settled} of ${POLLERS} clients never saw it settle`);
  return { violations, rounds };
}

describe('Stack: state and money together', () => {
  afterAll(async () => {
    expect(await ledgerProblems()).toEqual([]);
  });

  describe('Payments', () => {
    interface PaymentBody {
      paymentId: string;
      state: string;
      status: string;
      error?: { code: string };
    }

    function requestPayment(payer: User, value: number) {
      return call<PaymentBody>('POST', '/api/v1/payments/request', {
        token: payer.token,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          appId: 'app_demo',
          paymentMethod: { type: 'wallet' },
          description: 'Coffee',
          amount: { value, currency: 'USD' },
        },
      });
    }

    function readPayment(payer: User, paymentId: string, settledIn: string) {
      return async (): Promise<EntityRead> => {
        const answer = await call<PaymentBody>('GET', `/api/v1/payments/${paymentId}`, {
          token: payer.token,
        });
        return { state: answer.body.state, settled: answer.body.state === settledIn };
      };
    }

    async function withPin(payer: User): Promise<void> {
      const answer = await call('PUT', `/payments/v1/user/${payer.path}/mfa/pin`, {
        token: payer.token,
        body: { pin: PIN },
      });
      expect(answer.status).toBeLessThan(300);
    }

    async function mfaPayment(payer: User, value: number): Promise<PaymentBody> {
      await withPin(payer);
      const answer = await requestPayment(payer, value);
      expect(answer.body.state).toBe('MFA_Required');
      return answer.body;
    }

    async function execution(paymentId: string) {
      return (await call<{ status: string }>('GET', `/local/executions/${paymentId}`)).body;
    }

    it('never shows a payment Failed by MFA with its hold still held, nor the hold released before', async () => {
      // Arrange
      const payer = await fundedUser(10_000);
      const payment = await mfaPayment(payer, 6_000);
      const started = await call<{ challengeId: string }>(
        'POST',
        `/payments/v1/${payment.paymentId}/mfa/challenge`,
        { token: payer.token, body: { method: 'transaction_pin' } },
      );
      const released = async () => (await balanceOf(payer)).available === 10_000;

      // Act
      const watching = watch(readPayment(payer, payment.paymentId, 'Failed'), released);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await call('POST', `/payments/v1/${payment.paymentId}/mfa/verify`, {
          token: payer.token,
          body: { challengeId: started.body.challengeId, pin: WRONG_PIN },
        });
      }
      const { violations, rounds } = await watching;

      // Assert
      expect(violations).toEqual([]);
      expect(rounds).toBeGreaterThanOrEqual(POLLERS * 2);
      expect(await balanceOf(payer)).toMatchObject({ available: 10_000, pending: 0, total: 10_000 });
    });

    it('never shows a wallet payment Completed before its hold is posted, nor posted before Completed', async () => {
      // Arrange
      const payer = await fundedUser(10_000);
      const posted = async () => {
        const balance = await balanceOf(payer);
        return balance.pending === 0 && balance.total === 8_000;
      };

      // Act
      const payment = await requestPayment(payer, 2_000);
      const { violations } = await watch(readPayment(payer, payment.body.paymentId, 'Completed'), posted);

      // Assert
      expect(violations).toEqual([]);
      expect(await balanceOf(payer)).toMatchObject({ available: 8_000, pending: 0, total: 8_000 });
    });

    it('cancels a payment waiting for MFA: 200 cancelled with the hold released at once, the execution ended', async () => {
      // Arrange
      const payer = await fundedUser(10_000);
      const payment = await mfaPayment(payer, 6_000);
      const released = async () => (await balanceOf(payer)).available === 10_000;

      // Act
      const watching = watch(readPayment(payer, payment.paymentId, 'Failed'), released);
      const answer = await call<PaymentBody>('POST', `/api/v1/payments/${payment.paymentId}/cancel`, {
        token: payer.token,
      });
      const balanceRightAfter = await balanceOf(payer);
      const { violations } = await watching;

      // Assert
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ state: 'Failed', status: 'cancelled' });
      expect(balanceRightAfter).toMatchObject({ available: 10_000, pending: 0 });
      expect(violations).toEqual([]);
      await expect(eventually(async () => (await execution(payment.paymentId)).status)).resolves.not.toBe(
        'RUNNING',
      );
    });

    it('answers 409 to a cancel once the payment has completed, and moves no money', async () => {
      // Arrange
      const payer = await fundedUser(5_000);
      const payment = await requestPayment(payer, 1_000);
      await eventually(async () => {
        const read = await readPayment(payer, payment.body.paymentId, 'Completed')();
        if (!read.settled) throw new Error(`still ${read.state}`);
        return read.state;
      });

      // Act
      const answer = await call<PaymentBody>('POST', `/api/v1/payments/${payment.body.paymentId}/cancel`, {
        token: payer.token,
      });

      // Assert
      expect(answer.status).toBe(409);
      expect(answer.body.error?.code).toBe('INVALID_STATE_TRANSITION');
      expect(await balanceOf(payer)).toMatchObject({ available: 4_000, pending: 0, total: 4_000 });
    });
  });

  describe('P2P transfers', () => {
    interface TransferBody {
      transfer_id: string;
      status: string;
    }

    async function pairInRoom() {
      const sender = await fundedUser(10_000);
      const recipient = await newUser();
      const roomId = `!sm${randomUUID().slice(0, 8)}:tween.example`;
      for (const member of [sender, recipient]) {
        await call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${member.path}`);
      }
      const initiated = await call<TransferBody>('POST', '/wallet/v1/p2p/initiate', {
        token: sender.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { recipient: recipient.userId, amount: 3_000, currency: 'USD', room_id: roomId },
      });
      expect(initiated.status).toBe(201);
      return { sender, recipient, transferId: initiated.body.transfer_id };
    }

    function readTransfer(reader: User, transferId: string, settledIn: string) {
      return async (): Promise<EntityRead> => {
        const answer = await call<TransferBody>('GET', `/wallet/v1/p2p/${transferId}`, {
          token: reader.token,
        });
        return { state: answer.body.status, settled: answer.body.status === settledIn };
      };
    }

    it('never shows a transfer completed before the recipient has the money, nor the money before', async () => {
      // Arrange
      const { sender, recipient, transferId } = await pairInRoom();
      const received = async () => (await balanceOf(recipient)).available === 3_000;

      // Act
      const watching = watch(readTransfer(sender, transferId, 'completed'), received);
      const answer = await call<TransferBody>('POST', `/wallet/v1/p2p/${transferId}/accept`, {
        token: recipient.token,
      });
      const { violations } = await watching;

      // Assert
      expect(answer.body.status).toBe('completed');
      expect(violations).toEqual([]);
      expect(await balanceOf(sender)).toMatchObject({ available: 7_000, pending: 0, total: 7_000 });
    });

    it.each([
      ['rejected', 'reject'],
      ['cancelled', 'cancel'],
    ] as const)(
      'never shows a transfer %s before the sender has the money back, nor after',
      async (status, decision) => {
        // Arrange
        const { sender, recipient, transferId } = await pairInRoom();
        const returned = async () => (await balanceOf(sender)).available === 10_000;
        const actor = decision === 'reject' ? recipient : sender;

        // Act
        const watching = watch(readTransfer(sender, transferId, status), returned);
        const answer = await call<TransferBody>('POST', `/wallet/v1/p2p/${transferId}/${decision}`, {
          token: actor.token,
        });
        const { violations } = await watching;

        // Assert
        expect(answer.body.status).toBe(status);
        expect(violations).toEqual([]);
        expect(await balanceOf(recipient)).toMatchObject({ available: 0, total: 0 });
      },
    );

    it('never shows a transfer expired before the sender has the money back, nor after', async () => {
      // Arrange
      const { sender, transferId } = await pairInRoom();
      const returned = async () => (await balanceOf(sender)).available === 10_000;

      // Act (the local window is P2P_ACCEPTANCE_WINDOW_SECONDS=8)
      const { violations } = await watch(readTransfer(sender, transferId, 'expired'), returned);

      // Assert
      expect(violations).toEqual([]);
      expect(await balanceOf(sender)).toMatchObject({ available: 10_000, pending: 0 });
    });
  });

  describe('Gifts', () => {
    it('never shows a gift expired before the creator has the remainder back, nor the remainder before', async () => {
      // Arrange
      const creator = await fundedUser(10_000);
      const roomId = `!sm${randomUUID().slice(0, 8)}:tween.example`;
      await call('PUT', `/local/matrix/rooms/${encodeURIComponent(roomId)}/members/${creator.path}`);
      const created = await call<{ gift_id: string }>('POST', '/wallet/v1/gift/create', {
        token: creator.token,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          room_id: roomId,
          total_amount: 1_000,
          currency: 'USD',
          count: 5,
          distribution: 'equal',
          expires_in_seconds: 3,
        },
      });
      expect(created.status).toBe(201);
      const giftId = created.body.gift_id;
      const refunded = async () => (await balanceOf(creator)).available === 10_000;
      const readGift = async (): Promise<EntityRead> => {
        const answer = await call<{ status: string }>('GET', `/wallet/v1/gift/${giftId}`, {
          token: creator.token,
        });
        return { state: answer.body.status, settled: answer.body.status === 'expired' };
      };

      // Act
      const { violations } = await watch(readGift, refunded);

      // Assert
      expect(violations).toEqual([]);
      expect(await balanceOf(creator)).toMatchObject({ available: 10_000, pending: 0, total: 10_000 });
    });
  });
});

/** The value once `read` stops throwing and no longer answers RUNNING (polling, bounded by the deadline). */
async function eventually(read: () => Promise<string>): Promise<string> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    try {
      const value = await read();
      if (value !== 'RUNNING') return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) return 'RUNNING';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
