import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  MfaChallengeEntity,
  toStoredChallenge,
} from '../../../../shared/adapters/dynamodb/entities/mfa-challenge.js';
import { stepUpGrantEntity } from '../../../../shared/adapters/dynamodb/entities/step-up-grant.js';
import { MalformedItemError } from '../../../../shared/adapters/dynamodb/entity.js';
import { mfaTotpKey } from '../../../../shared/adapters/dynamodb/keys.js';
import { DynamoDbMfaFactors } from '../../../../shared/adapters/dynamodb/mfa.js';

const USER = '@alice:tween.example';
const documentMock = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);

describe('Entity: MfaChallenge', () => {
  it('writes the challenge expiry as challengeExpiresAt and the TTL, a week past it, as expiresAt', () => {
    // Act
    const item = MfaChallengeEntity.toItem(
      toStoredChallenge({
        challengeId: 'ch_1',
        paymentId: 'pay_1',
        userId: USER,
        method: 'biometric',
        status: 'pending',
        attempts: 0,
        maxAttempts: 3,
        expiresAt: '2030-01-01T00:05:00.000Z',
        createdAt: '2030-01-01T00:00:00.000Z',
        nonce: 'n',
      }),
    );

    // Assert
    expect(item).toEqual({
      PK: 'CHALLENGE#ch_1',
      SK: 'CHALLENGE',
      type: 'MfaChallenge',
      version: 1,
      challengeId: 'ch_1',
      paymentId: 'pay_1',
      userId: USER,
      method: 'biometric',
      status: 'pending',
      attempts: 0,
      maxAttempts: 3,
      challengeExpiresAt: '2030-01-01T00:05:00.000Z',
      createdAt: '2030-01-01T00:00:00.000Z',
      nonce: 'n',
      expiresAt: Date.parse('2030-01-01T00:05:00.000Z') / 1000 + 7 * 24 * 3600,
    });
  });
});

describe('Entity: MfaStepUp', () => {
  it('keeps the token hash in the key only, the scope flat, and a TTL a day past the expiry', () => {
    // Act
    const item = stepUpGrantEntity('ab12').toItem({
      userId: USER,
      purpose: 'factors',
      amount: 0,
      currency: '-',
      tokenExpiresAt: '2030-01-01T00:05:00.000Z',
      createdAt: '2030-01-01T00:00:00.000Z',
    });

    // Assert
    expect(item).toEqual({
      PK: 'STEPUP#ab12',
      SK: 'STEPUP',
      type: 'MfaStepUp',
      version: 1,
      userId: USER,
      purpose: 'factors',
      amount: 0,
      currency: '-',
      tokenExpiresAt: '2030-01-01T00:05:00.000Z',
      createdAt: '2030-01-01T00:00:00.000Z',
      expiresAt: Date.parse('2030-01-01T00:05:00.000Z') / 1000 + 86_400,
    });
  });
});

describe('Class: DynamoDbMfaFactors', () => {
  beforeEach(() => documentMock.reset());

  it('refuses a TOTP factor whose status this code never writes, instead of reading it as pending', async () => {
    // Arrange
    documentMock.on(QueryCommand).resolves({
      Items: [
        {
          ...mfaTotpKey(USER),
          type: 'MfaTotp',
          userId: USER,
          sealedSecret: 's',
          status: 'revoked',
          createdAt: 't',
        },
      ],
    });

    // Act
    const reading = new DynamoDbMfaFactors(client, 'table').factorsOf(USER);

    // Assert
    await expect(reading).rejects.toThrow(MalformedItemError);
  });
});
