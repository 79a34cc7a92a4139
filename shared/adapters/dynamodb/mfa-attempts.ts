/**
 * The MFA lockout as attempt slots in the user's own partition: a guess takes a free slot with a conditional
 * write before its factor is checked, so however many guesses arrive at once, at most MFA_LOCKOUT.failures
 * are checked (or have failed) within the window.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AttemptReservation, AttemptSlot, MfaAttempts } from '../../app/mfa/ports.js';
import { MFA_LOCKOUT } from '../../domain/mfa.js';
import { MfaAttemptSlotEntity, slotTtl, takenSlotOf } from './entities/mfa-attempt-slot.js';
import { ABSENT } from './entity.js';
import { mfaAttemptSlotKey, mfaAttemptsPartition } from './keys.js';

/** The attempt slots: MFA_LOCKOUT.failures of them, numbered from 0. */
const SLOTS = Array.from({ length: MFA_LOCKOUT.failures }, (_, slot) => slot);

/** Rounds of reading the slots again after concurrent guesses took every slot this one saw free. */
const RESERVE_ROUNDS = 3;

export class DynamoDbMfaAttempts implements MfaAttempts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(
    userId: string,
    attemptId: string,
    now: Date,
    windowStart: Date,
  ): Promise<AttemptReservation> {
    for (let round = 0; round < RESERVE_ROUNDS; round += 1) {
      const slots = await this.slots(userId);
      const free = SLOTS.filter((slot) => {
        const takenAt = slots.get(slot);
        return takenAt === undefined || takenAt < windowStart.toISOString();
      });
      if (free.length === 0) return { held: false, taken: [...slots.values()].sort() };
      for (const slot of free) {
        if (await this.take(userId, slot, attemptId, now, windowStart)) {
          return { held: true, slot: { userId, slot, attemptId } };
        }
      }
      // Every slot seen free was taken by a concurrent guess meanwhile: look again.
    }
    return { held: false, taken: [...(await this.slots(userId)).values()].sort() };
  }

  async release(slot: AttemptSlot): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: mfaAttemptSlotKey(slot.userId, slot.slot),
          ConditionExpression: 'attemptId = :attempt',
          ExpressionAttributeValues: { ':attempt': slot.attemptId },
        }),
      );
    } catch (error) {
      // Not ours any more: nothing of this attempt is left to free.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async fail(slot: AttemptSlot, at: Date, subject: string): Promise<void> {
    const failedAt = at.toISOString();
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mfaAttemptSlotKey(slot.userId, slot.slot),
        UpdateExpression:
          'SET #state = :failed, takenAt = :at, subject = :subject, expiresAt = :ttl ADD version :one',
        ConditionExpression: 'attemptId = :attempt',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':at': failedAt,
          ':subject': subject,
          ':ttl': slotTtl(at),
          ':attempt': slot.attemptId,
          ':one': 1,
        },
      }),
    );
  }

  async since(userId: string, since: Date): Promise<string[]> {
    const from = since.toISOString();
    return [...(await this.slots(userId)).values()].filter((takenAt) => takenAt >= from).sort();
  }

  /** Slot number → when it was taken, for every slot item there is (TTL deletes lazily: compare the time). */
  private async slots(userId: string): Promise<Map<number, string>> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': mfaAttemptsPartition(userId) },
        ProjectionExpression: 'slot, takenAt',
        ConsistentRead: true,
      }),
    );
    const slots = new Map<number, string>();
    for (const item of items) {
      const taken = takenSlotOf(item);
      if (taken !== undefined) slots.set(taken.slot, taken.takenAt);
    }
    return slots;
  }

  /** Takes the slot if it is free: never written, freed (deleted), or last taken before the window. */
  private async take(
    userId: string,
    slot: number,
    attemptId: string,
    now: Date,
    windowStart: Date,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: MfaAttemptSlotEntity.toItem({
            userId,
            slot,
            attemptId,
            state: 'checking',
            takenAt: now.toISOString(),
          }),
          ConditionExpression: `${ABSENT} OR takenAt < :windowStart`,
          ExpressionAttributeValues: { ':windowStart': windowStart.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
