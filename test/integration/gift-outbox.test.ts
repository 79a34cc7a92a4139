import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbGiftStore } from '../../shared/adapters/dynamodb/gifts.js';
import { outboxKey } from '../../shared/adapters/dynamodb/keys.js';
import type { PostTransfer } from '../../shared/app/gifts/ports.js';
import { domainEventId } from '../../shared/domain/events.js';
import type { Gift } from '../../shared/domain/gift.js';
import { accounts } from '../../shared/domain/ledger.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { at, availableOf, fundedWallet, unique } from '../contract/subject.js';
import { createLocalTable, ledgerProblems, localDocumentClient, localLedger } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-gift-outbox`;
const client = localDocumentClient();
const ledger = localLedger(client, undefined, TABLE_NAME);
const gifts = new DynamoDbGiftStore(client, TABLE_NAME, ledger);
const ROOM = '!room:outbox.example';

async function outboxEvent(eventId: string): Promise<Record<string, unknown> | undefined> {
  const { Item: item } = await client.send(
    new GetCommand({ TableName: TABLE_NAME, Key: outboxKey(eventId), ConsistentRead: true }),
  );
  return item;
}

/** A new gift of shares [60, 40] from a wallet holding 1000, stored and funded. */
async function storedGift(): Promise<{ gift: Gift; creator: Awaited<ReturnType<typeof fundedWallet>> }> {
  const creator = await fundedWallet(ledger, 1000);
  const gift: Gift = {
    giftId: unique('gift_'),
    status: 'active',
    totalAmount: 100,
    currency: 'USD',
    count: 2,
    remaining: 2,
    claimed: [],
    distribution: 'random',
    shares: [60, 40],
    message: 'Cheers',
    creator: { userId: '@alice:outbox.example', walletId: creator.historyOwner },
    roomId: ROOM,
    expiresAt: at(100),
    createdAt: at(0),
  };
  const funding: PostTransfer = {
    type: 'post',
    id: `gift-fund-${gift.giftId}`,
    debit: creator,
    credit: accounts.giftEscrow(gift.giftId, 'USD'),
    amount: 100,
    code: 'gift_fund',
  };
  await gifts.create(gift, funding);
  return { gift, creator };
}

describe('Outbox: group gift events (DynamoDbGiftStore)', () => {
  beforeAll(async () => {
    await createLocalTable(TABLE_NAME);
  });

  afterAll(async () => {
    expect(await ledgerProblems(client, TABLE_NAME)).toEqual([]);
  });

  it('writes gift.created with the gift and its funding', async () => {
    // Act
    const { gift, creator } = await storedGift();

    // Assert
    const eventId = domainEventId('gift.created', gift.giftId);
    expect(await outboxEvent(eventId)).toMatchObject({
      detailType: 'gift.created',
      detail: {
        eventId,
        occurredAt: at(0),
        roomId: ROOM,
        giftId: gift.giftId,
        creator: '@alice:outbox.example',
        totalAmount: 100,
        currency: 'USD',
        count: 2,
        distribution: 'random',
        message: 'Cheers',
        expiresAt: at(100),
      },
    });
    expect(await availableOf(ledger, creator)).toBe(900);
  });

  it('writes gift.expired with the expiry and its refund', async () => {
    // Arrange
    const { gift, creator } = await storedGift();
    const refund: PostTransfer = {
      type: 'post',
      id: `gift-refund-${gift.giftId}`,
      debit: accounts.giftEscrow(gift.giftId, 'USD'),
      credit: creator,
      amount: 100,
      code: 'gift_refund',
    };

    // Act
    const outcome = await gifts.expire(gift, refund, at(100));
    const again = await gifts.expire(gift, refund, at(101));

    // Assert
    expect([outcome, again]).toEqual(['expired', 'changed']);
    const eventId = domainEventId('gift.expired', gift.giftId);
    expect(await outboxEvent(eventId)).toMatchObject({
      detailType: 'gift.expired',
      detail: {
        eventId,
        occurredAt: at(100),
        roomId: ROOM,
        giftId: gift.giftId,
        remaining: 2,
        refundedAmount: 100,
        currency: 'USD',
      },
    });
    expect(await availableOf(ledger, creator)).toBe(1000);
  });

  it('writes gift.expired once for a gift opened in full, with nothing refunded', async () => {
    // Arrange
    const { gift } = await storedGift();
    const opened: Gift = { ...gift, status: 'fully_opened', remaining: 0, claimed: [0, 1] };

    // Act
    await gifts.announceFullyOpenedExpiry(opened);
    await gifts.announceFullyOpenedExpiry(opened);

    // Assert
    const eventId = domainEventId('gift.expired', gift.giftId);
    expect(await outboxEvent(eventId)).toMatchObject({
      detailType: 'gift.expired',
      detail: { eventId, occurredAt: at(100), giftId: gift.giftId, remaining: 0, refundedAmount: 0 },
    });
  });
});
