/**
 * MFA challenges: one item per challenge. An attempt settles the challenge only while it is still pending
 * with the attempts the attempt saw; a TOTP code claims its step in the same transaction.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChallengeChange, ChallengeStore, SettleOutcome } from '../../app/mfa/ports.js';
import type { Challenge } from '../../domain/mfa.js';
import { retryOnConflict } from './conflicts.js';
import { fromStoredChallenge, MfaChallengeEntity, toStoredChallenge } from './entities/mfa-challenge.js';
import { ABSENT } from './entity.js';
import { challengeKey } from './keys.js';
import { useTotpStepUpdate } from './mfa-factors.js';

export class DynamoDbChallenges implements ChallengeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(challenge: Challenge): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: MfaChallengeEntity.toItem(toStoredChallenge(challenge)),
        ConditionExpression: ABSENT,
      }),
    );
  }

  async get(challengeId: string): Promise<Challenge | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: challengeKey(challengeId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : fromStoredChallenge(MfaChallengeEntity.fromItem(item));
  }

  async settle(
    challengeId: string,
    seenAttempts: number,
    change: ChallengeChange,
    totpStep?: { userId: string; step: number },
  ): Promise<SettleOutcome> {
    const update = {
      TableName: this.tableName,
      Key: challengeKey(challengeId),
      UpdateExpression: 'SET #status = :status, attempts = :attempts, updatedAt = :at ADD version :one',
      ConditionExpression: '#status = :pending AND attempts = :seen',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': change.status,
        ':attempts': change.attempts,
        ':at': change.at,
        ':pending': 'pending',
        ':seen': seenAttempts,
        ':one': 1,
      },
    };
    if (totpStep === undefined) {
      try {
        await this.client.send(new UpdateCommand(update));
        return 'settled';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'challenge_changed';
        throw error;
      }
    }
    // The challenge and the TOTP step in one transaction: a code is accepted with the challenge or not at all.
    try {
      await retryOnConflict(() =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: update },
              { Update: useTotpStepUpdate(this.tableName, totpStep.userId, totpStep.step) },
            ],
          }),
        ),
      );
      return 'settled';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [challengeReason, stepReason] = error.CancellationReasons ?? [];
      if (challengeReason?.Code === 'ConditionalCheckFailed') return 'challenge_changed';
      if (stepReason?.Code === 'ConditionalCheckFailed') return 'code_reused';
      throw error;
    }
  }
}
