/**
 * Circuit breakers in the single table: one item per breaker (`BREAKER#<provider>`) holding the consecutive
 * `failures` and, while open, `openedAt` (epoch ms). Failures are counted with `ADD` (concurrent ones all
 * count); opening, claiming the trial and closing are conditional on `openedAt` as the caller read it, so of
 * concurrent invocations exactly one wins each step.
 *
 * No in-memory cache of the state: the read is one eventually consistent GetItem (0.5 RCU, a few ms in the
 * Region; $0.125 per million on demand) in front of a processor call that takes hundreds of ms and costs
 * far more, and every decision it feeds is re-checked by a conditional write anyway. A cache would only let
 * a warm container keep calling a processor the others already found dead, or keep failing fast after a
 * trial closed the breaker.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BreakerStore } from '../../app/resilience/ports.js';
import { type BreakerState, CLOSED_BREAKER } from '../../domain/circuit-breaker.js';
import { circuitBreakerEntity } from './entities/circuit-breaker.js';
import { breakerKey } from './keys.js';

export class DynamoDbBreakerStore implements BreakerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(breaker: string): Promise<BreakerState> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: breakerKey(breaker),
        ProjectionExpression: 'failures, openedAt',
      }),
    );
    return Item === undefined ? CLOSED_BREAKER : circuitBreakerEntity(breaker).fromItem(Item);
  }

  async addFailure(breaker: string): Promise<BreakerState> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: breakerKey(breaker),
        UpdateExpression: 'SET #type = :type ADD failures :one',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': circuitBreakerEntity(breaker).type, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes === undefined ? { failures: 1 } : circuitBreakerEntity(breaker).fromItem(Attributes);
  }

  open(breaker: string, expected: number | undefined, at: number): Promise<boolean> {
    return this.#conditionally(breaker, expected, {
      UpdateExpression: 'SET #type = :type, openedAt = :at',
      ExpressionAttributeValues: { ':type': circuitBreakerEntity(breaker).type, ':at': at },
    });
  }

  close(breaker: string, expected: number | undefined): Promise<boolean> {
    return this.#conditionally(breaker, expected, {
      UpdateExpression: 'SET #type = :type, failures = :zero REMOVE openedAt',
      ExpressionAttributeValues: { ':type': circuitBreakerEntity(breaker).type, ':zero': 0 },
    });
  }

  /** One update, only while `openedAt` is still `expected` (absent when undefined); false when it is not. */
  async #conditionally(
    breaker: string,
    expected: number | undefined,
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: breakerKey(breaker),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression:
            expected === undefined ? 'attribute_not_exists(openedAt)' : 'openedAt = :expected',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...(expected === undefined ? {} : { ':expected': expected }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
