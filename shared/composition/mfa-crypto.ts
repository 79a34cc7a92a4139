/**
 * What checking a second factor takes: the TOTP secrets sealed with the MFA key, and the crypto the use
 * cases call (PIN hashing, TOTP, device signatures, step-up tokens). Apart from the stores, so a function that
 * only reads which factors a user has (a payment request) bundles neither KMS nor this crypto.
 */
import { randomBytes } from 'node:crypto';
import { kms } from '../adapters/aws/kms-client.js';
import { parseDevicePublicKey, verifyDeviceSignature } from '../adapters/crypto/device-keys.js';
import { hashPin, verifyPin } from '../adapters/crypto/pin.js';
import { hashStepUpToken, newStepUpToken } from '../adapters/crypto/step-up-token.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../adapters/crypto/totp.js';
import { KmsEnvelope } from '../adapters/kms/envelope.js';
import type { MfaCrypto } from '../app/mfa/ports.js';
import { readSetting } from '../config.js';
import { MFA_KEY_ENV } from '../infra/keys.js';
import { once } from '../lazy.js';

/** 18 random bytes: 24 base64url characters (144 bits) for the random part of a biometric nonce. */
const NONCE_RANDOM_BYTES = 18;

export const mfaCrypto: MfaCrypto = {
  hashPin,
  verifyPin,
  newTotpSecret: generateTotpSecret,
  totpUri: (secret, accountName) => otpauthUri(secret, accountName),
  verifyTotp,
  assertDeviceKey: (publicKey) => {
    parseDevicePublicKey(publicKey);
  },
  verifyDeviceSignature,
  randomNonce: () => randomBytes(NONCE_RANDOM_BYTES).toString('base64url'),
  newStepUpToken,
  hashStepUpToken,
};

/**
 * TOTP secrets are sealed with the MFA key (MFA_KMS_KEY_ID), not the service key: its grants hold only with
 * an encryption context naming the user and the purpose (totpSecretContext), which the use cases pass.
 */
export const mfaSecrets = once(() => new KmsEnvelope(kms(), readSetting(MFA_KEY_ENV)));
