/**
 * KYC documents' records in the single table (entities/kyc-document.ts), in their merchant's partition. A
 * document is settled once: the write is conditional on it still awaiting its file.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KycDocumentPage, KycDocumentStore } from '../../app/kyc/ports.js';
import type { KycDocument, KycUploadOutcome } from '../../domain/kyc.js';
import { KycDocumentEntity } from './entities/kyc-document.js';
import { ABSENT, updateExpression } from './entity.js';
import { KYC_DOCUMENT_SORT_KEY, KYC_DOCUMENT_SORT_PREFIX, kycDocumentKey, merchantKey } from './keys.js';
import { queryPage } from './query-page.js';

export class DynamoDbKycDocuments implements KycDocumentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(document: KycDocument): Promise<KycDocument> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: KycDocumentEntity.toItem(document),
        ConditionExpression: ABSENT,
      }),
    );
    return document;
  }

  async get(merchantId: string, documentId: string): Promise<KycDocument | undefined> {
    const { Item: item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: kycDocumentKey(merchantId, documentId),
        ConsistentRead: true,
      }),
    );
    return item === undefined ? undefined : KycDocumentEntity.fromItem(item);
  }

  /** One page of the merchant's documents, in document id order (their items are keyed by id). */
  async list(query: { merchantId: string; limit: number; after?: string }): Promise<KycDocumentPage> {
    if (query.after !== undefined && !KYC_DOCUMENT_SORT_KEY.test(query.after)) {
      throw new Error('Not a KYC document listing position');
    }
    const partition = merchantKey(query.merchantId).PK;
    const page = await queryPage(
      this.client,
      this.tableName,
      query.limit,
      (item) => String(item.SK),
      (item) => KycDocumentEntity.fromItem(item),
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :doc)',
        ExpressionAttributeValues: { ':pk': partition, ':doc': KYC_DOCUMENT_SORT_PREFIX },
        ScanIndexForward: true,
        ...(query.after === undefined ? {} : { ExclusiveStartKey: { PK: partition, SK: query.after } }),
        ConsistentRead: true,
      },
    );
    return { documents: page.items, ...(page.after === undefined ? {} : { after: page.after }) };
  }

  async settle(document: KycDocument, outcome: KycUploadOutcome, at: string): Promise<KycDocument> {
    const update = updateExpression({
      set: { status: outcome.status, size: outcome.size, rejection: outcome.rejection, updatedAt: at },
      add: { version: 1 },
    });
    try {
      const { Attributes: item } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: kycDocumentKey(document.merchantId, document.documentId),
          ...update,
          ConditionExpression: '#u_status = :awaiting',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':awaiting': 'awaiting_upload' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (item === undefined) throw new Error('The KYC document update returned no item');
      return KycDocumentEntity.fromItem(item);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // A concurrent check settled it first: the answer is what it settled.
      const now = await this.get(document.merchantId, document.documentId);
      if (now === undefined) throw error;
      return now;
    }
  }
}
