import * as z from 'zod/mini';
import type { DeviceKey } from '../../../app/mfa/ports.js';
import { defineEntity, type Entity } from '../entity.js';
import { mfaDeviceKey } from '../keys.js';
import type { SameType } from './exact.js';

const schema = z.object({ deviceId: z.string(), publicKey: z.string(), createdAt: z.string() });

true satisfies SameType<z.output<typeof schema>, DeviceKey>;

/** A device key, among the factors in the user's partition (`MFA#DEVICE#<id>`); the item also names its user. */
export function mfaDeviceEntity(userId: string): Entity<DeviceKey> {
  return defineEntity<DeviceKey>({
    type: 'MfaDevice',
    schema: schema satisfies z.ZodMiniType<DeviceKey>,
    key: (device) => mfaDeviceKey(userId, device.deviceId),
    extra: () => ({ userId }),
  });
}
