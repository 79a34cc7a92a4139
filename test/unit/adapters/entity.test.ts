import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import {
  defineEntity,
  MalformedItemError,
  putIfAbsent,
  updateExpression,
} from '../../../shared/adapters/dynamodb/entity.js';

interface Thing {
  thingId: string;
  amount: number;
  note?: string;
}

const Things = defineEntity<Thing>({
  type: 'Thing',
  schema: z.object({ thingId: z.string(), amount: z.number(), note: z.exactOptional(z.string()) }),
  key: (thing) => ({ PK: `THING#${thing.thingId}`, SK: 'THING' }),
  indexes: (thing) => ({ GSI1PK: 'THINGS', GSI1SK: thing.thingId }),
  extra: () => ({ expiresAt: 1_900_000_000 }),
});

describe('entity definitions', () => {
  it('writes the keys, index keys, type and first version around the entity', () => {
    expect(Things.toItem({ thingId: 't1', amount: 5 })).toEqual({
      PK: 'THING#t1',
      SK: 'THING',
      GSI1PK: 'THINGS',
      GSI1SK: 't1',
      expiresAt: 1_900_000_000,
      type: 'Thing',
      version: 1,
      thingId: 't1',
      amount: 5,
    });
  });

  it('reads back exactly the entity, without the table attributes', () => {
    const item = { ...Things.toItem({ thingId: 't1', amount: 5, note: 'n' }), version: 7 };
    expect(Things.fromItem(item)).toEqual({ thingId: 't1', amount: 5, note: 'n' });
    expect(Things.versionOf(item)).toBe(7);
    expect(Things.versionOf({})).toBe(0);
  });

  it('refuses an item that does not match the definition, naming the field', () => {
    const read = () => Things.fromItem({ PK: 'THING#t1', SK: 'THING', thingId: 't1', amount: '5' });
    expect(read).toThrow(MalformedItemError);
    expect(read).toThrow(/Thing.*amount/);
  });
});

describe('putIfAbsent', () => {
  const mock = mockClient(DynamoDBDocumentClient);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  beforeEach(() => mock.reset());

  it('creates the entity under the absence condition', async () => {
    mock.on(PutCommand).resolves({});
    const result = await putIfAbsent(
      client,
      'T',
      Things,
      { thingId: 't1', amount: 5 },
      async () => undefined,
    );
    expect(result).toEqual({ value: { thingId: 't1', amount: 5 }, created: true });
    expect(mock.commandCalls(PutCommand)[0]?.args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(PK)',
    );
  });

  it('returns what is stored when the key exists (a retry or a concurrent twin)', async () => {
    mock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const stored = { thingId: 't1', amount: 9 };
    const result = await putIfAbsent(client, 'T', Things, { thingId: 't1', amount: 5 }, async () => stored);
    expect(result).toEqual({ value: stored, created: false });
  });

  it('passes on any other failure', async () => {
    mock.on(PutCommand).rejects(new Error('throttled'));
    await expect(
      putIfAbsent(client, 'T', Things, { thingId: 't1', amount: 5 }, async () => undefined),
    ).rejects.toThrow('throttled');
  });
});

describe('updateExpression', () => {
  it('binds every name and value by placeholder and skips undefined values', () => {
    expect(
      updateExpression({
        set: { status: 'paid', at: 'now', gone: undefined },
        remove: ['taskToken'],
        add: { version: 1 },
      }),
    ).toEqual({
      UpdateExpression:
        'SET #u_status = :u_status, #u_at = :u_at REMOVE #u_taskToken ADD #u_version :u_version',
      ExpressionAttributeNames: {
        '#u_status': 'status',
        '#u_at': 'at',
        '#u_taskToken': 'taskToken',
        '#u_version': 'version',
      },
      ExpressionAttributeValues: { ':u_status': 'paid', ':u_at': 'now', ':u_version': 1 },
    });
  });

  it('refuses an update that changes nothing', () => {
    expect(() => updateExpression({})).toThrow();
  });
});
