/**
 * Hostile input (#8): a corpus of requests generated from the route table (test/reliability/support/
 * hostile-corpus.ts) aimed at every route of a local stack of this file's own, with real fixtures behind
 * the ids: forged tokens, unknown methods, traversal and injection in ids and cursors, amounts and
 * currencies that are not money, wrong types, missing and extra fields, broken and oversized bodies, wrong
 * content types, bad Idempotency-Keys, forged and replayed webhooks.
 *
 * Every request must be refused with a 4xx in the one error shape (a code of API.md's table, a message, no
 * internals, nobody's data), and the whole table must be as it was before the corpus. The one exception is
 * documented at `isStoredRefusal`: the 4xx answers the API stores, by design, under an Idempotency-Key.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { routeKey, routes } from '../../shared/infra/routes.js';
import { refusalProblems } from './support/hostile-assertions.js';
import { buildCorpus, CATEGORIES, type Corpus, routesWithoutBaseline } from './support/hostile-corpus.js';
import { createFixtures, type HostileFixtures } from './support/hostile-fixtures.js';
import { endpointOf, type OwnStack, sendAll, startOwnStack, stopOwnStack } from './support/hostile-stack.js';
import {
  describeChange,
  diffTables,
  isRequestCount,
  isStoredRefusal,
  settledSnapshot,
  type TableSnapshot,
  tableClient,
} from './support/table-snapshot.js';

/** Requests in flight at once: enough to keep the stack busy, few enough for a 2-core machine. */
const CONCURRENCY = 8;

let stack: OwnStack | undefined;
let table: DynamoDBClient | undefined;
let fixtures: HostileFixtures;
let corpus: Corpus;
let before: TableSnapshot;

beforeAll(async () => {
  stack = await startOwnStack();
  table = tableClient(endpointOf(stack, 'dynamodb'));
  fixtures = await createFixtures(stack);
  corpus = await buildCorpus(fixtures);
  before = await settledSnapshot(table);
}, 150_000);

afterAll(async () => {
  table?.destroy();
  await stopOwnStack(stack);
}, 30_000);

function running(): { stack: OwnStack; table: DynamoDBClient } {
  if (stack === undefined || table === undefined) throw new Error('The stack did not start');
  return { stack, table };
}

describe('Reliability: hostile input', () => {
  describe('Corpus', () => {
    it('has a valid baseline request for every route that takes a JSON body', () => {
      // Act
      const missing = routesWithoutBaseline(fixtures);

      // Assert
      expect(missing).toEqual([]);
    });

    it('aims at least 300 requests, in every category, at every route of the route table', () => {
      // Act
      const aimedAt = new Set(corpus.cases.map((hostile) => hostile.route));
      const categories = new Set(corpus.cases.map((hostile) => hostile.category));

      // Assert
      expect(corpus.cases.length).toBeGreaterThanOrEqual(300);
      expect(routes.map(routeKey).filter((key) => !aimedAt.has(key))).toEqual([]);
      expect(CATEGORIES.filter((category) => !categories.has(category))).toEqual([]);
    });
  });

  describe('Refusals', () => {
    it.each(CATEGORIES)(
      'refuses every request of the %s with a 4xx in the error shape and no internals',
      async (category) => {
        // Arrange
        const cases = corpus.cases.filter((hostile) => hostile.category === category);

        // Act
        const answers = await sendAll(
          running().stack.info.apiUrl,
          cases.map((hostile) => hostile.request),
          CONCURRENCY,
        );

        // Assert
        const problems = cases.flatMap((hostile, index) => {
          const answer = answers[index];
          if (answer === undefined) return [`${hostile.name}: no answer`];
          return refusalProblems(answer, hostile.expect, corpus.othersData(hostile.request)).map(
            (problem) => `${hostile.name}: ${problem}`,
          );
        });
        expect(problems).toEqual([]);
      },
      60_000,
    );
  });

  describe('Table', () => {
    it('holds every item as it was before the corpus but the 4xx answers stored under an Idempotency-Key', async () => {
      // Act
      const after = await settledSnapshot(running().table);

      // Assert
      const changes = diffTables(before, after).filter(
        (change) => !isStoredRefusal(change) && !isRequestCount(change),
      );
      expect(changes.map(describeChange)).toEqual([]);
    });
  });
});
