import { generateKeyPairSync } from 'node:crypto';
import { generateSync } from 'otplib';
import { verifyPin } from '../../../../shared/adapters/crypto/pin.js';
import { enrolDevice, MAX_DEVICES } from '../../../../shared/app/mfa/enrol-device.js';
import { enrolPin } from '../../../../shared/app/mfa/enrol-pin.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../../../shared/app/mfa/enrol-totp.js';
import { ForbiddenError } from '../../../../shared/domain/errors.js';
import { ALICE, BOB, mfaWorld, PIN } from './fakes.js';

function spki(curve: 'P-256' | 'P-384' = 'P-256'): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  return publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
}

describe('Use case: enrolPin', () => {
  it('stores only a scrypt hash of the PIN and enrols transaction_pin', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const result = await enrolPin({ callerId: ALICE, userId: ALICE, pin: PIN }, world.deps);

    // Assert
    expect(result).toEqual({ method: 'transaction_pin', enrolled: true });
    const hash = world.factors.peek(ALICE).pin?.hash ?? '';
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain(PIN);
    await expect(verifyPin(PIN, hash)).resolves.toBe(true);
    await expect(world.factors.methodsOf(ALICE)).resolves.toEqual(['transaction_pin']);
  });

  it('refuses with FORBIDDEN when the path names another user', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const attempt = enrolPin({ callerId: BOB, userId: ALICE, pin: PIN }, world.deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    expect(world.factors.peek(ALICE).pin).toBeUndefined();
  });

  it('refuses with VALIDATION_ERROR when the PIN is not exactly six digits', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const attempt = enrolPin({ callerId: ALICE, userId: ALICE, pin: '12345' }, world.deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('Use case: startTotpEnrolment and confirmTotpEnrolment', () => {
  const epoch = (world: ReturnType<typeof mfaWorld>) => Math.floor(world.clock.now().getTime() / 1000);

  it('returns a secret and its otpauth URI, stores the secret sealed for this user, and enrols nothing yet', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const { secret, otpauthUri } = await startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps);

    // Assert
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    const stored = world.factors.peek(ALICE).totp;
    expect(stored?.status).toBe('pending_confirmation');
    expect(stored?.sealedSecret).not.toContain(secret);
    await expect(
      world.secrets.decrypt(stored?.sealedSecret ?? '', { userId: BOB, purpose: 'totp' }),
    ).rejects.toThrow();
    await expect(world.factors.methodsOf(ALICE)).resolves.toEqual([]);
  });

  it('enrols totp and remembers the step when the first code verifies', async () => {
    // Arrange
    const world = mfaWorld();
    const { secret } = await startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps);

    // Act
    const result = await confirmTotpEnrolment(
      { callerId: ALICE, userId: ALICE, code: generateSync({ secret, epoch: epoch(world) }) },
      world.deps,
    );

    // Assert
    expect(result).toEqual({ method: 'totp', enrolled: true });
    expect(world.factors.peek(ALICE).totp).toMatchObject({
      status: 'confirmed',
      lastUsedStep: Math.floor(epoch(world) / 30),
    });
    await expect(world.factors.methodsOf(ALICE)).resolves.toEqual(['totp']);
  });

  it('refuses with MFA_FAILED and stays pending when the code is wrong', async () => {
    // Arrange
    const world = mfaWorld();
    const { secret } = await startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps);
    const wrong = generateSync({ secret, epoch: epoch(world) - 600 });

    // Act
    const attempt = confirmTotpEnrolment({ callerId: ALICE, userId: ALICE, code: wrong }, world.deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'MFA_FAILED' });
    expect(world.factors.peek(ALICE).totp?.status).toBe('pending_confirmation');
  });

  it('refuses with INVALID_STATE_TRANSITION when enrolment was never started', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const attempt = confirmTotpEnrolment({ callerId: ALICE, userId: ALICE, code: '123456' }, world.deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
  });

  it('refuses with INVALID_STATE_TRANSITION when enrolment is already confirmed', async () => {
    // Arrange
    const world = mfaWorld();
    const { secret } = await startTotpEnrolment({ callerId: ALICE, userId: ALICE }, world.deps);
    const code = generateSync({ secret, epoch: epoch(world) });
    await confirmTotpEnrolment({ callerId: ALICE, userId: ALICE, code }, world.deps);

    // Act
    const attempt = confirmTotpEnrolment({ callerId: ALICE, userId: ALICE, code }, world.deps);

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_STATE_TRANSITION' });
    expect(world.factors.peek(ALICE).totp?.status).toBe('confirmed');
  });

  it('refuses with FORBIDDEN when the path names another user', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const attempt = startTotpEnrolment({ callerId: BOB, userId: ALICE }, world.deps);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    expect(world.factors.peek(ALICE).totp).toBeUndefined();
  });
});

describe('Use case: enrolDevice', () => {
  it('registers a P-256 key and enrols biometric; the same key again is accepted', async () => {
    // Arrange
    const world = mfaWorld();
    const key = spki();

    // Act
    const first = await enrolDevice(
      { callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: key },
      world.deps,
    );
    const again = await enrolDevice(
      {
        callerId: ALICE,
        userId: ALICE,
        deviceId: 'phone-1',
        publicKey: key,
        stepUpToken: await world.stepUpToken(),
      },
      world.deps,
    );

    // Assert
    expect(first).toEqual({ deviceId: 'phone-1', enrolled: true });
    expect(again).toEqual(first);
    expect(world.factors.peek(ALICE).devices).toHaveLength(1);
    await expect(world.factors.methodsOf(ALICE)).resolves.toEqual(['biometric']);
  });

  it('refuses with VALIDATION_ERROR when the key is not a P-256 SPKI', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const p384 = enrolDevice(
      { callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: spki('P-384') },
      world.deps,
    );
    const junk = enrolDevice(
      { callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: 'bm90IGEga2V5' },
      world.deps,
    );

    // Assert
    await expect(p384).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(junk).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(world.factors.peek(ALICE).devices).toEqual([]);
  });

  it('refuses with INVALID_STATE_TRANSITION when the device id is registered with another key', async () => {
    // Arrange
    const world = mfaWorld();
    await enrolDevice({ callerId: ALICE, userId: ALICE, deviceId: 'phone-1', publicKey: spki() }, world.deps);

    // Act
    const attempt = enrolDevice(
      {
        callerId: ALICE,
        userId: ALICE,
        deviceId: 'phone-1',
        publicKey: spki(),
        stepUpToken: await world.stepUpToken(),
      },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      details: { deviceId: 'phone-1' },
    });
  });

  it(`refuses with VALIDATION_ERROR beyond ${MAX_DEVICES} devices`, async () => {
    // Arrange
    const world = mfaWorld();
    for (let n = 0; n < MAX_DEVICES; n += 1) {
      await enrolDevice(
        {
          callerId: ALICE,
          userId: ALICE,
          deviceId: `phone-${n}`,
          publicKey: spki(),
          stepUpToken: await world.stepUpToken(),
        },
        world.deps,
      );
    }

    // Act
    const attempt = enrolDevice(
      {
        callerId: ALICE,
        userId: ALICE,
        deviceId: 'one-more',
        publicKey: spki(),
        stepUpToken: await world.stepUpToken(),
      },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { max: MAX_DEVICES } });
  });

  it('refuses with FORBIDDEN when the path names another user', async () => {
    // Arrange
    const world = mfaWorld();

    // Act
    const attempt = enrolDevice(
      { callerId: BOB, userId: ALICE, deviceId: 'phone-1', publicKey: spki() },
      world.deps,
    );

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
  });
});
