/**
 * Per-caller limits in the single table: a fixed-window counter, one item per caller, route and window
 * (`rateLimitKey`). Taking a request is one UpdateItem that ADDs 1 on the condition that the count is still
 * below the limit, so concurrent requests can never count past it (no read-then-write). A refused request
 * changes nothing. Items expire (TTL) a minute after their window ends.
 *
 * A fixed window lets a caller spend up to twice the limit across a window boundary; for a guard against
 * floods and guessing (the MFA lockout bounds guesses on its own) that is accepted for one write per request.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../../app/rate-limit.js';
import { rateLimitWindowEntity } from './entities/rate-limit-window.js';
import { rateLimitKey } from './keys.js';

/** Kept past the window's end, so a clock slightly behind still finds the count (then TTL removes it). */
const RETENTION_AFTER_WINDOW_SECONDS = 60;

export interface RateLimitSettings {
  /** Requests allowed per caller, route and window. */
  limit: number;
  windowSeconds: number;
}

export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  async take(subject: string, operation: string): Promise<RateDecision> {
    const windowMs = this.settings.windowSeconds * 1000;
    const now = this.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const windowEnd = windowStart + windowMs;
    const counter = rateLimitWindowEntity(subject, operation, windowStart);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateLimitKey(subject, operation, windowStart),
          UpdateExpression: 'SET #type = :type, expiresAt = :expiresAt ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#type': 'type', '#count': 'count' },
          ExpressionAttributeValues: {
            ':type': counter.type,
            // `expiresAt` is the table's TTL attribute (epoch seconds).
            ':expiresAt': Math.ceil(windowEnd / 1000) + RETENTION_AFTER_WINDOW_SECONDS,
            ':one': 1,
            ':limit': this.settings.limit,
          },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
    }
  }
}
