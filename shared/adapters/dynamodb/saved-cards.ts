import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CardDetails } from '../../app/payments/ports.js';
import type { SavedCard, SavedCards } from '../../app/wallets/ports.js';
import { savedCardKey, savedCardsPartition } from './keys.js';

const ENTITY = 'SavedCard';
/** A user has a handful of cards; one page is all of them. */
const MAX_CARDS = 50;

export class DynamoDbSavedCards implements SavedCards {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(userId: string, card: CardDetails, at: string): Promise<void> {
    // The same card comes back under new payment method ids; its fingerprint (or its face) identifies it.
    const identity = card.fingerprint ?? `${card.brand}-${card.last4}-${card.expMonth}-${card.expYear}`;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...savedCardKey(userId, identity), type: ENTITY, version: 1, ...card, lastUsedAt: at },
      }),
    );
  }

  async list(userId: string): Promise<SavedCard[]> {
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :card)',
        ExpressionAttributeValues: { ':pk': savedCardsPartition(userId), ':card': 'CARD#' },
        Limit: MAX_CARDS,
      }),
    );
    return items.map((item) => {
      const { PK: _pk, SK: _sk, type: _entity, version: _version, ...card } = item;
      return card as unknown as SavedCard;
    });
  }
}
