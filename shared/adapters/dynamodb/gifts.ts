/**
 * Group gifts on the single table: the gift item (`GIFT#id` / `GIFT`) and one opening item per opener in
 * the same partition (`OPENING#<user>`), so a read of the partition gives the gift with its openings.
 *
 * Money never moves apart from the state it belongs to: creating a gift, claiming a share and expiring a
 * gift are each ONE transaction with their ledger transfer (DynamoDbLedger.executeWith) and their event
 * (gift.created, gift.opened, gift.expired: the outbox).
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { GiftClaim, GiftStore, PostTransfer } from '../../app/gifts/ports.js';
import { type Gift, type GiftOpening, giftCreatedEvent, giftExpiredEvent } from '../../domain/gift.js';
import { GiftEntity } from './entities/gift.js';
import { giftOpeningEntity } from './entities/gift-opening.js';
import { ABSENT } from './entity.js';
import { giftKey, giftOpeningKey, giftPartition } from './keys.js';
import { CompanionConditionFailedError, type DynamoDbLedger } from './ledger.js';
import { outboxItem, outboxPut } from './outbox.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export class DynamoDbGiftStore implements GiftStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ledger: DynamoDbLedger,
  ) {}

  async create(gift: Gift, funding: PostTransfer): Promise<Gift> {
    try {
      await this.ledger.executeWith(funding, [
        {
          Put: {
            TableName: this.tableName,
            // `claimed` is left out: an empty set cannot be stored, and claims ADD to it.
            Item: GiftEntity.toItem(withoutClaims(gift)),
            ConditionExpression: ABSENT,
          },
        },
        outboxPut(this.tableName, 'gift.created', giftCreatedEvent(gift), new Date(gift.createdAt)),
      ]);
      return gift;
    } catch (error) {
      if (!(error instanceof CompanionConditionFailedError)) throw error;
      // The gift exists: a retried or concurrent twin of this request stored it (and funded it) first.
      const stored = await this.get(gift.giftId);
      if (stored === undefined) throw error;
      return stored;
    }
  }

  async get(giftId: string): Promise<Gift | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: giftKey(giftId), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toGift(item);
  }

  async openings(giftId: string): Promise<GiftOpening[]> {
    const entity = giftOpeningEntity(giftId);
    const openings: GiftOpening[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :openings)',
          ExpressionAttributeValues: { ':pk': giftPartition(giftId), ':openings': 'OPENING#' },
          ConsistentRead: true,
          ...(after === undefined ? {} : { ExclusiveStartKey: after }),
        }),
      );
      openings.push(...(page.Items ?? []).map((item) => entity.fromItem(item)));
      after = page.LastEvaluatedKey;
    } while (after !== undefined);
    return openings.sort((a, b) => a.share - b.share);
  }

  async openingOf(giftId: string, userId: string): Promise<GiftOpening | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: giftOpeningKey(giftId, userId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : giftOpeningEntity(giftId).fromItem(item);
  }

  async getForOpener(giftId: string, userId: string): Promise<{ gift?: Gift; opening?: GiftOpening }> {
    const gift = giftKey(giftId);
    const opening = giftOpeningKey(giftId, userId);
    const { Responses: responses = {}, UnprocessedKeys: unprocessed = {} } = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: [gift, opening], ConsistentRead: true } },
      }),
    );
    // A throttled batch leaves keys unprocessed: read them one by one rather than guess.
    if (Object.keys(unprocessed).length > 0) {
      const [storedGift, storedOpening] = await Promise.all([
        this.get(giftId),
        this.openingOf(giftId, userId),
      ]);
      return {
        ...(storedGift === undefined ? {} : { gift: storedGift }),
        ...(storedOpening === undefined ? {} : { opening: storedOpening }),
      };
    }
    const items = responses[this.tableName] ?? [];
    const giftItem = items.find((item) => item.SK === gift.SK);
    const openingItem = items.find((item) => item.SK === opening.SK);
    return {
      ...(giftItem === undefined ? {} : { gift: toGift(giftItem) }),
      ...(openingItem === undefined ? {} : { opening: giftOpeningEntity(giftId).fromItem(openingItem) }),
    };
  }

  async claim({
    gift,
    opening,
    payout,
    event,
    now,
  }: GiftClaim): Promise<'claimed' | 'already_opened' | 'changed'> {
    const companions: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: giftOpeningEntity(gift.giftId).toItem(opening),
          ConditionExpression: ABSENT,
        },
      },
      {
        // No condition on the exact count: openers who picked different shares all succeed.
        Update: {
          TableName: this.tableName,
          Key: giftKey(gift.giftId),
          UpdateExpression: 'ADD claimed :share, remaining :minusOne, version :one',
          ConditionExpression:
            '#status = :active AND expiresAt > :now AND remaining > :zero AND NOT contains(claimed, :slot)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':share': new Set([opening.share]),
            ':slot': opening.share,
            ':minusOne': -1,
            ':zero': 0,
            ':active': 'active',
            ':now': now.toISOString(),
            ':one': 1,
          },
        },
      },
      outboxPut(this.tableName, 'gift.opened', event, now),
    ];
    try {
      await this.ledger.executeWith(payout, companions);
      return 'claimed';
    } catch (error) {
      if (!(error instanceof CompanionConditionFailedError)) throw error;
      if (error.failed.includes(0)) return 'already_opened';
      return 'changed';
    }
  }

  async expire(gift: Gift, refund: PostTransfer | undefined, at: string): Promise<'expired' | 'changed'> {
    const markExpired = {
      Update: {
        TableName: this.tableName,
        Key: giftKey(gift.giftId),
        UpdateExpression:
          'SET #status = :expired, expiredAt = :at, refundedAmount = :refunded ADD version :one',
        ConditionExpression: '#status = :active AND remaining = :read',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':expired': 'expired',
          ':at': at,
          ':refunded': refund?.amount ?? 0,
          ':active': 'active',
          ':read': gift.remaining,
          ':one': 1,
        },
      },
    } satisfies TransactItem;
    const event = giftExpiredEvent(gift, { at, refundedAmount: refund?.amount ?? 0 });
    const writes = [markExpired, outboxPut(this.tableName, 'gift.expired', event, new Date(at))];
    try {
      if (refund === undefined) await this.client.send(new TransactWriteCommand({ TransactItems: writes }));
      else await this.ledger.executeWith(refund, writes);
      return 'expired';
    } catch (error) {
      if (error instanceof CompanionConditionFailedError) return 'changed';
      if (error instanceof TransactionCanceledException) return 'changed';
      throw error;
    }
  }

  async announceFullyOpenedExpiry(gift: Gift): Promise<void> {
    const item = outboxItem('gift.expired', giftExpiredEvent(gift), new Date());
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: ABSENT }),
      );
    } catch (error) {
      // Written before (a retried expiry): once is enough.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/**
 * The stored gift is `active` or `expired`; claims only count down (a claim cannot know it is the last
 * one), so an active gift with nothing left reads as `fully_opened`. Claimed shares are a number set.
 */
function toGift(item: Record<string, unknown>): Gift {
  const { claimed, ...gift } = GiftEntity.fromItem(item);
  return {
    ...gift,
    status: gift.status === 'active' && gift.remaining <= 0 ? 'fully_opened' : gift.status,
    claimed: claimed === undefined ? [] : [...claimed].sort((a, b) => a - b),
  };
}

function withoutClaims(gift: Gift): Omit<Gift, 'claimed'> {
  const { claimed: _claimed, ...rest } = gift;
  return rest;
}
