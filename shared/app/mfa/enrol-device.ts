import { ValidationError } from '../../domain/errors.js';
import { assertSelf } from '../access.js';
import type { Clock } from '../ports.js';
import { DeviceAlreadyRegisteredError } from './errors.js';
import type { MfaCrypto, MfaFactors } from './ports.js';

export interface EnrolDeviceDeps {
  factors: MfaFactors;
  crypto: Pick<MfaCrypto, 'assertDeviceKey'>;
  clock: Clock;
}

export interface EnrolDeviceCommand {
  callerId: string;
  userId: string;
  deviceId: string;
  publicKey: string;
}

/** Each biometric answer is checked against every device key of the payer: keep that list short. */
export const MAX_DEVICES = 10;

/**
 * 1. Only the caller's own factors (another user's answers 403).
 * 2. The key must be a P-256 public key (SPKI, base64) (400), and the payer may hold at most MAX_DEVICES.
 * 3. Register it under the device id. The same key again is a no-op; another key under a registered id is
 *    409 (a device id never silently changes its key).
 */
export async function enrolDevice(
  command: EnrolDeviceCommand,
  deps: EnrolDeviceDeps,
): Promise<{ deviceId: string; enrolled: true }> {
  assertSelf(command.callerId, command.userId);
  deps.crypto.assertDeviceKey(command.publicKey);
  const { devices } = await deps.factors.factorsOf(command.userId);
  const known = devices.some((device) => device.deviceId === command.deviceId);
  if (!known && devices.length >= MAX_DEVICES) {
    throw new ValidationError(`At most ${MAX_DEVICES} devices can be registered`, { max: MAX_DEVICES });
  }
  const added = await deps.factors.addDevice(command.userId, {
    deviceId: command.deviceId,
    publicKey: command.publicKey,
    createdAt: deps.clock.now().toISOString(),
  });
  if (!added) throw new DeviceAlreadyRegisteredError(command.deviceId);
  return { deviceId: command.deviceId, enrolled: true };
}
