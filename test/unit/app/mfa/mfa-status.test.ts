import { enrolPin } from '../../../../shared/app/mfa/enrol-pin.js';
import { mfaStatus } from '../../../../shared/app/mfa/mfa-status.js';
import { startChallenge } from '../../../../shared/app/mfa/start-challenge.js';
import { NotFoundError } from '../../../../shared/domain/errors.js';
import { ALICE, BOB, mfaWorld, PIN } from './fakes.js';

async function setup() {
  const world = mfaWorld();
  await enrolPin({ callerId: ALICE, userId: ALICE, pin: PIN }, world.deps);
  const payment = await world.payment();
  return { world, payment };
}

describe('Use case: mfaStatus', () => {
  it('returns the state, the enrolled methods and no challenge before one is asked for', async () => {
    // Arrange
    const { world, payment } = await setup();

    // Act
    const status = await mfaStatus(ALICE, payment.paymentId, world.deps);

    // Assert
    expect(status).toEqual({
      paymentId: payment.paymentId,
      state: 'MFA_Required',
      status: 'requires_mfa',
      mfaRequired: true,
      methods: ['transaction_pin'],
      challenge: null,
      locked: false,
    });
  });

  it('returns the active challenge, without its nonce, and reads a pending one past its lifetime as expired', async () => {
    // Arrange
    const { world, payment } = await setup();
    const challenge = await startChallenge(
      { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
      world.deps,
    );
    world.clock.advance(301_000);

    // Act
    const status = await mfaStatus(ALICE, payment.paymentId, world.deps);

    // Assert
    expect(status.state).toBe('MFA_Challenge');
    expect(status.challenge).toEqual({
      challengeId: challenge.challengeId,
      method: 'transaction_pin',
      status: 'expired',
      attempts: 0,
      maxAttempts: 3,
      expiresAt: challenge.expiresAt,
    });
  });

  it('returns locked when the payer failed five times in the last hour', async () => {
    // Arrange
    const { world, payment } = await setup();
    for (let n = 0; n < 5; n += 1) world.attempts.seedFailure(ALICE, world.clock.now());

    // Act
    const status = await mfaStatus(ALICE, payment.paymentId, world.deps);

    // Assert
    expect(status.locked).toBe(true);
  });

  it("refuses with NOT_FOUND when the payment is another user's", async () => {
    // Arrange
    const { world, payment } = await setup();

    // Act
    const attempt = mfaStatus(BOB, payment.paymentId, world.deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });
});
