/** Second factors on the single table: the enrolled factors, the open challenges, the failed attempts. */
import { documentClient } from '../adapters/aws/dynamodb-client.js';
import { DynamoDbChallenges, DynamoDbMfaAttempts, DynamoDbMfaFactors } from '../adapters/dynamodb/mfa.js';
import { readTableName } from '../config.js';
import { once } from '../lazy.js';

export const mfaFactors = once(() => new DynamoDbMfaFactors(documentClient(), readTableName()));
export const mfaChallenges = once(() => new DynamoDbChallenges(documentClient(), readTableName()));
export const mfaAttempts = once(() => new DynamoDbMfaAttempts(documentClient(), readTableName()));
