/**
 * Step-up grants (found by the hash of their token, spent once by a conditional write) and the user's one
 * pending biometric step-up nonce (taken once by a conditional delete).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StepUpStore } from '../../app/mfa/ports.js';
import type { StepUpGrant, StepUpNonce, StepUpScope } from '../../domain/step-up.js';
import { stepUpGrantEntity } from './entities/step-up-grant.js';
import { StepUpNonceEntity } from './entities/step-up-nonce.js';
import { scopeAttributes, scopeOf } from './entities/step-up-scope.js';
import { ABSENT } from './entity.js';
import { stepUpNonceKey, stepUpTokenKey } from './keys.js';

export class DynamoDbStepUps implements StepUpStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async grant(grant: StepUpGrant): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: stepUpGrantEntity(grant.tokenHash).toItem({
          userId: grant.userId,
          ...scopeAttributes(grant.scope),
          tokenExpiresAt: grant.expiresAt,
          createdAt: grant.createdAt,
        }),
        ConditionExpression: ABSENT,
      }),
    );
  }

  async spend(tokenHash: string, userId: string, scope: StepUpScope, now: Date): Promise<boolean> {
    const { amount, currency } = scopeAttributes(scope);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stepUpTokenKey(tokenHash),
          UpdateExpression: 'SET spentAt = :now ADD version :one',
          ConditionExpression:
            'attribute_exists(PK) AND attribute_not_exists(spentAt) AND userId = :user AND purpose = :purpose' +
            ' AND amount = :amount AND currency = :currency AND tokenExpiresAt > :now',
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':one': 1,
            ':user': userId,
            ':purpose': scope.purpose,
            ':amount': amount,
            ':currency': currency,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async putNonce(nonce: StepUpNonce): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: StepUpNonceEntity.toItem({
          userId: nonce.userId,
          nonce: nonce.nonce,
          ...scopeAttributes(nonce.scope),
          nonceExpiresAt: nonce.expiresAt,
        }),
      }),
    );
  }

  async nonceOf(userId: string): Promise<StepUpNonce | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: stepUpNonceKey(userId), ConsistentRead: true }),
    );
    if (item === undefined) return undefined;
    const stored = StepUpNonceEntity.fromItem(item);
    return { userId, nonce: stored.nonce, scope: scopeOf(stored), expiresAt: stored.nonceExpiresAt };
  }

  async takeNonce(userId: string, nonce: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: stepUpNonceKey(userId),
          ConditionExpression: 'nonce = :nonce',
          ExpressionAttributeValues: { ':nonce': nonce },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
