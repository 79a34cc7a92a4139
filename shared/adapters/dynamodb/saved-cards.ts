import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CardDetails } from '../../app/payments/ports.js';
import type { SavedCard, SavedCards } from '../../app/wallets/ports.js';
import { savedCardEntity } from './entities/saved-card.js';
import { savedCardsPartition } from './keys.js';

/** A user has a handful of cards; one page is all of them. */
const MAX_CARDS = 50;

export class DynamoDbSavedCards implements SavedCards {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(userId: string, card: CardDetails, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: savedCardEntity(userId).toItem({ ...card, lastUsedAt: at }),
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
    const cards = savedCardEntity(userId);
    return items.map((item) => cards.fromItem(item));
  }
}
