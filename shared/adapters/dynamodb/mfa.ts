/**
 * MFA in the single table: a user's factors (PIN hash, sealed TOTP secret, device keys) in the user's
 * partition (mfa-factors.ts), one item per challenge (mfa-challenges.ts), the user's attempt slots, the
 * lockout (mfa-attempts.ts), step-up grants by token hash and the pending biometric step-up nonce
 * (mfa-step-up.ts). Every change that a concurrent request could race is a conditional write. This module
 * names them all, so importers need one path.
 */
export { DynamoDbMfaAttempts } from './mfa-attempts.js';
export { DynamoDbChallenges } from './mfa-challenges.js';
export { DynamoDbMfaFactors } from './mfa-factors.js';
export { DynamoDbStepUps } from './mfa-step-up.js';
