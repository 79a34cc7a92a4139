import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbApiKeys } from '../../shared/adapters/dynamodb/api-keys.js';
import { DynamoDbApps } from '../../shared/adapters/dynamodb/apps.js';
import { outboxKey } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoDbKycDocuments } from '../../shared/adapters/dynamodb/kyc-documents.js';
import { DynamoDbMerchants } from '../../shared/adapters/dynamodb/merchants.js';
import type { Merchant } from '../../shared/domain/merchant.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { unique } from '../contract/subject.js';
import { createLocalTable, localDocumentClient } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-merchants`;
const client = localDocumentClient();
const merchants = new DynamoDbMerchants(client, TABLE_NAME);
const apps = new DynamoDbApps(client, TABLE_NAME);
const apiKeys = new DynamoDbApiKeys(client, TABLE_NAME);
const kycDocuments = new DynamoDbKycDocuments(client, TABLE_NAME);

function newMerchant(status: Merchant['status'] = 'in_review'): Merchant {
  const at = new Date().toISOString();
  return {
    merchantId: unique('mch_'),
    owner: '@owner:merchants.example',
    name: 'Corner Café',
    email: 'owner@merchants.example',
    country: 'US',
    businessType: 'company',
    status,
    reserveBps: 0,
    createdAt: at,
    updatedAt: at,
  };
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('merchants on DynamoDB Local', () => {
  it('moves a merchant on a decision and refuses a second decision with MERCHANT_STATE', async () => {
    const merchant = await merchants.create(newMerchant());
    const approved = await merchants.transition(merchant.merchantId, 'approve', new Date().toISOString(), {
      connectedAccountId: 'acct_1',
    });
    expect(approved).toMatchObject({ status: 'active', connectedAccountId: 'acct_1' });
    expect(await merchants.get(merchant.merchantId)).toEqual(approved);
    await expect(
      merchants.transition(merchant.merchantId, 'reject', new Date().toISOString()),
    ).rejects.toMatchObject({
      code: 'MERCHANT_STATE',
    });
  });

  it('writes merchant.updated for each mode with a review decision, and none for a decision that lost', async () => {
    const merchant = await merchants.create(newMerchant());
    const at = new Date().toISOString();
    await merchants.transition(merchant.merchantId, 'reject', at, { reviewReason: 'blurry' });
    await expect(merchants.transition(merchant.merchantId, 'approve', at)).rejects.toMatchObject({
      code: 'MERCHANT_STATE',
    });
    const outbox = async (status: string, mode: string) =>
      (
        await client.send(
          new GetCommand({
            TableName: TABLE_NAME,
            Key: outboxKey(`merchant.updated:${merchant.merchantId}:${status}:${at}:${mode}`),
            ConsistentRead: true,
          }),
        )
      ).Item;
    expect(await outbox('rejected', 'test')).toMatchObject({
      detail: { mode: 'test', status: 'rejected', previousStatus: 'in_review', reason: 'blurry' },
    });
    expect(await outbox('rejected', 'live')).toMatchObject({ detail: { mode: 'live', status: 'rejected' } });
    expect(await outbox('active', 'test')).toBeUndefined();
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const merchant = await merchants.create(newMerchant());
    const at = new Date().toISOString();
    const outcomes = await Promise.allSettled([
      merchants.transition(merchant.merchantId, 'approve', at),
      merchants.transition(merchant.merchantId, 'reject', at),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([
      expect.objectContaining({ reason: expect.objectContaining({ code: 'MERCHANT_STATE' }) }),
    ]);
  });

  it('pages through the merchants of a status with a cursor, and drops those that moved on', async () => {
    const created = [];
    for (let index = 0; index < 3; index += 1)
      created.push(await merchants.create(newMerchant('kyc_required')));
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await merchants.listByStatus({
        status: 'kyc_required',
        limit: 2,
        ...(after === undefined ? {} : { after }),
      });
      seen.push(...page.merchants.map((merchant) => merchant.merchantId));
      after = page.after;
    } while (after !== undefined);
    expect(seen).toEqual(expect.arrayContaining(created.map((merchant) => merchant.merchantId)));
    const [first] = created;
    if (first === undefined) throw new Error('no merchant');
    await merchants.transition(first.merchantId, 'submit_kyc', new Date().toISOString());
    const after1 = await merchants.listByStatus({ status: 'kyc_required', limit: 100 });
    expect(after1.merchants.map((merchant) => merchant.merchantId)).not.toContain(first.merchantId);
  });

  it('says there is no more when a page of the review queue ends at its last merchant (API.md has_more)', async () => {
    await merchants.create(newMerchant('pending_verification'));
    await merchants.create(newMerchant('pending_verification'));
    const all = await merchants.listByStatus({ status: 'pending_verification', limit: 100 });

    const page = await merchants.listByStatus({
      status: 'pending_verification',
      limit: all.merchants.length,
    });

    expect(page.merchants).toEqual(all.merchants);
    expect(page.after).toBeUndefined();
  });

  it('withdraws a submission only while it is still in_review from it, back into its status queue', async () => {
    const merchant = await merchants.create(newMerchant('kyc_required'));
    const submittedAt = new Date(Date.now() + 1_000).toISOString();
    await merchants.transition(merchant.merchantId, 'submit_kyc', submittedAt);
    const later = new Date(Date.now() + 2_000).toISOString();
    expect(await merchants.withdrawSubmission(merchant, '2000-01-01T00:00:00.000Z', later)).toBe(false);
    expect((await merchants.get(merchant.merchantId))?.status).toBe('in_review');
    expect(await merchants.withdrawSubmission(merchant, submittedAt, later)).toBe(true);
    expect(await merchants.get(merchant.merchantId)).toMatchObject({
      status: 'kyc_required',
      updatedAt: later,
    });
    const queue = await merchants.listByStatus({ status: 'kyc_required', limit: 100 });
    expect(queue.merchants.map((listed) => listed.merchantId)).toContain(merchant.merchantId);
    expect(await merchants.withdrawSubmission(merchant, submittedAt, later)).toBe(false);
  });

  it('sets the reserve, and answers NOT_FOUND for an unknown merchant', async () => {
    const merchant = await merchants.create(newMerchant('active'));
    expect(await merchants.setReserve(merchant.merchantId, 500, new Date().toISOString())).toMatchObject({
      reserveBps: 500,
    });
    await expect(merchants.setReserve('mch_nobody', 500, new Date().toISOString())).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('apps on DynamoDB Local', () => {
  it('finds an app by id and lists it only under its merchant and mode', async () => {
    const merchantId = unique('mch_');
    const app = await apps.create({
      appId: unique('app_'),
      merchantId,
      mode: 'live',
      name: 'Tickets',
      createdAt: new Date().toISOString(),
    });
    expect(await apps.get(app.appId)).toEqual(app);
    expect((await apps.list({ merchantId, mode: 'live', limit: 10 })).apps).toEqual([app]);
    expect((await apps.list({ merchantId, mode: 'test', limit: 10 })).apps).toEqual([]);
    await expect(apps.create(app)).rejects.toThrow();
  });
});

describe('merchant API lists on DynamoDB Local (API.md: newest first where the list is kept by time, has_more only when more exist)', () => {
  it('lists apps newest first, and says there is no more when a page ends at the last app', async () => {
    const merchantId = unique('mch_');
    const at = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
    const older = await apps.create({
      appId: unique('app_'),
      merchantId,
      mode: 'test',
      name: 'Old',
      createdAt: at(60),
    });
    const newer = await apps.create({
      appId: unique('app_'),
      merchantId,
      mode: 'test',
      name: 'New',
      createdAt: at(1),
    });

    const full = await apps.list({ merchantId, mode: 'test', limit: 2 });
    const first = await apps.list({ merchantId, mode: 'test', limit: 1 });
    const rest = await apps.list({
      merchantId,
      mode: 'test',
      limit: 1,
      ...(first.after === undefined ? {} : { after: first.after }),
    });

    expect(full.apps).toEqual([newer, older]);
    expect(full.after).toBeUndefined();
    expect(first.apps).toEqual([newer]);
    expect(first.after).toBeDefined();
    expect(rest.apps).toEqual([older]);
    expect(rest.after).toBeUndefined();
  });

  it("says there is no more when a page of a merchant's API keys ends at the last key", async () => {
    const merchantId = unique('mch_');
    for (const name of ['one', 'two']) {
      await apiKeys.create({
        keyId: unique('key_'),
        merchantId,
        mode: 'test',
        name,
        scopes: ['customers:read'],
        last4: 'abcd',
        secretHash: unique('hash'),
        status: 'active',
        createdAt: new Date().toISOString(),
      });
    }

    const full = await apiKeys.list({ merchantId, limit: 2 });
    const first = await apiKeys.list({ merchantId, limit: 1 });

    expect(full.keys).toHaveLength(2);
    expect(full.after).toBeUndefined();
    expect(first.after).toBeDefined();
  });

  it("says there is no more when a page of a merchant's KYC documents ends at the last document", async () => {
    const merchantId = unique('mch_');
    for (const fileName of ['id.pdf', 'bank.pdf']) {
      const at = new Date().toISOString();
      await kycDocuments.create({
        documentId: unique('doc_'),
        merchantId,
        documentType: 'id_document',
        fileName,
        contentType: 'application/pdf',
        status: 'awaiting_upload',
        createdAt: at,
        updatedAt: at,
      });
    }

    const full = await kycDocuments.list({ merchantId, limit: 2 });
    const first = await kycDocuments.list({ merchantId, limit: 1 });

    expect(full.documents).toHaveLength(2);
    expect(full.after).toBeUndefined();
    expect(first.after).toBeDefined();
  });
});
