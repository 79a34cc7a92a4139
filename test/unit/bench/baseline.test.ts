import {
  type BaselinePass,
  baselineTable,
  RAW_ITEMS,
  type RawBaseline,
  ratioToRaw,
  rawPairItems,
  rawRate,
} from '../../../bench/baseline.js';
import type { PathRun } from '../../../bench/ledger-bench.js';
import type { Table } from '../../../bench/scenario.js';
import { tableDefinition } from '../../../shared/infra/table.js';

function pathRun(concurrency: number, ops: number, elapsedMs: number, errors = 0): PathRun {
  return { concurrency, ops, errors, elapsedMs, p50Ms: 1.5, p99Ms: 3.25, conflicts: 0 };
}

function pass(when: BaselinePass['when'], runs: PathRun[]): BaselinePass {
  return { when, runs };
}

function cell(table: Table, label: string, column: number): string | undefined {
  return table.rows.find((row) => row[0] === label)?.[column];
}

describe('Function: rawPairItems', () => {
  it('returns two Puts under distinct keys, each conditioned on the key not existing', () => {
    // Arrange
    const pk = tableDefinition.partitionKey;
    const sk = tableDefinition.sortKey;

    // Act
    const items = rawPairItems('table', 'tx-1', '2026-01-01T00:00:00.000Z');

    // Assert
    expect(items).toHaveLength(RAW_ITEMS);
    const keys = items.map((item) => `${item.Put?.Item?.[pk]?.S}|${item.Put?.Item?.[sk]?.S}`);
    expect(new Set(keys).size).toBe(2);
    for (const item of items) {
      expect(item.Put?.TableName).toBe('table');
      expect(item.Put?.ConditionExpression).toBe('attribute_not_exists(#pk)');
      expect(item.Put?.ExpressionAttributeNames).toEqual({ '#pk': pk });
      expect(item.Put?.Item?.[pk]?.S).toContain('tx-1');
    }
  });

  it('returns keys no other transaction id shares', () => {
    const key = (id: string) => rawPairItems('t', id, 'x')[0]?.Put?.Item?.[tableDefinition.partitionKey]?.S;
    expect(key('a')).not.toBe(key('b'));
  });
});

describe('Function: rawRate', () => {
  it('returns the mean committed rate of the passes that measured the level', () => {
    // Arrange: 100 in 1 s before, 200 in 1 s after at c=1; c=16 only after
    const baseline: RawBaseline = {
      passes: [
        pass('before', [pathRun(1, 100, 1_000)]),
        pass('after', [pathRun(1, 200, 1_000), pathRun(16, 50, 500)]),
      ],
    };

    // Act
    const rates = [rawRate(baseline, 1), rawRate(baseline, 16), rawRate(baseline, 64)];

    // Assert
    expect(rates).toEqual([150, 100, undefined]);
  });

  it('leaves out failures and runs where every transaction failed', () => {
    // Arrange
    const baseline: RawBaseline = {
      passes: [pass('before', [pathRun(1, 100, 1_000, 20)]), pass('after', [pathRun(1, 10, 1_000, 10)])],
    };

    // Act
    const rate = rawRate(baseline, 1);

    // Assert
    expect(rate).toBe(80);
  });

  it('returns undefined without a baseline', () => {
    expect(rawRate(undefined, 1)).toBeUndefined();
  });
});

describe('Function: ratioToRaw', () => {
  it('returns the flow rate over the raw rate at the same level', () => {
    // Arrange
    const baseline: RawBaseline = {
      passes: [pass('before', [pathRun(1, 50, 1_000), pathRun(16, 400, 1_000)])],
    };

    // Act
    const ratios = [ratioToRaw(5, baseline, 1), ratioToRaw(100, baseline, 16), ratioToRaw(1, baseline, 64)];

    // Assert
    expect(ratios).toEqual([0.1, 0.25, undefined]);
  });
});

describe('Function: baselineTable', () => {
  it('returns each pass, the mean the ratios use and the drift, one column per level', () => {
    // Arrange
    const baseline: RawBaseline = {
      passes: [
        pass('before', [pathRun(1, 100, 1_000), pathRun(16, 400, 1_000)]),
        pass('after', [pathRun(1, 50, 1_000), pathRun(16, 400, 1_000)]),
      ],
    };

    // Act
    const table = baselineTable(baseline);

    // Assert
    expect(table.header).toEqual(['raw 2-item TransactWriteItems', 'c=1', 'c=16']);
    expect(cell(table, 'TransactWriteItems/s, before the flows', 1)).toBe('100');
    expect(cell(table, 'TransactWriteItems/s, after the flows', 1)).toBe('50');
    expect(cell(table, 'TransactWriteItems/s used for the ratios (mean)', 1)).toBe('75');
    expect(cell(table, 'after / before (drift of the machine)', 1)).toBe('0.5');
    expect(cell(table, 'after / before (drift of the machine)', 2)).toBe('1.000');
    expect(cell(table, '  p50 / p99 (ms), before', 2)).toBe('1.50 / 3.25');
  });

  it('shows a dash for a level a pass did not measure and no drift with one pass', () => {
    // Arrange
    const baseline: RawBaseline = {
      passes: [pass('before', [pathRun(1, 10, 1_000)]), pass('after', [pathRun(4, 10, 1_000)])],
    };

    // Act
    const table = baselineTable(baseline);

    // Assert
    expect(cell(table, 'TransactWriteItems/s, before the flows', 2)).toBe('–');
    expect(cell(table, 'after / before (drift of the machine)', 1)).toBe('–');
  });
});
