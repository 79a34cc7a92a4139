/** A merchant's API keys on DynamoDB Local: listed newest first, as every list of the platform (#16). */
import { DynamoDbApiKeys } from '../../shared/adapters/dynamodb/api-keys.js';
import type { ApiKey } from '../../shared/domain/api-key.js';
import { tableDefinition } from '../../shared/infra/table.js';
import { unique } from '../contract/subject.js';
import { createLocalTable, localDocumentClient } from '../support/ledger.js';

const TABLE_NAME = `${tableDefinition.localName}-api-keys`;
const apiKeys = new DynamoDbApiKeys(localDocumentClient(), TABLE_NAME);

function keyOf(merchantId: string, keyId: string, createdAt: string): ApiKey {
  return {
    keyId,
    merchantId,
    mode: 'test',
    scopes: ['payments:read'],
    status: 'active',
    name: keyId,
    last4: '0000',
    secretHash: unique('hash'),
    createdAt,
  };
}

beforeAll(async () => {
  await createLocalTable(TABLE_NAME);
});

describe('API keys on DynamoDB Local', () => {
  it('lists a merchant’s keys newest first, not in key-id order, page by page', async () => {
    const merchantId = unique('mch_');
    // Ids ascend with creation here, so key-id order is oldest first.
    await apiKeys.create(keyOf(merchantId, 'key_a', '2026-12-07T10:00:00.000Z'));
    await apiKeys.create(keyOf(merchantId, 'key_b', '2026-12-07T11:00:00.000Z'));
    await apiKeys.create(keyOf(merchantId, 'key_c', '2026-12-07T12:00:00.000Z'));
    await apiKeys.create(keyOf(unique('mch_'), 'key_d', '2026-12-07T13:00:00.000Z'));

    const first = await apiKeys.list({ merchantId, limit: 2 });
    const second = await apiKeys.list({
      merchantId,
      limit: 2,
      ...(first.after ? { after: first.after } : {}),
    });

    expect(first.keys.map((key) => key.keyId)).toEqual(['key_c', 'key_b']);
    expect(first.after).toBeDefined();
    expect(second.keys.map((key) => key.keyId)).toEqual(['key_a']);
    expect(second.after).toBeUndefined();
  });
});
