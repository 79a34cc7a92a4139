/**
 * MFA in the single table: a user's factors (PIN hash, sealed TOTP secret, device keys) in the user's
 * partition, one item per challenge, the user's attempt slots (the lockout), step-up grants (by token hash)
 * and the pending biometric step-up nonce. Every change
 * that a concurrent request could race is a conditional write.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { enrolledMethods } from '../../app/mfa/common.js';
import type {
  AttemptReservation,
  AttemptSlot,
  ChallengeChange,
  ChallengeStore,
  DeviceKey,
  MfaAttempts,
  MfaFactors,
  SettleOutcome,
  StepUpStore,
  TotpFactor,
  UserFactors,
} from '../../app/mfa/ports.js';
import { type Challenge, MFA_LOCKOUT, type MfaMethod } from '../../domain/mfa.js';
import type { StepUpGrant, StepUpNonce, StepUpScope } from '../../domain/step-up.js';
import { retryOnConflict } from './conflicts.js';
import {
  challengeKey,
  MFA_FACTOR_SORT_PREFIX,
  mfaAttemptSlotKey,
  mfaAttemptsPartition,
  mfaDeviceKey,
  mfaFactorsPartition,
  mfaPinKey,
  mfaTotpKey,
  stepUpNonceKey,
  stepUpTokenKey,
} from './keys.js';

const ENTITY = {
  pin: 'MfaPin',
  totp: 'MfaTotp',
  device: 'MfaDevice',
  challenge: 'MfaChallenge',
  attempt: 'MfaAttemptSlot',
  stepUp: 'MfaStepUp',
  stepUpNonce: 'MfaStepUpNonce',
} as const;

/** The attempt slots: MFA_LOCKOUT.failures of them, numbered from 0. */
const SLOTS = Array.from({ length: MFA_LOCKOUT.failures }, (_, slot) => slot);

/** Rounds of reading the slots again after concurrent guesses took every slot this one saw free. */
const RESERVE_ROUNDS = 3;

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

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mfaTotpKey(userId),
          UpdateExpression: 'SET lastUsedStep = :step ADD version :one',
          ConditionExpression:
            '#status = :confirmed AND (attribute_not_exists(lastUsedStep) OR lastUsedStep < :step)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':step': step, ':one': 1 },
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
          ':ttl': Math.floor(at.getTime() / 1000) + MFA_LOCKOUT.windowSeconds,
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
      if (typeof item.slot === 'number' && typeof item.takenAt === 'string')
        slots.set(item.slot, item.takenAt);
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
          Item: {
            ...mfaAttemptSlotKey(userId, slot),
            type: ENTITY.attempt,
            version: 1,
            userId,
            slot,
            attemptId,
            state: 'checking',
            takenAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + MFA_LOCKOUT.windowSeconds,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR takenAt < :windowStart',
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

export class DynamoDbStepUps implements StepUpStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async grant(grant: StepUpGrant): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...stepUpTokenKey(grant.tokenHash),
          type: ENTITY.stepUp,
          version: 1,
          userId: grant.userId,
          ...scopeAttributes(grant.scope),
          tokenExpiresAt: grant.expiresAt,
          createdAt: grant.createdAt,
          expiresAt: ttlOf(grant.expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
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
        Item: {
          ...stepUpNonceKey(nonce.userId),
          type: ENTITY.stepUpNonce,
          version: 1,
          userId: nonce.userId,
          nonce: nonce.nonce,
          ...scopeAttributes(nonce.scope),
          nonceExpiresAt: nonce.expiresAt,
          expiresAt: ttlOf(nonce.expiresAt),
        },
      }),
    );
  }

  async nonceOf(userId: string): Promise<StepUpNonce | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: stepUpNonceKey(userId), ConsistentRead: true }),
    );
    if (item === undefined) return undefined;
    const scope: StepUpScope =
      item.purpose === 'transfer'
        ? { purpose: 'transfer', amount: Number(item.amount), currency: String(item.currency) }
        : { purpose: 'factors' };
    return { userId, nonce: String(item.nonce), scope, expiresAt: String(item.nonceExpiresAt) };
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

/** `factors` is stored with amount 0 and currency '-', so one condition compares every scope. */
function scopeAttributes(scope: StepUpScope): { purpose: string; amount: number; currency: string } {
  return scope.purpose === 'factors'
    ? { purpose: 'factors', amount: 0, currency: '-' }
    : { purpose: 'transfer', amount: scope.amount, currency: scope.currency };
}

/** The table's TTL (epoch seconds): a day past the ISO expiry, for support. */
function ttlOf(expiresAt: string): number {
  return Math.floor(Date.parse(expiresAt) / 1000) + 86_400;
}
