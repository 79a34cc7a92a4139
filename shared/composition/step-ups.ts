/**
 * Step-up tokens: issued by MFA enrolment, spent by transfers and gifts above the MFA threshold. Apart from
 * the rest of MFA so a transfer function does not bundle the KMS client or the PIN and TOTP crypto.
 */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { systemClock } from '../adapters/clock.js';
import { hashStepUpToken } from '../adapters/crypto/step-up-token.js';
import { DynamoDbStepUps } from '../adapters/dynamodb/mfa.js';
import type { TransferStepUp } from '../app/mfa/step-up.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';
import { mfaThresholds } from './settings.js';

export const stepUps = once(() => new DynamoDbStepUps(documentClient(), readTableName()));

/** What a transfer or a gift above the MFA threshold needs to spend a step-up token. */
export const transferStepUp = once(
  (): TransferStepUp => ({
    thresholds: mfaThresholds(),
    stepUps: stepUps(),
    crypto: { hashStepUpToken },
    clock: systemClock,
  }),
);
