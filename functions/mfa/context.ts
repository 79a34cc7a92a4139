/**
 * The MFA functions' wiring: adapters built once per cold start, shared by the handlers of this folder.
 * Each piece is created on first use, so a handler only pays for what it touches.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { documentClient, kms } from '../../shared/adapters/aws/clients.js';
import { systemClock } from '../../shared/adapters/clock.js';
import { parseDevicePublicKey, verifyDeviceSignature } from '../../shared/adapters/crypto/device-keys.js';
import { hashPin, verifyPin } from '../../shared/adapters/crypto/pin.js';
import { hashStepUpToken, newStepUpToken } from '../../shared/adapters/crypto/step-up-token.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../../shared/adapters/crypto/totp.js';
import {
  DynamoDbChallenges,
  DynamoDbMfaAttempts,
  DynamoDbMfaFactors,
  DynamoDbStepUps,
} from '../../shared/adapters/dynamodb/mfa.js';
import { KmsEnvelope } from '../../shared/adapters/kms/envelope.js';
import type { MfaCrypto } from '../../shared/app/mfa/ports.js';
import { nonEmpty, readEnv, readTableName } from '../../shared/config.js';
import { MFA_KEY_ENV } from '../../shared/infra/keys.js';
import { once } from '../../shared/lazy.js';

const tableName = readTableName();
const env = readEnv(z.object({ [MFA_KEY_ENV]: nonEmpty }));

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

export { systemClock };
export const factors = once(() => new DynamoDbMfaFactors(documentClient(), tableName));
export const challenges = once(() => new DynamoDbChallenges(documentClient(), tableName));
export const attempts = once(() => new DynamoDbMfaAttempts(documentClient(), tableName));
export const stepUps = once(() => new DynamoDbStepUps(documentClient(), tableName));
/**
 * TOTP secrets are sealed with the MFA key (MFA_KMS_KEY_ID), not the service key: its grants hold only with
 * an encryption context naming the user and the purpose (totpSecretContext), which the use cases pass.
 */
export const secrets = once(() => new KmsEnvelope(kms(), env[MFA_KEY_ENV]));
