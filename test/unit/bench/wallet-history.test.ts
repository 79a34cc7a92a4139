import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DepthSample, depthHighlight, depthTable } from '../../../bench/scenarios/wallet-history.js';
import { historyClones } from '../../../bench/scenarios/wallet-history-seed.js';
import { type ResourceCounters, zeroCounters } from '../../../local/metrics.js';
import { HISTORY_SORT_KEY, historyKey, historyPartition } from '../../../shared/adapters/dynamodb/keys.js';

const template: Record<string, AttributeValue> = {
  PK: { S: 'HISTORY#tw_1' },
  SK: { S: '2026-11-22T10:00:00.000Z#tr_top#credit' },
  type: { S: 'LedgerHistory' },
  transferId: { S: 'tr_top' },
  accountId: { S: 'tw_1.USD' },
  direction: { S: 'credit' },
  amount: { N: '1000' },
  createdAt: { S: '2026-11-22T10:00:00.000Z' },
  metadata: { M: {} },
};
const newestBeforeMs = Date.parse('2026-11-22T10:00:00.000Z');

function sample(
  entries: number,
  latenciesMs: number[],
  counters: Partial<ResourceCounters> = {},
): DepthSample {
  return {
    entries,
    load: { latenciesMs, errors: 0, elapsedMs: 1_000 },
    counters: { ...zeroCounters(), ...counters },
  };
}

describe('Function: historyClones', () => {
  it('returns copies keyed by the ledger key builder, oldest first, all older than the template', () => {
    // Act
    const items = historyClones(template, 'tw_1', { total: 3, newestBeforeMs, idPrefix: 'seed' });

    // Assert
    expect(items.map((item) => item.createdAt?.S)).toEqual([
      '2026-11-22T09:59:57.000Z',
      '2026-11-22T09:59:58.000Z',
      '2026-11-22T09:59:59.000Z',
    ]);
    items.forEach((item, index) => {
      const createdAt = item.createdAt?.S ?? '';
      const key = historyKey('tw_1', createdAt, `seed-${index}`, 'credit');
      expect(item.PK?.S).toBe(key.PK);
      expect(item.SK?.S).toBe(key.SK);
      expect(item.SK?.S).toMatch(HISTORY_SORT_KEY);
      expect(item.transferId?.S).toBe(`seed-${index}`);
      expect(item.accountId).toEqual(template.accountId);
      expect(item.type).toEqual(template.type);
    });
  });

  it('returns a slice of the same history whatever the batch it is built in', () => {
    // Arrange
    const whole = historyClones(template, 'tw_1', { total: 60, newestBeforeMs, idPrefix: 'seed' });

    // Act
    const batches = [0, 25, 50].flatMap((from) =>
      historyClones(template, 'tw_1', { total: 60, from, count: 25, newestBeforeMs, idPrefix: 'seed' }),
    );

    // Assert
    expect(batches).toEqual(whole);
  });

  it('returns distinct keys in the wallet partition', () => {
    const items = historyClones(template, 'tw_9', { total: 500, newestBeforeMs, idPrefix: 'seed' });
    expect(new Set(items.map((item) => item.SK?.S)).size).toBe(500);
    expect(new Set(items.map((item) => item.PK?.S))).toEqual(new Set([historyPartition('tw_9')]));
  });

  it('throws when the template is not a history entry', () => {
    const { direction: _direction, ...other } = template;
    expect(() => historyClones(other, 'tw_1', { total: 1, newestBeforeMs, idPrefix: 'seed' })).toThrow(
      /not a history entry/,
    );
  });

  it('throws when an id would not make a valid history sort key', () => {
    expect(() => historyClones(template, 'tw_1', { total: 1, newestBeforeMs, idPrefix: 'bad id' })).toThrow(
      /sort key/,
    );
  });
});

describe('Function: depthTable', () => {
  it('returns both histories with the long / short ratio of latency and read units', () => {
    // Arrange
    const small = sample(100, [10, 10, 20], { dynamoReadUnits: 6, dynamoRequests: 6 });
    const large = sample(100_000, [10, 11, 30], { dynamoReadUnits: 6, dynamoRequests: 6 });

    // Act
    const table = depthTable(small, large);

    // Assert
    expect(table.header).toEqual([
      'first page (limit 20), c=1',
      '100 entries',
      '100,000 entries',
      'long / short',
    ]);
    const row = (label: string) => table.rows.find((cells) => cells[0] === label);
    expect(row('pages read (errors)')).toEqual(['pages read (errors)', '3 (0)', '3 (0)', '']);
    expect(row('p50 (ms)')).toEqual(['p50 (ms)', '10.00', '11.00', '1.100']);
    expect(row('p99 (ms)')).toEqual(['p99 (ms)', '20.00', '30.00', '1.500']);
    expect(row('DynamoDB read units per page')).toEqual([
      'DynamoDB read units per page',
      '2.000',
      '2.000',
      '1.000',
    ]);
  });

  it('shows dashes for a history with no page read', () => {
    const table = depthTable(sample(100, []), sample(100_000, [5]));
    expect(table.rows.find((cells) => cells[0] === 'p50 (ms)')).toEqual(['p50 (ms)', '–', '5.00', '–']);
  });
});

describe('Function: depthHighlight', () => {
  it('states both latencies, their ratio and the read units per page', () => {
    const line = depthHighlight(
      sample(100, [10, 20], { dynamoReadUnits: 4 }),
      sample(100_000, [12, 22], { dynamoReadUnits: 4 }),
    );
    expect(line).toBe(
      'History depth: first page (limit 20) p50 10.0 ms at 100 entries vs 12.0 ms at 100,000 (×1.200); p99 20.0 vs 22.0 ms (×1.100); read units per page 2.000 vs 2.000.',
    );
  });
});
