import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { generateSync } from 'otplib';
import { hashStepUpToken } from '../../../../shared/adapters/crypto/step-up-token.js';
import { enrolDevice } from '../../../../shared/app/mfa/enrol-device.js';
import { enrolPin } from '../../../../shared/app/mfa/enrol-pin.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../../../shared/app/mfa/enrol-totp.js';
import { startChallenge } from '../../../../shared/app/mfa/start-challenge.js';
import {
  type StepUpCommand,
  spendStepUp,
  startStepUpChallenge,
  stepUp,
} from '../../../../shared/app/mfa/step-up.js';
import { verifyChallenge } from '../../../../shared/app/mfa/verify-challenge.js';
import { ForbiddenError } from '../../../../shared/domain/errors.js';
import { MfaLockedError } from '../../../../shared/domain/mfa.js';
import { ALICE, BOB, mfaWorld, PIN, WRONG_PIN } from './fakes.js';

type World = ReturnType<typeof mfaWorld>;

async function withPin(world: World = mfaWorld()): Promise<World> {
  await enrolPin({ callerId: ALICE, userId: ALICE, pin: PIN }, world.deps);
  return world;
}

function pinStepUp(world: World, overrides: Partial<StepUpCommand> = {}) {
  return stepUp(
    {
      callerId: ALICE,
      userId: ALICE,
      purpose: 'factors',
      method: 'transaction_pin',
      answer: { pin: PIN },
      ...overrides,
    },
    world.deps,
  );
}

async function failureOf(attempt: Promise<unknown>): Promise<unknown> {
  try {
    await attempt;
  } catch (error) {
    return error;
  }
  throw new Error('The attempt succeeded');
}

describe('Use case: stepUp', () => {
  describe('Factor: transaction PIN', () => {
    it('returns a token valid five minutes and stores only its hash, bound to the user and purpose', async () => {
      // Arrange
      const world = await withPin();

      // Act
      const answer = await pinStepUp(world);

      // Assert
      expect(answer.expiresAt).toBe('2026-03-01T12:05:00.000Z');
      expect(answer.stepUpToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect([...world.stepUps.grants.keys()]).toEqual([hashStepUpToken(answer.stepUpToken)]);
      expect(JSON.stringify([...world.stepUps.grants.values()])).not.toContain(answer.stepUpToken);
      expect(world.stepUps.grants.get(hashStepUpToken(answer.stepUpToken))).toMatchObject({
        userId: ALICE,
        scope: { purpose: 'factors' },
      });
      expect(world.attempts.failures(ALICE)).toEqual([]);
    });

    it('binds a transfer token to its amount and currency', async () => {
      // Arrange
      const world = await withPin();

      // Act
      const answer = await pinStepUp(world, { purpose: 'transfer', amount: 7_500, currency: 'USD' });

      // Assert
      expect(world.stepUps.grants.get(hashStepUpToken(answer.stepUpToken))?.scope).toEqual({
        purpose: 'transfer',
        amount: 7_500,
        currency: 'USD',
      });
    });

    it('fails with MFA_FAILED, keeps the failure for the lockout and mints nothing when the PIN is wrong', async () => {
      // Arrange
      const world = await withPin();

      // Act
      const error = await failureOf(pinStepUp(world, { answer: { pin: WRONG_PIN } }));

      // Assert
      expect(error).toMatchObject({ code: 'MFA_FAILED', details: { attemptsRemaining: 4 } });
      expect(world.attempts.failures(ALICE)).toEqual([
        { subject: 'step-up:factors', at: world.clock.now().toISOString() },
      ]);
      expect(world.stepUps.grants.size).toBe(0);
    });
  });

  describe('Requests refused before any guess', () => {
    it.each([
      ['a transfer without an amount', { purpose: 'transfer', currency: 'USD' }],
      ['a transfer without a currency', { purpose: 'transfer', amount: 100 }],
      ['factors with an amount', { purpose: 'factors', amount: 100, currency: 'USD' }],
      ['a method not enrolled', { method: 'totp', answer: { code: '123456' } }],
      ['the answer of another method', { answer: { code: '123456' } }],
    ] as const)('fails with VALIDATION_ERROR for %s, counting nothing', async (_, overrides) => {
      // Arrange
      const world = await withPin();

      // Act
      const error = await failureOf(pinStepUp(world, overrides));

      // Assert
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(world.attempts.failures(ALICE)).toEqual([]);
    });

    it("fails with FORBIDDEN for another user's factors", async () => {
      // Arrange
      const world = await withPin();

      // Act
      const error = await failureOf(pinStepUp(world, { callerId: BOB }));

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });
  });

  describe('Lockout', () => {
    it('lets at most five of twenty parallel wrong guesses be checked; the rest fail with MFA_LOCKED', async () => {
      // Arrange
      const world = await withPin();

      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => pinStepUp(world, { answer: { pin: WRONG_PIN } })),
      );

      // Assert
      const codes = outcomes.map((outcome) =>
        outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'ok',
      );
      expect(codes.filter((code) => code === 'MFA_FAILED')).toHaveLength(5);
      expect(codes.filter((code) => code === 'MFA_LOCKED')).toHaveLength(15);
      expect(world.attempts.failures(ALICE)).toHaveLength(5);
      expect(world.attempts.peakHeld).toBeLessThanOrEqual(5);
    });

    it('shares the lockout with payment challenges: three wrong payment PINs and two wrong step-ups lock both', async () => {
      // Arrange
      const world = await withPin();
      const payment = await world.payment();
      const challenge = await startChallenge(
        { userId: ALICE, paymentId: payment.paymentId, method: 'transaction_pin' },
        world.deps,
      );
      const verify = (pin: string) =>
        verifyChallenge(
          {
            userId: ALICE,
            paymentId: payment.paymentId,
            challengeId: challenge.challengeId,
            answer: { pin },
          },
          world.deps,
        );
      await failureOf(verify(WRONG_PIN));
      await failureOf(verify(WRONG_PIN));
      await failureOf(pinStepUp(world, { answer: { pin: WRONG_PIN } }));
      await failureOf(pinStepUp(world, { answer: { pin: WRONG_PIN } }));
      await failureOf(verify(WRONG_PIN));

      // Act
      const stepUpError = await failureOf(pinStepUp(world));
      const other = await world.payment();
      const startError = await failureOf(
        startChallenge({ userId: ALICE, paymentId: other.paymentId, method: 'transaction_pin' }, world.deps),
      );

      // Assert
      expect(stepUpError).toBeInstanceOf(MfaLockedError);
      expect(startError).toBeInstanceOf(MfaLockedError);
      expect(world.stepUps.grants.size).toBe(0);
    });

    it('frees the slot of a right guess, so successes never lock the user', async () => {
      // Arrange
      const world = await withPin();

      // Act
      for (let n = 0; n < 8; n += 1) await pinStepUp(world);

      // Assert
      expect(world.stepUps.grants.size).toBe(8);
      await expect(world.attempts.since(ALICE, new Date(0))).resolves.toEqual([]);
    });
  });

  describe('Factor: TOTP', () => {
    it('accepts a code once: the same code again is a replay, MFA_FAILED', async () => {
      // Arrange
      const world = mfaWorld();
      const { secret } = await startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps);
      const epoch = Math.floor(world.clock.now().getTime() / 1000);
      await confirmTotpEnrolment(
        { callerId: ALICE, userId: ALICE, code: generateSync({ secret, epoch: epoch - 30 }) },
        world.deps,
      );
      const code = generateSync({ secret, epoch });
      const totp = { method: 'totp', answer: { code } } as const;

      // Act
      const first = await pinStepUp(world, totp);
      const replay = await failureOf(pinStepUp(world, totp));

      // Assert
      expect(first.stepUpToken).toBeDefined();
      expect(replay).toMatchObject({ code: 'MFA_FAILED' });
    });
  });

  describe('Factor: biometric', () => {
    async function withDevice(): Promise<{ world: World; privateKey: KeyObject }> {
      const world = mfaWorld();
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      await enrolDevice({ callerId: ALICE, userId: ALICE, deviceId: 'phone', publicKey: spki }, world.deps);
      return { world, privateKey };
    }

    const signed = (privateKey: KeyObject, nonce: string) =>
      sign('sha256', Buffer.from(nonce, 'utf8'), privateKey).toString('base64');

    const transfer = { purpose: 'transfer', amount: 9_000, currency: 'USD' } as const;

    it('issues a nonce naming the scope, and mints a token for its signature, once', async () => {
      // Arrange
      const { world, privateKey } = await withDevice();
      const { nonce } = await startStepUpChallenge(
        { callerId: ALICE, userId: ALICE, ...transfer },
        world.deps,
      );
      const command = {
        method: 'biometric',
        ...transfer,
        answer: { signature: signed(privateKey, nonce) },
      } as const;

      // Act
      const answer = await pinStepUp(world, command);
      const again = await failureOf(pinStepUp(world, command));

      // Assert
      expect(nonce).toMatch(/^tween-step-up:v1:transfer:9000:USD:[A-Za-z0-9_-]{16,}$/);
      expect(answer.stepUpToken).toBeDefined();
      expect(again).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    });

    it('refuses a nonce of another scope with INVALID_STATE_TRANSITION, counting nothing', async () => {
      // Arrange
      const { world, privateKey } = await withDevice();
      const { nonce } = await startStepUpChallenge(
        { callerId: ALICE, userId: ALICE, ...transfer },
        world.deps,
      );

      // Act
      const error = await failureOf(
        pinStepUp(world, {
          method: 'biometric',
          ...transfer,
          amount: 9_001,
          answer: { signature: signed(privateKey, nonce) },
        }),
      );

      // Assert
      expect(error).toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
      expect(world.attempts.failures(ALICE)).toEqual([]);
    });

    it('counts a signature by another key as a failure and spends the nonce', async () => {
      // Arrange
      const { world } = await withDevice();
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const { nonce } = await startStepUpChallenge(
        { callerId: ALICE, userId: ALICE, purpose: 'factors' },
        world.deps,
      );

      // Act
      const error = await failureOf(
        pinStepUp(world, { method: 'biometric', answer: { signature: signed(other, nonce) } }),
      );

      // Assert
      expect(error).toMatchObject({ code: 'MFA_FAILED' });
      expect(world.attempts.failures(ALICE)).toHaveLength(1);
      await expect(world.stepUps.nonceOf(ALICE)).resolves.toBeUndefined();
    });
  });
});

describe('Use case: spendStepUp', () => {
  it('lets exactly one of two concurrent spends of a token through; the other fails with STEP_UP_REQUIRED', async () => {
    // Arrange
    const world = mfaWorld();
    const token = await world.stepUpToken();

    // Act
    const outcomes = await Promise.allSettled([
      spendStepUp(ALICE, { purpose: 'factors' }, token, world.deps),
      spendStepUp(ALICE, { purpose: 'factors' }, token, world.deps),
    ]);

    // Assert
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : undefined).toMatchObject({
      code: 'STEP_UP_REQUIRED',
      details: { challengePath: `/payments/v1/user/${encodeURIComponent(ALICE)}/mfa/step-up` },
    });
  });

  it.each([
    ['just before its five minutes are up', 299_999, true],
    ['at five minutes', 300_000, false],
  ])('treats a token %s as %s', async (_, elapsedMs, accepted) => {
    // Arrange
    const world = mfaWorld();
    const token = await world.stepUpToken();
    world.clock.advance(elapsedMs);

    // Act
    const spend = spendStepUp(ALICE, { purpose: 'factors' }, token, world.deps);

    // Assert
    if (accepted) await expect(spend).resolves.toBeUndefined();
    else await expect(spend).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
  });

  it("refuses another user's token and a token of another purpose", async () => {
    // Arrange
    const world = mfaWorld();
    const bobs = await world.stepUpToken({ purpose: 'factors' }, BOB);
    const transfer = await world.stepUpToken({ purpose: 'transfer', amount: 100, currency: 'USD' });

    // Act & Assert
    await expect(spendStepUp(ALICE, { purpose: 'factors' }, bobs, world.deps)).rejects.toMatchObject({
      code: 'STEP_UP_REQUIRED',
    });
    await expect(spendStepUp(ALICE, { purpose: 'factors' }, transfer, world.deps)).rejects.toMatchObject({
      code: 'STEP_UP_REQUIRED',
    });
  });
});

describe('Use case: changing factors with step-up', () => {
  it('needs no token for the first PIN, then one of purpose factors to replace it', async () => {
    // Arrange
    const world = await withPin();

    // Act
    const without = await failureOf(enrolPin({ callerId: ALICE, userId: ALICE, pin: '654321' }, world.deps));
    const withToken = await enrolPin(
      { callerId: ALICE, userId: ALICE, pin: '654321', stepUpToken: await world.stepUpToken() },
      world.deps,
    );

    // Assert
    expect(without).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(withToken).toEqual({ method: 'transaction_pin', enrolled: true });
  });

  it('refuses TOTP enrolment and a new device without a token once a PIN is set', async () => {
    // Arrange
    const world = await withPin();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const transferToken = await world.stepUpToken({ purpose: 'transfer', amount: 100, currency: 'USD' });

    // Act
    const totp = await failureOf(startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps));
    const device = await failureOf(
      enrolDevice(
        { callerId: ALICE, userId: ALICE, deviceId: 'phone', publicKey: spki, stepUpToken: transferToken },
        world.deps,
      ),
    );

    // Assert
    expect(totp).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(device).toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(world.factors.peek(ALICE)).toMatchObject({ devices: [] });
    expect(world.factors.peek(ALICE).totp).toBeUndefined();
  });
});
