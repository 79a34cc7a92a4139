import { generateKeyPairSync } from 'node:crypto';
import { enrolDevice } from '../../../../shared/app/mfa/enrol-device.js';
import { enrolPin } from '../../../../shared/app/mfa/enrol-pin.js';
import { startChallenge } from '../../../../shared/app/mfa/start-challenge.js';
import { verifyChallenge } from '../../../../shared/app/mfa/verify-challenge.js';
import { NotFoundError } from '../../../../shared/domain/errors.js';
import { MfaLockedError, nonceBindsPayment, parseChallengeNonce } from '../../../../shared/domain/mfa.js';
import type { PaymentState } from '../../../../shared/domain/payment.js';
import { ALICE, BOB, mfaWorld, PIN, WRONG_PIN } from './fakes.js';

async function withPin() {
  const world = mfaWorld();
  await enrolPin({ callerId: ALICE, userId: ALICE, pin: PIN }, world.deps);
  return world;
}

describe('Use case: startChallenge', () => {
  it('returns a pending challenge and moves MFA_Required to MFA_Challenge with it active', async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();

    // Act
    const challenge = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Assert
    expect(challenge).toEqual({
      challengeId: 'ch_1',
      paymentId: payment.paymentId,
      method: 'transaction_pin',
      status: 'pending',
      attempts: 0,
      maxAttempts: 3,
      expiresAt: '2026-03-01T12:05:00.000Z',
    });
    const stored = world.payments.peek(payment.paymentId);
    expect(stored?.state).toBe('MFA_Challenge');
    expect(stored?.activeChallengeId).toBe('ch_1');
    expect(stored?.history.at(-1)).toMatchObject({ event: 'challenge_sent', actor: ALICE });
  });

  it('moves MFA_Failed back to MFA_Challenge (retry) and carries the attempts of the challenge it replaces', async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();
    const first = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );
    await verifyChallenge(
      {
        userId: ALICE,
        paymentId: payment.paymentId,
        challengeId: first.challengeId,
        answer: { pin: WRONG_PIN },
      },
      world.deps,
    ).catch(() => undefined);

    // Act
    const second = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Assert
    expect(second).toMatchObject({ status: 'pending', attempts: 1, maxAttempts: 3 });
    expect(world.challenges.peek(first.challengeId)?.status).toBe('expired');
    const stored = world.payments.peek(payment.paymentId);
    expect(stored?.state).toBe('MFA_Challenge');
    expect(stored?.activeChallengeId).toBe(second.challengeId);
    expect(stored?.history.map((entry) => entry.event)).toEqual([
      'created',
      'challenge_sent',
      'mfa_failed',
      'retry',
    ]);
  });

  it('expires the active challenge and activates the new one when the payment is already in MFA_Challenge', async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();
    const first = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Act
    const second = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Assert
    expect(second.challengeId).not.toBe(first.challengeId);
    expect(world.challenges.peek(first.challengeId)?.status).toBe('expired');
    const stored = world.payments.peek(payment.paymentId);
    expect(stored?.state).toBe('MFA_Challenge');
    expect(stored?.activeChallengeId).toBe(second.challengeId);
  });

  it.each<PaymentState>([
    'Initiated',
    'Validating',
    'MFA_Verified',
    'Authorized',
    'Processing',
    'Completed',
    'Failed',
  ])('refuses with INVALID_STATE_TRANSITION when the payment is %s', async (state) => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment({ state });

    // Act
    const attempt = startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(world.challenges.all()).toEqual([]);
  });

  it("refuses with NOT_FOUND, not FORBIDDEN, when the payment is another user's", async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();

    // Act
    const attempt = startChallenge(
      { userId: BOB, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    expect(world.payments.peek(payment.paymentId)?.state).toBe('MFA_Required');
  });

  it('refuses with VALIDATION_ERROR naming the enrolled methods when the method is not enrolled', async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();

    // Act
    const attempt = startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'totp' },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { method: 'totp', methods: ['transaction_pin'] },
    });
    expect(world.payments.peek(payment.paymentId)?.state).toBe('MFA_Required');
  });

  it('refuses with MFA_LOCKED when the payer failed five times in the last hour', async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();
    for (let n = 0; n < 5; n += 1) world.attempts.seedFailure(ALICE, world.clock.now());

    // Act
    const attempt = startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(MfaLockedError);
    await expect(attempt).rejects.toMatchObject({ code: 'MFA_LOCKED', details: { retryAfterSeconds: 3600 } });
  });

  it('returns a nonce naming the payment, its amount and currency for a biometric challenge', async () => {
    // Arrange
    const world = mfaWorld();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    await enrolDevice({ callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: spki }, world.deps);
    const payment = await world.payment();

    // Act
    const challenge = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'biometric' },
      world.deps,
    );

    // Assert
    const nonce = challenge.nonce ?? '';
    expect(
      nonceBindsPayment(nonce, {
        appId: payment.appId,
        paymentId: payment.paymentId,
        amount: 6000,
        currency: 'USD',
      }),
    ).toBe(true);
    expect(parseChallengeNonce(nonce).appId).toBe(payment.appId);
    expect(parseChallengeNonce(nonce).random.length).toBeGreaterThanOrEqual(22);
    expect(world.challenges.peek(challenge.challengeId)?.nonce).toBe(nonce);
  });

  it('leaves exactly one pending active challenge and one challenge_sent when two requests race', async () => {
    // Arrange
    const world = await withPin();
    const payment = await world.payment();
    const command = { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' as const };

    // Act
    const [a, b] = await Promise.all([
      startChallenge(command, world.deps),
      startChallenge(command, world.deps),
    ]);

    // Assert
    const stored = world.payments.peek(payment.paymentId);
    expect(stored?.state).toBe('MFA_Challenge');
    expect(stored?.history.filter((entry) => entry.event === 'challenge_sent')).toHaveLength(1);
    expect([a.challengeId, b.challengeId]).toContain(stored?.activeChallengeId);
    expect(world.challenges.peek(stored?.activeChallengeId ?? '')?.status).toBe('pending');
  });
});
