/**
 * A self-check of the counting DynamoDB proxy, for scenarios whose figures rest on its count of cancelled
 * transactions (gifts: the conflicts of concurrent opens).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../shared/infra/table.js';
import type { BenchStack } from '../harness.js';

/**
 * Checks, before any run, that the counting proxy counts a cancelled TransactWriteItems once and a
 * committed one not at all: two ConditionChecks on an item that does not exist (the key is a probe, no
 * entity's), one that holds and one that fails. Nothing is written. Throws if the counter is wrong.
 */
export async function checkCancelledCounter(stack: BenchStack): Promise<{ held: number; failed: number }> {
  const client = new DynamoDBClient({
    endpoint: stack.dynamoDb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const probeKey = {
    [tableDefinition.partitionKey]: { S: `BENCH#cancel-probe#${randomUUID()}` },
    [tableDefinition.sortKey]: { S: 'BENCH#cancel-probe' },
  };
  const check = (condition: string) =>
    client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: stack.dynamoDb.tableName,
              Key: probeKey,
              ConditionExpression: `${condition}(#pk)`,
              ExpressionAttributeNames: { '#pk': tableDefinition.partitionKey },
            },
          },
        ],
      }),
    );
  const cancelled = () => stack.counters.snapshot().dynamoTransactionsCancelled;
  try {
    let before = cancelled();
    await check('attribute_not_exists');
    const held = cancelled() - before;
    before = cancelled();
    const refused = await check('attribute_exists').then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    );
    const failed = cancelled() - before;
    if (refused !== 'TransactionCanceledException' || held !== 0 || failed !== 1) {
      throw new Error(
        `gifts: the counting proxy miscounts cancelled transactions (a held condition moved the counter by ${held}; a failed one answered ${refused ?? 'success'} and moved it by ${failed})`,
      );
    }
    return { held, failed };
  } finally {
    client.destroy();
  }
}
