import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { GiftEntity } from '../../../../shared/adapters/dynamodb/entities/gift.js';
import { giftOpeningEntity } from '../../../../shared/adapters/dynamodb/entities/gift-opening.js';
import { MalformedItemError } from '../../../../shared/adapters/dynamodb/entity.js';
import { p2pTransferKey } from '../../../../shared/adapters/dynamodb/keys.js';
import { DynamoDbP2pTransfers } from '../../../../shared/adapters/dynamodb/p2p-transfers.js';

const documentMock = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);

describe('Class: DynamoDbP2pTransfers', () => {
  beforeEach(() => documentMock.reset());

  it('refuses a stored transfer without a status instead of handing it on as a transfer', async () => {
    // Arrange
    documentMock.on(GetCommand).resolves({
      Item: {
        ...p2pTransferKey('p2p_1'),
        type: 'P2pTransfer',
        version: 1,
        transferId: 'p2p_1',
        amount: 300,
        currency: 'USD',
        sender: { userId: 'a', walletId: 'tw_a' },
        recipient: { userId: 'b', walletId: 'tw_b' },
        note: null,
        roomId: '!r',
        expiresAt: '2030-01-01T00:05:00.000Z',
        createdAt: '2030-01-01T00:00:00.000Z',
      },
    });

    // Act
    const reading = new DynamoDbP2pTransfers(client, 'table').get('p2p_1');

    // Assert
    await expect(reading).rejects.toThrow(MalformedItemError);
  });
});

describe('Entity: Gift', () => {
  it('reads the claimed shares as the number set the claims ADD to', () => {
    // Arrange
    const item = {
      ...GiftEntity.toItem({
        giftId: 'gift_1',
        status: 'active',
        totalAmount: 300,
        currency: 'USD',
        count: 3,
        remaining: 1,
        distribution: 'equal',
        shares: [100, 100, 100],
        message: null,
        creator: { userId: 'a', walletId: 'tw_a' },
        roomId: '!r',
        expiresAt: '2030-01-02T00:00:00.000Z',
        createdAt: '2030-01-01T00:00:00.000Z',
      }),
      claimed: new Set([2, 0]),
    };

    // Act & Assert
    expect(GiftEntity.fromItem(item).claimed).toEqual(new Set([0, 2]));
    expect(() => GiftEntity.fromItem({ ...item, claimed: [0, 2] })).toThrow(MalformedItemError);
  });
});

describe('Entity: GiftOpening', () => {
  it("is keyed in the gift's partition without repeating the gift id in the item", () => {
    // Act
    const item = giftOpeningEntity('gift_1').toItem({
      userId: 'b',
      amount: 100,
      openedAt: '2030-01-01T00:01:00.000Z',
      share: 0,
    });

    // Assert
    expect(item).toEqual({
      PK: 'GIFT#gift_1',
      SK: 'OPENING#b',
      type: 'GiftOpening',
      version: 1,
      userId: 'b',
      amount: 100,
      openedAt: '2030-01-01T00:01:00.000Z',
      share: 0,
    });
  });
});
