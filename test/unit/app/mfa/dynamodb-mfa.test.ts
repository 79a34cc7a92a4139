import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  challengeKey,
  mfaDeviceKey,
  mfaFailureKey,
  mfaFailuresPartition,
  mfaPinKey,
  mfaTotpKey,
} from '../../../../shared/adapters/dynamodb/keys.js';
import {
  DynamoDbChallenges,
  DynamoDbMfaFactors,
  DynamoDbMfaFailures,
} from '../../../../shared/adapters/dynamodb/mfa.js';
import type { Challenge } from '../../../../shared/domain/mfa.js';

const TABLE = 'tween-payments-test';
const USER = '@alice:tween.example';

const documentMock = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);

const challenge: Challenge = {
  challengeId: 'ch_1',
  paymentId: 'pay_1',
  userId: USER,
  method: 'transaction_pin',
  status: 'pending',
  attempts: 0,
  maxAttempts: 3,
  expiresAt: '2030-01-01T00:05:00.000Z',
  createdAt: '2030-01-01T00:00:00.000Z',
};

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

function cancelled(codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

describe('Function: MFA key builders', () => {
  it("returns the factors in the user's partition under MFA#, apart from the saved cards", () => {
    // Arrange & Act
    const keys = [mfaPinKey(USER), mfaTotpKey(USER), mfaDeviceKey(USER, 'phone-1')];

    // Assert
    expect(keys).toEqual([
      { PK: `USER#${USER}`, SK: 'MFA#PIN' },
      { PK: `USER#${USER}`, SK: 'MFA#TOTP' },
      { PK: `USER#${USER}`, SK: 'MFA#DEVICE#phone-1' },
    ]);
  });

  it('returns one partition per challenge and per user of failures, sorted by time', () => {
    // Arrange & Act & Assert
    expect(challengeKey('ch_1')).toEqual({ PK: 'CHALLENGE#ch_1', SK: 'CHALLENGE' });
    expect(mfaFailureKey(USER, '2030-01-01T00:00:00.000Z', 'u1')).toEqual({
      PK: `MFAFAILURES#${USER}`,
      SK: '2030-01-01T00:00:00.000Z#u1',
    });
  });
});

describe('Class: DynamoDbMfaFailures', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  it('puts each failure as its own item that expires an hour later', async () => {
    // Arrange
    documentMock.on(PutCommand).resolves({});
    const failures = new DynamoDbMfaFailures(client, TABLE);
    const at = new Date('2030-01-01T00:00:00.000Z');

    // Act
    await failures.record({ userId: USER, paymentId: 'pay_1', challengeId: 'ch_1', at });
    await failures.record({ userId: USER, paymentId: 'pay_1', challengeId: 'ch_1', at });

    // Assert
    const items = documentMock.commandCalls(PutCommand).map((call) => call.args[0].input.Item ?? {});
    expect(items[0]).toMatchObject({
      PK: mfaFailuresPartition(USER),
      type: 'MfaFailure',
      failedAt: at.toISOString(),
      expiresAt: at.getTime() / 1000 + 3600,
    });
    expect(items[0]?.SK).not.toBe(items[1]?.SK);
  });

  it('counts the window with a Query on the sort key, never a Scan', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({ Items: [{ failedAt: '2030-01-01T00:10:00.000Z' }] });
    const failures = new DynamoDbMfaFailures(client, TABLE);
    const since = new Date('2030-01-01T00:00:00.000Z');

    // Act
    const times = await failures.since(USER, since);

    // Assert
    expect(times).toEqual(['2030-01-01T00:10:00.000Z']);
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND SK >= :since',
      ExpressionAttributeValues: { ':pk': mfaFailuresPartition(USER), ':since': since.toISOString() },
      ConsistentRead: true,
    });
    expect(documentMock).not.toHaveReceivedCommand(ScanCommand);
  });
});

describe('Class: DynamoDbChallenges', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  it("stores the challenge's expiry apart from the table's numeric TTL and reads it back", async () => {
    // Arrange
    documentMock.on(PutCommand).resolves({});
    const challenges = new DynamoDbChallenges(client, TABLE);
    await challenges.create(challenge);
    const stored = documentMock.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    documentMock.on(GetCommand).resolves({ Item: stored });

    // Act
    const read = await challenges.get('ch_1');

    // Assert
    expect(stored).toMatchObject({
      ...challengeKey('ch_1'),
      challengeExpiresAt: challenge.expiresAt,
      expiresAt: Date.parse(challenge.expiresAt) / 1000 + 7 * 24 * 3600,
    });
    expect(read).toEqual(challenge);
  });

  it('settles with an update conditional on pending and the attempts seen', async () => {
    // Arrange
    documentMock.on(UpdateCommand).resolves({});
    const challenges = new DynamoDbChallenges(client, TABLE);

    // Act
    const outcome = await challenges.settle('ch_1', 1, {
      status: 'pending',
      attempts: 2,
      at: challenge.createdAt,
    });

    // Assert
    expect(outcome).toBe('settled');
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: challengeKey('ch_1'),
      ConditionExpression: '#status = :pending AND attempts = :seen',
      ExpressionAttributeValues: expect.objectContaining({
        ':seen': 1,
        ':attempts': 2,
        ':status': 'pending',
      }),
    });
  });

  it('returns challenge_changed when the condition fails', async () => {
    // Arrange
    documentMock.on(UpdateCommand).rejects(conditionFailed());
    const challenges = new DynamoDbChallenges(client, TABLE);

    // Act
    const outcome = await challenges.settle('ch_1', 0, {
      status: 'verified',
      attempts: 1,
      at: challenge.createdAt,
    });

    // Assert
    expect(outcome).toBe('challenge_changed');
  });

  it('claims the TOTP step in the same transaction, only after the last used one', async () => {
    // Arrange
    documentMock.on(TransactWriteCommand).resolves({});
    const challenges = new DynamoDbChallenges(client, TABLE);

    // Act
    const outcome = await challenges.settle(
      'ch_1',
      0,
      { status: 'verified', attempts: 1, at: challenge.createdAt },
      { userId: USER, step: 42 },
    );

    // Assert
    expect(outcome).toBe('settled');
    const items = documentMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.Key).toEqual(challengeKey('ch_1'));
    expect(items[1]?.Update).toMatchObject({
      Key: mfaTotpKey(USER),
      ConditionExpression:
        '#status = :confirmed AND (attribute_not_exists(lastUsedStep) OR lastUsedStep < :step)',
      ExpressionAttributeValues: expect.objectContaining({ ':step': 42 }),
    });
  });

  it.each([
    [['None', 'ConditionalCheckFailed'], 'code_reused'],
    [['ConditionalCheckFailed', 'None'], 'challenge_changed'],
    [['ConditionalCheckFailed', 'ConditionalCheckFailed'], 'challenge_changed'],
  ])('returns %j → %s when the transaction is cancelled', async (codes, expected) => {
    // Arrange
    documentMock.on(TransactWriteCommand).rejects(cancelled(codes));
    const challenges = new DynamoDbChallenges(client, TABLE);

    // Act
    const outcome = await challenges.settle(
      'ch_1',
      0,
      { status: 'verified', attempts: 1, at: challenge.createdAt },
      { userId: USER, step: 42 },
    );

    // Assert
    expect(outcome).toBe(expected);
  });
});

describe('Class: DynamoDbMfaFactors', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  it('reads every factor with one Query on the MFA# prefix and derives the enrolled methods', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({
      Items: [
        {
          ...mfaDeviceKey(USER, 'phone-1'),
          type: 'MfaDevice',
          deviceId: 'phone-1',
          publicKey: 'k',
          createdAt: 't',
        },
        { ...mfaPinKey(USER), type: 'MfaPin', pinHash: 'scrypt$...', updatedAt: 't' },
        {
          ...mfaTotpKey(USER),
          type: 'MfaTotp',
          sealedSecret: 's',
          status: 'pending_confirmation',
          createdAt: 't',
        },
      ],
    });
    const factors = new DynamoDbMfaFactors(client, TABLE);

    // Act
    const methods = await factors.methodsOf(USER);

    // Assert
    expect(methods).toEqual(['transaction_pin', 'biometric']);
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `USER#${USER}`, ':prefix': 'MFA#' },
    });
  });

  it('returns false when a device id is already registered with another key', async () => {
    // Arrange
    documentMock.on(PutCommand).rejects(conditionFailed());
    const factors = new DynamoDbMfaFactors(client, TABLE);

    // Act
    const added = await factors.addDevice(USER, { deviceId: 'phone-1', publicKey: 'other', createdAt: 't' });

    // Assert
    expect(added).toBe(false);
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(PK) OR publicKey = :key',
    });
  });

  it('confirms TOTP only while it is pending with the same sealed secret', async () => {
    // Arrange
    documentMock.on(UpdateCommand).rejects(conditionFailed());
    const factors = new DynamoDbMfaFactors(client, TABLE);

    // Act
    const confirmed = await factors.confirmTotp(USER, 'sealed', 42, 't');

    // Assert
    expect(confirmed).toBe(false);
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: mfaTotpKey(USER),
      ConditionExpression: '#status = :pending AND sealedSecret = :sealed',
    });
  });
});
