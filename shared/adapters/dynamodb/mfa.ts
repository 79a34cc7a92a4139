/**
 * MFA in the single table: a user's factors (PIN hash, sealed TOTP secret, device keys) in the user's
 * partition, one item per challenge, one item per failed attempt (TTL: the lockout window). Every change
 * that a concurrent request could race is a conditional write.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { enrolledMethods } from '../../app/mfa/common.js';
import type {
  ChallengeChange,
  ChallengeStore,
  DeviceKey,
  MfaFactors,
  MfaFailure,
  MfaFailureLog,
  SettleOutcome,
  TotpFactor,
  UserFactors,
} from '../../app/mfa/ports.js';
import { type Challenge, MFA_LOCKOUT, type MfaMethod } from '../../domain/mfa.js';
import { retryOnConflict } from './conflicts.js';
import {
  challengeKey,
  MFA_FACTOR_SORT_PREFIX,
  mfaDeviceKey,
  mfaFactorsPartition,
  mfaFailureKey,
  mfaFailuresPartition,
  mfaPinKey,
  mfaTotpKey,
} from './keys.js';

const ENTITY = {
  pin: 'MfaPin',
  totp: 'MfaTotp',
  device: 'MfaDevice',
  challenge: 'MfaChallenge',
  failure: 'MfaFailure',
} as const;

/** Challenge items are kept a week past their lifetime (for support), then TTL removes them. */
const CHALLENGE_RETENTION_SECONDS = 7 * 24 * 3600;

type Item = Record<string, unknown>;

export class DynamoDbMfaFactors implements MfaFactors {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async methodsOf(userId: string): Promise<MfaMethod[]> {
    return enrolledMethods(await this.factorsOf(userId));
  }

  async factorsOf(userId: string): Promise<UserFactors> {
    const factors: UserFactors = { devices: [] };
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': mfaFactorsPartition(userId),
            ':prefix': MFA_FACTOR_SORT_PREFIX,
          },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) addFactor(factors, item);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return factors;
  }

  async setPin(userId: string, hash: string, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...mfaPinKey(userId), type: ENTITY.pin, version: 1, userId, pinHash: hash, updatedAt: at },
      }),
    );
  }

  async startTotp(userId: string, sealedSecret: string, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...mfaTotpKey(userId),
          type: ENTITY.totp,
          version: 1,
          userId,
          sealedSecret,
          status: 'pending_confirmation',
          createdAt: at,
        },
      }),
    );
  }

  async confirmTotp(userId: string, sealedSecret: string, step: number, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mfaTotpKey(userId),
          UpdateExpression:
            'SET #status = :confirmed, lastUsedStep = :step, confirmedAt = :at ADD version :one',
          ConditionExpression: '#status = :pending AND sealedSecret = :sealed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':confirmed': 'confirmed',
            ':pending': 'pending_confirmation',
            ':sealed': sealedSecret,
            ':step': step,
            ':at': at,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async addDevice(userId: string, device: DeviceKey): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...mfaDeviceKey(userId, device.deviceId),
            type: ENTITY.device,
            version: 1,
            userId,
            ...device,
          },
          // The same key again is harmless; another key under the same id is not.
          ConditionExpression: 'attribute_not_exists(PK) OR publicKey = :key',
          ExpressionAttributeValues: { ':key': device.publicKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function addFactor(factors: UserFactors, item: Item): void {
  switch (item.type) {
    case ENTITY.pin:
      factors.pin = { hash: String(item.pinHash), updatedAt: String(item.updatedAt) };
      return;
    case ENTITY.totp: {
      const totp: TotpFactor = {
        sealedSecret: String(item.sealedSecret),
        status: item.status === 'confirmed' ? 'confirmed' : 'pending_confirmation',
        createdAt: String(item.createdAt),
      };
      if (typeof item.lastUsedStep === 'number') totp.lastUsedStep = item.lastUsedStep;
      if (typeof item.confirmedAt === 'string') totp.confirmedAt = item.confirmedAt;
      factors.totp = totp;
      return;
    }
    case ENTITY.device:
      factors.devices.push({
        deviceId: String(item.deviceId),
        publicKey: String(item.publicKey),
        createdAt: String(item.createdAt),
      });
      return;
  }
}

export class DynamoDbChallenges implements ChallengeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(challenge: Challenge): Promise<void> {
    const { expiresAt, ...rest } = challenge;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...challengeKey(challenge.challengeId),
          type: ENTITY.challenge,
          version: 1,
          ...rest,
          // `expiresAt` is the table's TTL attribute (epoch seconds); the challenge's own expiry is an ISO time.
          challengeExpiresAt: expiresAt,
          expiresAt: Math.floor(Date.parse(expiresAt) / 1000) + CHALLENGE_RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(challengeId: string): Promise<Challenge | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: challengeKey(challengeId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toChallenge(item);
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
              {
                Update: {
                  TableName: this.tableName,
                  Key: mfaTotpKey(totpStep.userId),
                  UpdateExpression: 'SET lastUsedStep = :step ADD version :one',
                  ConditionExpression:
                    '#status = :confirmed AND (attribute_not_exists(lastUsedStep) OR lastUsedStep < :step)',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':confirmed': 'confirmed', ':step': totpStep.step, ':one': 1 },
                },
              },
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

function toChallenge(item: Item): Challenge {
  const challenge: Challenge = {
    challengeId: String(item.challengeId),
    paymentId: String(item.paymentId),
    userId: String(item.userId),
    method: item.method as MfaMethod,
    status: item.status as Challenge['status'],
    attempts: Number(item.attempts),
    maxAttempts: Number(item.maxAttempts),
    expiresAt: String(item.challengeExpiresAt),
    createdAt: String(item.createdAt),
  };
  if (typeof item.nonce === 'string') challenge.nonce = item.nonce;
  return challenge;
}

export class DynamoDbMfaFailures implements MfaFailureLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(failure: MfaFailure): Promise<void> {
    const failedAt = failure.at.toISOString();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          // Each failure its own item (a unique sort key): concurrent failures never overwrite each other.
          ...mfaFailureKey(failure.userId, failedAt, randomUUID()),
          type: ENTITY.failure,
          version: 1,
          userId: failure.userId,
          paymentId: failure.paymentId,
          challengeId: failure.challengeId,
          failedAt,
          expiresAt: Math.floor(failure.at.getTime() / 1000) + MFA_LOCKOUT.windowSeconds,
        },
      }),
    );
  }

  async since(userId: string, since: Date): Promise<string[]> {
    const times: string[] = [];
    let startKey: Item | undefined;
    do {
      // TTL deletes lazily, so the window is the key condition, not the expiry.
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK >= :since',
          ExpressionAttributeValues: { ':pk': mfaFailuresPartition(userId), ':since': since.toISOString() },
          ProjectionExpression: 'failedAt',
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) times.push(String(item.failedAt));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return times;
  }
}
