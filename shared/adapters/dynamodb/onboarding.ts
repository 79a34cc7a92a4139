/**
 * Onboarding's items beside the merchant (entities/onboarding.ts): the pending email verification and the
 * review of the latest submission; and the KYC documents' "any uploaded?" read (the kyc part's items).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  EmailVerification,
  EmailVerifications,
  OnboardingReview,
  OnboardingReviews,
} from '../../app/merchants/ports.js';
import { EmailVerificationEntity, OnboardingReviewEntity } from './entities/onboarding.js';
import { updateExpression } from './entity.js';
import { merchantEmailVerificationKey, merchantReviewKey } from './keys.js';

export class DynamoDbEmailVerifications implements EmailVerifications {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(verification: EmailVerification): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: EmailVerificationEntity.toItem(verification) }),
    );
  }

  async get(merchantId: string): Promise<EmailVerification | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: merchantEmailVerificationKey(merchantId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : EmailVerificationEntity.fromItem(item);
  }

  async countAttempt(merchantId: string, limit: number): Promise<boolean> {
    const update = updateExpression({ add: { attempts: 1, version: 1 } });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: merchantEmailVerificationKey(merchantId),
          ...update,
          ConditionExpression: 'attribute_exists(PK) AND #u_attempts < :limit',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':limit': limit },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async remove(merchantId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: merchantEmailVerificationKey(merchantId) }),
    );
  }
}

export class DynamoDbOnboardingReviews implements OnboardingReviews {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(merchantId: string, at: string): Promise<OnboardingReview> {
    const { Attributes: item } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: merchantReviewKey(merchantId),
        ...updateExpression({
          set: { type: OnboardingReviewEntity.type, merchantId, submittedAt: at },
          remove: ['taskToken'],
          add: { submission: 1, version: 1 },
        }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (item === undefined) throw new Error('The review update returned no item');
    return OnboardingReviewEntity.fromItem(item);
  }

  async get(merchantId: string): Promise<OnboardingReview | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: merchantReviewKey(merchantId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : OnboardingReviewEntity.fromItem(item);
  }

  async keepToken(merchantId: string, submission: number, taskToken: string): Promise<boolean> {
    const update = updateExpression({ set: { taskToken }, add: { version: 1 } });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: merchantReviewKey(merchantId),
          ...update,
          ConditionExpression: 'submission = :submission',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':submission': submission },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
