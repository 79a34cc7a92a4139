/**
 * A user's second factors in the user's partition (PIN hash, sealed TOTP secret, device keys), read with one
 * Query on the `MFA#` prefix. Every change a concurrent request could race is a conditional write.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { enrolledMethods } from '../../app/mfa/common.js';
import type { DeviceKey, MfaFactors, UserFactors } from '../../app/mfa/ports.js';
import type { MfaMethod } from '../../domain/mfa.js';
import { mfaDeviceEntity } from './entities/mfa-device.js';
import { mfaPinEntity } from './entities/mfa-pin.js';
import { mfaTotpEntity } from './entities/mfa-totp.js';
import { ABSENT } from './entity.js';
import { MFA_FACTOR_SORT_PREFIX, mfaFactorsPartition, mfaTotpKey } from './keys.js';

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
    const pin = mfaPinEntity(userId);
    const totp = mfaTotpEntity(userId);
    const device = mfaDeviceEntity(userId);
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
      for (const item of page.Items ?? []) {
        if (item.type === pin.type) {
          const { pinHash, updatedAt } = pin.fromItem(item);
          factors.pin = { hash: pinHash, updatedAt };
        } else if (item.type === totp.type) factors.totp = totp.fromItem(item);
        else if (item.type === device.type) factors.devices.push(device.fromItem(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return factors;
  }

  async setPin(userId: string, hash: string, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: mfaPinEntity(userId).toItem({ pinHash: hash, updatedAt: at }),
      }),
    );
  }

  async startTotp(userId: string, sealedSecret: string, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: mfaTotpEntity(userId).toItem({ sealedSecret, status: 'pending_confirmation', createdAt: at }),
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
          Item: mfaDeviceEntity(userId).toItem(device),
          // The same key again is harmless; another key under the same id is not.
          ConditionExpression: `${ABSENT} OR publicKey = :key`,
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
      await this.client.send(new UpdateCommand(useTotpStepUpdate(this.tableName, userId, step)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/**
 * Claims a TOTP step: only a later step than the last used one, and only while TOTP is confirmed (alone for
 * a step-up, or in one transaction with the challenge it settles).
 */
export function useTotpStepUpdate(tableName: string, userId: string, step: number) {
  return {
    TableName: tableName,
    Key: mfaTotpKey(userId),
    UpdateExpression: 'SET lastUsedStep = :step ADD version :one',
    ConditionExpression:
      '#status = :confirmed AND (attribute_not_exists(lastUsedStep) OR lastUsedStep < :step)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':confirmed': 'confirmed', ':step': step, ':one': 1 },
  };
}
