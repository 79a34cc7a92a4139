import { ValidationError } from '../../domain/errors.js';
import { assertSelf } from '../access.js';
import type { Clock } from '../ports.js';
import { DeviceAlreadyRegisteredError } from './errors.js';
import type { MfaCrypto, MfaFactors, StepUpStore } from './ports.js';
import { assertMayChangeFactors } from './step-up.js';

export interface EnrolDeviceDeps {
  factors: MfaFactors;
  stepUps: Pick<StepUpStore, 'spend'>;
  crypto: Pick<MfaCrypto, 'assertDeviceKey' | 'hashStepUpToken'>;
  clock: Clock;
}

export interface EnrolDeviceCommand {
  callerId: string;
  userId: string;
  deviceId: string;
  publicKey: string;
  /** X-Step-Up-Token (purpose `factors`): required once the user has any confirmed factor. */
  stepUpToken?: string | undefined;
}

/** Each biometric answer is checked against every device key of the payer: keep that list short. */
export const MAX_DEVICES = 10;

/**
 * 1. Only the caller's own factors (another user's answers 403).
 * 2. The key must be a P-256 public key (SPKI, base64) (400), and the payer may hold at most MAX_DEVICES.
 * 3. A user with any confirmed factor spends a step-up token of purpose `factors` (428 otherwise).
 * 4. Register it under the device id. The same key again is a no-op; another key under a registered id is
 *    409 (a device id never silently changes its key).
 */
export async function enrolDevice(
  command: EnrolDeviceCommand,
  deps: EnrolDeviceDeps,
): Promise<{ deviceId: string; enrolled: true }> {
  assertSelf(command.callerId, command.userId);
  deps.crypto.assertDeviceKey(command.publicKey);
  const factors = await deps.factors.factorsOf(command.userId);
  const { devices } = factors;
  const known = devices.some((device) => device.deviceId === command.deviceId);
  if (!known && devices.length >= MAX_DEVICES) {
    throw new ValidationError(`At most ${MAX_DEVICES} devices can be registered`, { max: MAX_DEVICES });
  }
  await assertMayChangeFactors(command.userId, command.stepUpToken, factors, deps);
  const added = await deps.factors.addDevice(command.userId, {
    deviceId: command.deviceId,
    publicKey: command.publicKey,
    createdAt: deps.clock.now().toISOString(),
  });
  if (!added) throw new DeviceAlreadyRegisteredError(command.deviceId);
  return { deviceId: command.deviceId, enrolled: true };
}
