import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { generateSync } from 'otplib';
import { enrolDevice } from '../../../../shared/app/mfa/enrol-device.js';
import { enrolPin } from '../../../../shared/app/mfa/enrol-pin.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../../../shared/app/mfa/enrol-totp.js';
import { startChallenge } from '../../../../shared/app/mfa/start-challenge.js';
import { type MfaAnswer, verifyChallenge } from '../../../../shared/app/mfa/verify-challenge.js';
import { MFA_FAILED_ERROR } from '../../../../shared/app/payments/lifecycle.js';
import { NotFoundError } from '../../../../shared/domain/errors.js';
import { accounts, checkLedgerInvariant } from '../../../../shared/domain/ledger.js';
import { MfaFailedError, MfaLockedError, type MfaMethod } from '../../../../shared/domain/mfa.js';
import { paymentTransferIds } from '../../../../shared/domain/payment.js';
import { ALICE, BOB, mfaWorld, PIN, TASK_TOKEN_PREFIX, WRONG_PIN } from './fakes.js';

type World = ReturnType<typeof mfaWorld>;

async function withPin(world: World = mfaWorld()): Promise<World> {
  await enrolPin({ callerId: ALICE, userId: ALICE, pin: PIN }, world.deps);
  return world;
}

/** A payment waiting in MFA_Challenge, and its active challenge. */
async function challenged(world: World, method: MfaMethod = 'transaction_pin') {
  const payment = await world.payment();
  const challenge = await startChallenge({ userId: ALICE, paymentId: payment.paymentId, method }, world.deps);
  const verify = (answer: MfaAnswer, userId = ALICE) =>
    verifyChallenge(
      { userId, paymentId: payment.paymentId, challengeId: challenge.challengeId, answer },
      world.deps,
    );
  return { payment, challenge, verify };
}

async function failureOf(attempt: Promise<unknown>): Promise<unknown> {
  try {
    await attempt;
  } catch (error) {
    return error;
  }
  throw new Error('The attempt succeeded');
}

describe('Use case: verifyChallenge', () => {
  describe('Factor: transaction PIN', () => {
    it('authorizes the payment as the payer, sets mfaMethod and resumes the waiting task when the PIN is right', async () => {
      // Arrange
      const world = await withPin();
      const { payment, challenge, verify } = await challenged(world);

      // Act
      const result = await verify({ pin: PIN });

      // Assert
      expect(result.payment.state).toBe('Authorized');
      expect(result.payment.mfaMethod).toBe('transaction_pin');
      expect(result.payment.history.slice(-2)).toEqual([
        expect.objectContaining({ state: 'MFA_Verified', event: 'mfa_verified', actor: ALICE }),
        expect.objectContaining({ state: 'Authorized', event: 'authorized', actor: ALICE }),
      ]);
      expect(world.workflows.resumed).toEqual([
        { taskToken: `${TASK_TOKEN_PREFIX}${payment.paymentId}`, output: { state: 'Authorized' } },
      ]);
      expect(world.challenges.peek(challenge.challengeId)).toMatchObject({ status: 'verified', attempts: 1 });
      expect(world.attempts.failures(ALICE)).toEqual([]);
    });

    it('authorizes without resuming anything when the lifecycle has not stored its token yet', async () => {
      // Arrange
      const world = await withPin();
      await world.payment({ paymentId: 'pay_early' }, { tokenStored: false });
      const challenge = await startChallenge(
        { userId: ALICE, paymentId: 'pay_early', method: 'transaction_pin' },
        world.deps,
      );

      // Act
      const result = await verifyChallenge(
        { userId: ALICE, paymentId: 'pay_early', challengeId: challenge.challengeId, answer: { pin: PIN } },
        world.deps,
      );

      // Assert
      expect(result.payment.state).toBe('Authorized');
      expect(world.workflows.resumed).toEqual([]);
    });

    it('answers MFA_FAILED with 2 attempts left, counts the attempt and moves the payment to MFA_Failed when the PIN is wrong', async () => {
      // Arrange
      const world = await withPin();
      const { payment, challenge, verify } = await challenged(world);

      // Act
      const error = await failureOf(verify({ pin: WRONG_PIN }));

      // Assert
      expect(error).toBeInstanceOf(MfaFailedError);
      expect(error).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 2 } });
      expect(world.challenges.peek(challenge.challengeId)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(world.payments.peek(payment.paymentId)?.state).toBe('MFA_Failed');
      expect(world.attempts.failures(ALICE)).toEqual([
        { subject: `payment:${payment.paymentId}`, at: world.clock.now().toISOString() },
      ]);
      expect(world.workflows.resumed).toEqual([]);
      expect(world.workflows.failed).toEqual([]);
    });

    it('retries from MFA_Failed before checking, and authorizes when the next PIN is right', async () => {
      // Arrange
      const world = await withPin();
      const { verify } = await challenged(world);
      await failureOf(verify({ pin: WRONG_PIN }));
      await failureOf(verify({ pin: WRONG_PIN }));

      // Act
      const result = await verify({ pin: PIN });

      // Assert
      expect(result.payment.state).toBe('Authorized');
      expect(result.payment.history.map((entry) => entry.event)).toEqual([
        'created',
        'challenge_sent',
        'mfa_failed',
        'retry',
        'mfa_failed',
        'retry',
        'mfa_verified',
        'authorized',
      ]);
      expect(world.workflows.resumed).toHaveLength(1);
    });

    it('fails the payment (mfa_failed) and the waiting task with MfaFailed on the third wrong PIN', async () => {
      // Arrange
      const world = await withPin();
      const { payment, challenge, verify } = await challenged(world);
      await failureOf(verify({ pin: WRONG_PIN }));
      await failureOf(verify({ pin: WRONG_PIN }));

      // Act
      const error = await failureOf(verify({ pin: WRONG_PIN }));

      // Assert
      expect(error).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 0 } });
      const stored = world.payments.peek(payment.paymentId);
      expect(stored?.state).toBe('Failed');
      expect(stored?.failureCode).toBe('mfa_failed');
      expect(stored?.history.at(-1)).toMatchObject({ event: 'max_retries', actor: ALICE });
      expect(world.challenges.peek(challenge.challengeId)).toMatchObject({ status: 'failed', attempts: 3 });
      expect(world.workflows.failed).toEqual([
        {
          taskToken: `${TASK_TOKEN_PREFIX}${payment.paymentId}`,
          error: MFA_FAILED_ERROR,
          cause: 'mfa_failed',
        },
      ]);
      expect(world.workflows.resumed).toEqual([]);
    });

    it('releases the wallet hold in the same write as Failed and takes the task token', async () => {
      // Arrange
      const world = await withPin();
      const { payment, verify } = await challenged(world);
      const wallet = accounts.wallet('tw_alice', 'USD');
      await world.ledger.execute({
        type: 'post',
        id: 'fund-alice',
        debit: accounts.providerClearing('stripe', 'USD'),
        credit: wallet,
        amount: 10_000,
        code: 'topup',
      });
      const holdId = paymentTransferIds.hold(payment.paymentId);
      await world.ledger.execute({
        type: 'pending',
        id: holdId,
        debit: wallet,
        credit: accounts.app('app_demo', 'USD'),
        amount: 6_000,
        code: 'payment',
      });
      await failureOf(verify({ pin: WRONG_PIN }));
      await failureOf(verify({ pin: WRONG_PIN }));

      // Act
      await failureOf(verify({ pin: WRONG_PIN }));

      // Assert
      const stored = world.payments.peek(payment.paymentId);
      expect(stored?.state).toBe('Failed');
      expect(stored?.taskToken).toBeUndefined();
      expect(await world.ledger.transfer(holdId)).toMatchObject({ state: 'voided' });
      expect(await world.ledger.account(wallet.id)).toMatchObject({
        debitsPending: 0,
        creditsPosted: 10_000,
      });
      expect(checkLedgerInvariant(world.ledger.allAccounts())).toEqual([]);
    });

    it('refuses with INVALID_STATE_TRANSITION, even with the right PIN, after the third failure', async () => {
      // Arrange
      const world = await withPin();
      const { payment, verify } = await challenged(world);
      for (let n = 0; n < 3; n += 1) await failureOf(verify({ pin: WRONG_PIN }));

      // Act
      const error = await failureOf(verify({ pin: PIN }));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(world.payments.peek(payment.paymentId)?.state).toBe('Failed');
    });

    it('refuses with VALIDATION_ERROR, counting nothing, when the answer is of another kind than the method', async () => {
      // Arrange
      const world = await withPin();
      const { challenge, verify } = await challenged(world);

      // Act
      const error = await failureOf(verify({ code: '123456' }));

      // Assert
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { expected: 'pin' } });
      expect(world.challenges.peek(challenge.challengeId)?.attempts).toBe(0);
      expect(world.attempts.failures(ALICE)).toEqual([]);
    });
  });

  describe('Challenge lifetime', () => {
    it('refuses with INVALID_STATE_TRANSITION and counts nothing when the challenge has expired', async () => {
      // Arrange
      const world = await withPin();
      const { challenge, verify } = await challenged(world);
      world.clock.advance(300_000);

      // Act
      const error = await failureOf(verify({ pin: PIN }));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION', message: 'The challenge has expired' });
      expect(world.challenges.peek(challenge.challengeId)?.attempts).toBe(0);
      expect(world.attempts.failures(ALICE)).toEqual([]);
    });

    it('refuses with INVALID_STATE_TRANSITION when the challenge was replaced by a newer one', async () => {
      // Arrange
      const world = await withPin();
      const { payment, verify } = await challenged(world);
      await startChallenge(
        { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
        world.deps,
      );

      // Act
      const error = await failureOf(verify({ pin: PIN }));

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(world.payments.peek(payment.paymentId)?.state).toBe('MFA_Challenge');
    });

    it('answers the payment as it is, moving nothing, when the challenge is already verified', async () => {
      // Arrange
      const world = await withPin();
      const { verify } = await challenged(world);
      const first = await verify({ pin: PIN });

      // Act
      const again = await verify({ pin: PIN });

      // Assert
      expect(again.payment).toEqual(first.payment);
      expect(world.workflows.resumed).toHaveLength(1);
    });
  });

  describe('Lockout', () => {
    it('refuses with MFA_LOCKED, before checking the PIN, after five failures across payments in the last hour', async () => {
      // Arrange
      const world = await withPin();
      const first = await challenged(world);
      await failureOf(first.verify({ pin: WRONG_PIN }));
      await failureOf(first.verify({ pin: WRONG_PIN }));
      const second = await challenged(world);
      await failureOf(second.verify({ pin: WRONG_PIN }));
      await failureOf(second.verify({ pin: WRONG_PIN }));
      const third = await challenged(world);
      await failureOf(third.verify({ pin: WRONG_PIN }));
      world.clock.advance(60_000);

      // Act
      const error = await failureOf(third.verify({ pin: PIN }));

      // Assert
      expect(error).toBeInstanceOf(MfaLockedError);
      expect(error).toMatchObject({ code: 'MFA_LOCKED', details: { retryAfterSeconds: 3540 } });
      expect(world.challenges.peek(third.challenge.challengeId)?.attempts).toBe(1);
      expect(world.attempts.failures(ALICE)).toHaveLength(5);
    });

    it('checks at most five of twenty wrong PINs sent at once across four payments; the rest fail with MFA_LOCKED', async () => {
      // Arrange
      const world = await withPin();
      const challenges: Awaited<ReturnType<typeof challenged>>[] = [];
      for (let n = 0; n < 4; n += 1) challenges.push(await challenged(world));

      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, n) => challenges[n % 4]?.verify({ pin: WRONG_PIN })),
      );

      // Assert
      const codes = outcomes.map((outcome) =>
        outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'ok',
      );
      expect(codes.filter((code) => code === 'MFA_FAILED').length).toBeLessThanOrEqual(5);
      expect(codes).not.toContain('ok');
      expect(world.attempts.failures(ALICE)).toHaveLength(5);
      const attempts = challenges.map(
        ({ challenge }) => world.challenges.peek(challenge.challengeId)?.attempts,
      );
      expect(attempts.reduce((sum, n) => (sum ?? 0) + (n ?? 0), 0)).toBeLessThanOrEqual(5);
    });

    it('lets the payer verify again once the oldest failures have left the hour', async () => {
      // Arrange
      const world = await withPin();
      for (let n = 0; n < 5; n += 1) world.attempts.seedFailure(ALICE, world.clock.now());
      world.clock.advance(3_600_001);
      const { verify } = await challenged(world);

      // Act
      const result = await verify({ pin: PIN });

      // Assert
      expect(result.payment.state).toBe('Authorized');
    });
  });

  describe('Factor: TOTP', () => {
    async function withTotp(world: World): Promise<string> {
      const { secret } = await startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps);
      // Enrolment is confirmed with the code of the previous step, so that the current one is still fresh.
      const earlier = Math.floor(world.clock.now().getTime() / 1000) - 30;
      await confirmTotpEnrolment(
        { callerId: ALICE, userId: ALICE, code: generateSync({ secret, epoch: earlier }) },
        world.deps,
      );
      return secret;
    }

    const codeNow = (world: World, secret: string) =>
      generateSync({ secret, epoch: Math.floor(world.clock.now().getTime() / 1000) });

    it('authorizes with the current code and remembers its step', async () => {
      // Arrange
      const world = mfaWorld();
      const secret = await withTotp(world);
      const { verify } = await challenged(world, 'totp');

      // Act
      const result = await verify({ code: codeNow(world, secret) });

      // Assert
      expect(result.payment.state).toBe('Authorized');
      expect(result.payment.mfaMethod).toBe('totp');
      expect(world.factors.peek(ALICE).totp?.lastUsedStep).toBe(
        Math.floor(world.clock.now().getTime() / 30_000),
      );
    });

    it('refuses a code that was already accepted, as a failed attempt', async () => {
      // Arrange
      const world = mfaWorld();
      const secret = await withTotp(world);
      const code = codeNow(world, secret);
      await (await challenged(world, 'totp')).verify({ code });
      const { payment, verify } = await challenged(world, 'totp');

      // Act
      const error = await failureOf(verify({ code }));

      // Assert
      expect(error).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 2 } });
      expect(world.payments.peek(payment.paymentId)?.state).toBe('MFA_Failed');
    });

    it('accepts one code for only one of two payments verified at the same moment', async () => {
      // Arrange
      const world = mfaWorld();
      const secret = await withTotp(world);
      const code = codeNow(world, secret);
      const first = await challenged(world, 'totp');
      const second = await challenged(world, 'totp');

      // Act
      const outcomes = await Promise.allSettled([first.verify({ code }), second.verify({ code })]);

      // Assert
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      const states = [first.payment, second.payment].map((p) => world.payments.peek(p.paymentId)?.state);
      expect(states.sort()).toEqual(['Authorized', 'MFA_Failed']);
    });
  });

  describe('Factor: biometric', () => {
    function deviceKey(): { spki: string; privateKey: KeyObject } {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
    }

    it("authorizes when the device signs the challenge's nonce with its registered P-256 key", async () => {
      // Arrange
      const world = mfaWorld();
      const device = deviceKey();
      await enrolDevice(
        { callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: device.spki },
        world.deps,
      );
      const { challenge, verify } = await challenged(world, 'biometric');
      const signature = sign('sha256', Buffer.from(challenge.nonce ?? '', 'utf8'), device.privateKey);

      // Act
      const result = await verify({ signature: signature.toString('base64') });

      // Assert
      expect(result.payment.state).toBe('Authorized');
      expect(result.payment.mfaMethod).toBe('biometric');
    });

    it('refuses a signature over another nonce, and one by an unregistered key', async () => {
      // Arrange
      const world = mfaWorld();
      const device = deviceKey();
      await enrolDevice(
        { callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: device.spki },
        world.deps,
      );
      const { challenge, verify } = await challenged(world, 'biometric');
      const otherNonce = (challenge.nonce ?? '').replace(':6000:', ':60:');
      const wrongNonce = sign('sha256', Buffer.from(otherNonce, 'utf8'), device.privateKey).toString(
        'base64',
      );
      const nonce = Buffer.from(challenge.nonce ?? '', 'utf8');
      const wrongKey = sign('sha256', nonce, deviceKey().privateKey).toString('base64');

      // Act
      const first = await failureOf(verify({ signature: wrongNonce }));
      const second = await failureOf(verify({ signature: wrongKey }));

      // Assert
      expect(first).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 2 } });
      expect(second).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 1 } });
    });
    it("refuses a signature over the same payment's nonce naming another app (no replay across apps)", async () => {
      // Arrange
      const world = mfaWorld();
      const device = deviceKey();
      await enrolDevice(
        { callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: device.spki },
        world.deps,
      );
      const { payment, challenge, verify } = await challenged(world, 'biometric');
      const forOtherApp = (challenge.nonce ?? '').replace(`:${payment.appId}:`, ':app_other:');
      const signature = sign('sha256', Buffer.from(forOtherApp, 'utf8'), device.privateKey).toString(
        'base64',
      );

      // Act
      const error = await failureOf(verify({ signature }));

      // Assert
      expect(forOtherApp).not.toBe(challenge.nonce);
      expect(error).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 2 } });
    });
  });

  describe('Concurrency', () => {
    it('transitions the payment once and resumes the task once when two right PINs arrive together', async () => {
      // Arrange
      const world = await withPin();
      const { payment, verify } = await challenged(world);

      // Act
      const [a, b] = await Promise.all([verify({ pin: PIN }), verify({ pin: PIN })]);

      // Assert
      expect(a.payment.paymentId).toBe(payment.paymentId);
      expect(b.payment.paymentId).toBe(payment.paymentId);
      const history = world.payments.peek(payment.paymentId)?.history ?? [];
      expect(history.filter((entry) => entry.event === 'mfa_verified')).toHaveLength(1);
      expect(history.filter((entry) => entry.event === 'authorized')).toHaveLength(1);
      expect(world.payments.peek(payment.paymentId)?.state).toBe('Authorized');
      expect(world.workflows.resumed).toHaveLength(1);
    });

    it('counts both attempts when two wrong PINs arrive together', async () => {
      // Arrange
      const world = await withPin();
      const { payment, challenge, verify } = await challenged(world);

      // Act
      const outcomes = await Promise.allSettled([verify({ pin: WRONG_PIN }), verify({ pin: WRONG_PIN })]);

      // Assert
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      expect(world.challenges.peek(challenge.challengeId)?.attempts).toBe(2);
      expect(world.attempts.failures(ALICE)).toHaveLength(2);
      expect(world.payments.peek(payment.paymentId)?.state).toBe('MFA_Failed');
    });

    it('authorizes once when a right and a wrong PIN arrive together', async () => {
      // Arrange
      const world = await withPin();
      const { payment, verify } = await challenged(world);

      // Act
      await Promise.allSettled([verify({ pin: WRONG_PIN }), verify({ pin: PIN })]);

      // Assert
      const stored = world.payments.peek(payment.paymentId);
      expect(stored?.state).toBe('Authorized');
      expect(stored?.history.filter((entry) => entry.event === 'authorized')).toHaveLength(1);
      expect(world.workflows.resumed).toHaveLength(1);
    });
  });

  describe('Access', () => {
    it("refuses with NOT_FOUND when the payment is another user's, checking nothing", async () => {
      // Arrange
      const world = await withPin();
      const { challenge, verify } = await challenged(world);

      // Act
      const error = await failureOf(verify({ pin: PIN }, BOB));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(world.challenges.peek(challenge.challengeId)?.attempts).toBe(0);
    });

    it('refuses with NOT_FOUND when the challenge belongs to another payment', async () => {
      // Arrange
      const world = await withPin();
      const first = await challenged(world);
      const second = await challenged(world);

      // Act
      const error = await failureOf(
        verifyChallenge(
          {
            userId: ALICE,
            paymentId: first.payment.paymentId,
            challengeId: second.challenge.challengeId,
            answer: { pin: PIN },
          },
          world.deps,
        ),
      );

      // Assert
      expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Challenge was not found' });
    });
  });
});
