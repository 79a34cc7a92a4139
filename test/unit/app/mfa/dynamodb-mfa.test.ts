import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
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
  mfaAttemptSlotKey,
  mfaAttemptsPartition,
  mfaDeviceKey,
  mfaPinKey,
  mfaTotpKey,
  stepUpNonceKey,
  stepUpTokenKey,
} from '../../../../shared/adapters/dynamodb/keys.js';
import {
  DynamoDbChallenges,
  DynamoDbMfaAttempts,
  DynamoDbMfaFactors,
  DynamoDbStepUps,
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

  it('returns one partition per challenge, per user of attempt slots, per step-up token hash', () => {
    // Arrange & Act & Assert
    expect(challengeKey('ch_1')).toEqual({ PK: 'CHALLENGE#ch_1', SK: 'CHALLENGE' });
    expect(mfaAttemptSlotKey(USER, 3)).toEqual({ PK: `MFAATTEMPTS#${USER}`, SK: 'SLOT#3' });
    expect(stepUpTokenKey('ab12')).toEqual({ PK: 'STEPUP#ab12', SK: 'STEPUP' });
    expect(stepUpNonceKey(USER)).toEqual({ PK: `USER#${USER}`, SK: 'STEPUP#NONCE' });
  });
});

describe('Class: DynamoDbMfaAttempts', () => {
  const now = new Date('2030-01-01T01:00:00.000Z');
  const windowStart = new Date('2030-01-01T00:00:00.000Z');

  beforeEach(() => {
    documentMock.reset();
  });

  it('takes the first free slot with a conditional put that only overwrites a slot older than the window', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({ Items: [{ slot: 0, takenAt: '2030-01-01T00:30:00.000Z' }] });
    documentMock.on(PutCommand).resolves({});
    const attempts = new DynamoDbMfaAttempts(client, TABLE);

    // Act
    const reservation = await attempts.reserve(USER, 'att_1', now, windowStart);

    // Assert
    expect(reservation).toEqual({ held: true, slot: { userId: USER, slot: 1, attemptId: 'att_1' } });
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({
        ...mfaAttemptSlotKey(USER, 1),
        attemptId: 'att_1',
        takenAt: now.toISOString(),
      }),
      ConditionExpression: 'attribute_not_exists(PK) OR takenAt < :windowStart',
      ExpressionAttributeValues: { ':windowStart': windowStart.toISOString() },
    });
    expect(documentMock).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': mfaAttemptsPartition(USER) },
      ConsistentRead: true,
    });
    expect(documentMock).not.toHaveReceivedCommand(ScanCommand);
  });

  it('tries the next slot when a concurrent guess took the one it saw free', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({ Items: [] });
    documentMock.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    const attempts = new DynamoDbMfaAttempts(client, TABLE);

    // Act
    const reservation = await attempts.reserve(USER, 'att_1', now, windowStart);

    // Assert
    expect(reservation).toMatchObject({ held: true, slot: { slot: 1 } });
  });

  it('returns the times the slots were taken, writing nothing, when all five are within the window', async () => {
    // Arrange
    const taken = [4, 3, 2, 1, 0].map((slot) => ({ slot, takenAt: `2030-01-01T00:1${slot}:00.000Z` }));
    documentMock.on(QueryCommand).resolves({ Items: taken });
    const attempts = new DynamoDbMfaAttempts(client, TABLE);

    // Act
    const reservation = await attempts.reserve(USER, 'att_1', now, windowStart);

    // Assert
    expect(reservation).toEqual({ held: false, taken: taken.map((item) => item.takenAt).sort() });
    expect(documentMock).not.toHaveReceivedCommand(PutCommand);
  });

  it('frees a slot only while this attempt holds it, and keeps a failure dated for the window', async () => {
    // Arrange
    documentMock.on(DeleteCommand).rejects(conditionFailed());
    documentMock.on(UpdateCommand).resolves({});
    const attempts = new DynamoDbMfaAttempts(client, TABLE);
    const slot = { userId: USER, slot: 2, attemptId: 'att_1' };

    // Act
    await attempts.release(slot);
    await attempts.fail(slot, now, 'payment:pay_1');

    // Assert
    expect(documentMock).toHaveReceivedCommandWith(DeleteCommand, {
      Key: mfaAttemptSlotKey(USER, 2),
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: { ':attempt': 'att_1' },
    });
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: mfaAttemptSlotKey(USER, 2),
      ConditionExpression: 'attemptId = :attempt',
      ExpressionAttributeValues: expect.objectContaining({
        ':at': now.toISOString(),
        ':ttl': now.getTime() / 1000 + 3600,
      }),
    });
  });
});

describe('Class: DynamoDbStepUps', () => {
  beforeEach(() => {
    documentMock.reset();
  });

  it('stores only the hash of a token, never overwriting a grant', async () => {
    // Arrange
    documentMock.on(PutCommand).resolves({});
    const stepUps = new DynamoDbStepUps(client, TABLE);

    // Act
    await stepUps.grant({
      tokenHash: 'ab12',
      userId: USER,
      scope: { purpose: 'transfer', amount: 5001, currency: 'USD' },
      expiresAt: '2030-01-01T00:05:00.000Z',
      createdAt: '2030-01-01T00:00:00.000Z',
    });

    // Assert
    expect(documentMock).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        ...stepUpTokenKey('ab12'),
        userId: USER,
        purpose: 'transfer',
        amount: 5001,
        currency: 'USD',
        tokenExpiresAt: '2030-01-01T00:05:00.000Z',
      }),
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('spends a token with one conditional update naming the user, scope, expiry and that it is unspent', async () => {
    // Arrange
    documentMock.on(UpdateCommand).resolvesOnce({}).rejects(conditionFailed());
    const stepUps = new DynamoDbStepUps(client, TABLE);
    const now = new Date('2030-01-01T00:01:00.000Z');

    // Act
    const first = await stepUps.spend('ab12', USER, { purpose: 'factors' }, now);
    const second = await stepUps.spend('ab12', USER, { purpose: 'factors' }, now);

    // Assert
    expect([first, second]).toEqual([true, false]);
    expect(documentMock).toHaveReceivedCommandWith(UpdateCommand, {
      Key: stepUpTokenKey('ab12'),
      ConditionExpression: expect.stringContaining('attribute_not_exists(spentAt)'),
      ExpressionAttributeValues: expect.objectContaining({
        ':user': USER,
        ':purpose': 'factors',
        ':amount': 0,
        ':currency': '-',
        ':now': now.toISOString(),
      }),
    });
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
