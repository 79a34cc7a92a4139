import {
  committedPerSecond,
  comparisonTable,
  hotAccountTable,
  type PathRun,
  pairPicker,
  perCommitted,
  ratio,
  rawTransferItems,
  roundRatioRange,
  seededRandom,
  toPathRun,
  transactionalUnits,
} from '../../../bench/ledger-bench.js';
import { mergeLoads, runInterleaved, splitOps } from '../../../bench/load.js';

function pathRun(values: Partial<PathRun> = {}): PathRun {
  return {
    concurrency: 1,
    ops: 100,
    errors: 0,
    elapsedMs: 1_000,
    p50Ms: 10,
    p99Ms: 20,
    conflicts: 0,
    ...values,
  };
}

function cell(table: ReturnType<typeof comparisonTable>, label: string, column = 1): string | undefined {
  return table.rows.find((row) => row[0] === label)?.[column];
}

describe('Function: seededRandom', () => {
  it('replays the same sequence for the same seed, within [0, 1)', () => {
    // Arrange
    const a = seededRandom(42);
    const b = seededRandom(42);

    // Act
    const first = Array.from({ length: 1_000 }, () => a());
    const second = Array.from({ length: 1_000 }, () => b());

    // Assert
    expect(first).toEqual(second);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
  });

  it('gives another sequence for another seed', () => {
    // Act & Assert
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});

describe('Function: pairPicker', () => {
  it('spread: always two distinct wallets of the pool, and every wallet on both sides', () => {
    // Arrange
    const pick = pairPicker(8, 'spread', seededRandom(7));

    // Act
    const pairs = Array.from({ length: 2_000 }, () => pick());

    // Assert
    expect(pairs.every(({ debit, credit }) => debit !== credit)).toBe(true);
    expect(pairs.every(({ debit, credit }) => [debit, credit].every((i) => i >= 0 && i < 8))).toBe(true);
    expect(new Set(pairs.map((pair) => pair.debit)).size).toBe(8);
    expect(new Set(pairs.map((pair) => pair.credit)).size).toBe(8);
  });

  it('spread: stays in range even when the random source returns its largest values', () => {
    // Arrange
    const pick = pairPicker(4, 'spread', () => 0.999_999_999);

    // Act
    const pair = pick();

    // Assert
    expect(pair).toEqual({ debit: 3, credit: 2 });
  });

  it('hot: always debits wallet 0 and credits one of the others', () => {
    // Arrange
    const pick = pairPicker(5, 'hot', seededRandom(3));

    // Act
    const pairs = Array.from({ length: 500 }, () => pick());

    // Assert
    expect(pairs.every((pair) => pair.debit === 0)).toBe(true);
    expect(new Set(pairs.map((pair) => pair.credit))).toEqual(new Set([1, 2, 3, 4]));
  });

  it.each([0, 1, 2.5])('refuses a pool of %p wallets', (size) => {
    // Act & Assert
    expect(() => pairPicker(size, 'spread', Math.random)).toThrow(RangeError);
  });
});

describe('Function: rawTransferItems', () => {
  const transfer = {
    tableName: 'tween-payments',
    transferId: 't-1',
    debit: { accountId: 'w1.USD', historyOwner: 'w1' },
    credit: { accountId: 'w2.USD', historyOwner: 'w2' },
    amount: 250,
    currency: 'USD',
    createdAt: '2026-11-21T10:00:00.000Z',
  };

  it('builds the ledger shape: transfer put, two account updates, two history puts', () => {
    // Act
    const items = rawTransferItems(transfer);

    // Assert
    expect(items).toHaveLength(5);
    expect(items[0]?.Put?.Item?.PK).toEqual({ S: 'TRANSFER#t-1' });
    expect(items[1]?.Update?.Key).toEqual({ PK: { S: 'ACCOUNT#w1.USD' }, SK: { S: 'ACCOUNT' } });
    expect(items[2]?.Update?.Key).toEqual({ PK: { S: 'ACCOUNT#w2.USD' }, SK: { S: 'ACCOUNT' } });
    expect(items[3]?.Put?.Item?.PK).toEqual({ S: 'HISTORY#w1' });
    expect(items[3]?.Put?.Item?.SK).toEqual({ S: '2026-11-21T10:00:00.000Z#t-1#debit' });
    expect(items[4]?.Put?.Item?.PK).toEqual({ S: 'HISTORY#w2' });
    expect(items.every((item) => item.Put?.TableName ?? item.Update?.TableName)).toBeTruthy();
  });

  it('has no condition but attribute_not_exists on the transfer', () => {
    // Act
    const items = rawTransferItems(transfer);

    // Assert
    expect(items[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    const conditions = items
      .slice(1)
      .map((item) => item.Put?.ConditionExpression ?? item.Update?.ConditionExpression);
    expect(conditions).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('moves the same amount out of the debit account and into the credit account', () => {
    // Act
    const [, debit, credit] = rawTransferItems(transfer);

    // Assert
    expect(debit?.Update?.ExpressionAttributeValues).toMatchObject({
      ':dp': { N: '250' },
      ':cp': { N: '0' },
      ':av': { N: '-250' },
    });
    expect(credit?.Update?.ExpressionAttributeValues).toMatchObject({
      ':dp': { N: '0' },
      ':cp': { N: '250' },
      ':av': { N: '250' },
    });
  });
});

describe('Function: transactionalUnits', () => {
  it('doubles what the engine reports, as AWS bills transactions', () => {
    // Act & Assert
    expect(transactionalUnits([{ TableName: 't', CapacityUnits: 6 }])).toEqual({ read: 0, write: 12 });
    expect(transactionalUnits([{ TableName: 't', WriteCapacityUnits: 3, ReadCapacityUnits: 1 }])).toEqual({
      read: 2,
      write: 6,
    });
  });

  it('adds up several tables and treats no report as zero', () => {
    // Act & Assert
    expect(transactionalUnits([{ CapacityUnits: 1 }, { CapacityUnits: 2 }])).toEqual({ read: 0, write: 6 });
    expect(transactionalUnits(undefined)).toEqual({ read: 0, write: 0 });
  });
});

describe('Function: toPathRun', () => {
  it('divides unit totals by committed transfers and keeps the first error', () => {
    // Arrange
    const load = { latenciesMs: [1, 2, 3, 4], errors: 1, firstError: 'boom', elapsedMs: 500 };

    // Act
    const run = toPathRun(16, 5, load, 3, { read: 0, write: 48 });

    // Assert
    expect(run).toMatchObject({ concurrency: 16, ops: 5, errors: 1, firstError: 'boom', conflicts: 3 });
    expect(run.writeUnitsPerOp).toBe(12);
    expect(run.readUnitsPerOp).toBe(0);
    expect(run.p50Ms).toBe(2);
  });

  it('leaves units out when none were counted or nothing committed', () => {
    // Act
    const noUnits = toPathRun(1, 2, { latenciesMs: [1, 1], errors: 0, elapsedMs: 2 }, 0);
    const allFailed = toPathRun(1, 2, { latenciesMs: [], errors: 2, elapsedMs: 2 }, 0, { read: 1, write: 1 });

    // Assert
    expect(noUnits.writeUnitsPerOp).toBeUndefined();
    expect(allFailed.writeUnitsPerOp).toBeUndefined();
    expect(allFailed.p50Ms).toBeNaN();
  });
});

describe('Functions: committedPerSecond, ratio and perCommitted', () => {
  it('counts committed transfers only', () => {
    // Act & Assert
    expect(committedPerSecond({ ops: 100, errors: 0, elapsedMs: 2_000 })).toBe(50);
    expect(committedPerSecond({ ops: 100, errors: 20, elapsedMs: 2_000 })).toBe(40);
    expect(committedPerSecond({ ops: 100, errors: 0, elapsedMs: 0 })).toBe(0);
  });

  it('gives no ratio against nothing', () => {
    // Act & Assert
    expect(ratio(30, 40)).toBe(0.75);
    expect(ratio(30, 0)).toBeUndefined();
    expect(ratio(Number.NaN, 1)).toBeUndefined();
  });

  it('gives conflicts per committed transfer', () => {
    // Act & Assert
    expect(perCommitted(50, { ops: 110, errors: 10 })).toBe(0.5);
    expect(perCommitted(5, { ops: 3, errors: 3 })).toBeUndefined();
  });
});

describe('Function: roundRatioRange', () => {
  const load = (succeeded: number, elapsedMs: number, errors = 0) => ({
    latenciesMs: Array<number>(succeeded).fill(1),
    errors,
    elapsedMs,
  });

  it('gives the smallest and largest ratio of the rounds, pair by pair', () => {
    // Arrange: rounds at 0.8, 1.0 and 0.5 of the raw rate
    const useCase = [load(80, 1_000), load(100, 1_000), load(50, 1_000, 50)];
    const raw = [load(100, 1_000), load(100, 1_000), load(100, 1_000)];

    // Act & Assert
    expect(roundRatioRange(useCase, raw)).toEqual({ min: 0.5, max: 1 });
  });

  it('skips rounds with nothing to compare with', () => {
    // Act & Assert
    expect(roundRatioRange([load(10, 100)], [load(0, 100, 10)])).toBeUndefined();
    expect(roundRatioRange([load(10, 100), load(10, 100)], [load(10, 100)])).toEqual({ min: 1, max: 1 });
  });
});

describe('Function: comparisonTable', () => {
  const writeUnitUsd = 0.625 / 1_000_000;
  const readUnitUsd = 0.125 / 1_000_000;

  it('puts use case and raw side by side with their ratio, per concurrency level', () => {
    // Arrange
    const useCase = [
      pathRun({
        concurrency: 1,
        elapsedMs: 4_000,
        conflicts: 0,
        writeUnitsPerOp: 12,
        readUnitsPerOp: 0,
        roundRatios: { min: 0.4, max: 0.6 },
      }),
      pathRun({ concurrency: 16, elapsedMs: 2_000, conflicts: 50, writeUnitsPerOp: 12, readUnitsPerOp: 0 }),
    ];
    const raw = [
      pathRun({ concurrency: 1, elapsedMs: 2_000, writeUnitsPerOp: 12 }),
      pathRun({ concurrency: 16, elapsedMs: 1_000, conflicts: 10, writeUnitsPerOp: 12 }),
    ];

    // Act
    const table = comparisonTable({ useCase, raw, writeUnitUsd, readUnitUsd });

    // Assert
    expect(table.header).toEqual(['', 'c=1', 'c=16']);
    expect(cell(table, 'use case: transfers/s')).toBe('25');
    expect(cell(table, 'raw TransactWriteItems: transactions/s')).toBe('50');
    expect(cell(table, 'use case / raw')).toBe('0.50');
    expect(cell(table, 'use case / raw', 2)).toBe('0.50');
    expect(cell(table, '  same, round by round (min–max)')).toBe('0.40–0.60');
    expect(cell(table, '  same, round by round (min–max)', 2)).toBe('–');
    expect(cell(table, 'use case: conflicts retried per transfer', 2)).toBe('0.500');
    expect(cell(table, 'raw: conflicts retried per transaction', 2)).toBe('0.100');
    expect(cell(table, 'use case: write units per transfer')).toBe('12.000');
    expect(cell(table, 'DynamoDB $ per 1M transfers (use case)')).toBe('$7.5000');
    expect(table.rows.every((row) => row.length === 3)).toBe(true);
  });

  it('shows a dash where there is nothing to divide by', () => {
    // Arrange
    const useCase = [pathRun()];
    const raw = [pathRun({ errors: 100, p50Ms: Number.NaN, p99Ms: Number.NaN })];

    // Act
    const table = comparisonTable({ useCase, raw, writeUnitUsd, readUnitUsd });

    // Assert
    expect(cell(table, 'raw p50 / p99 (ms)')).toBe('–');
    expect(cell(table, 'use case p50 / p99 (ms)')).toBe('10.00 / 20.00');
    expect(cell(table, 'use case / raw')).toBe('–');
    expect(cell(table, 'raw: conflicts retried per transaction')).toBe('–');
    expect(cell(table, 'use case: write units per transfer')).toBe('–');
  });

  it('refuses runs that do not line up', () => {
    // Act & Assert
    expect(() =>
      comparisonTable({
        useCase: [pathRun({ concurrency: 1 })],
        raw: [pathRun({ concurrency: 16 })],
        writeUnitUsd,
        readUnitUsd,
      }),
    ).toThrow(RangeError);
  });
});

describe('Function: hotAccountTable', () => {
  it('compares the hot run with the spread run of the same concurrency', () => {
    // Arrange
    const hot = [pathRun({ concurrency: 64, elapsedMs: 4_000, conflicts: 30, errors: 10 })];
    const spread = [pathRun({ concurrency: 1 }), pathRun({ concurrency: 64, elapsedMs: 2_000 })];

    // Act
    const table = hotAccountTable(hot, spread);

    // Assert
    expect(table.header).toEqual(['', 'c=64']);
    expect(table.rows.find((row) => row[0] === 'transfers/s')?.[1]).toBe('23');
    expect(table.rows.find((row) => row[0] === 'hot / spread (use case)')?.[1]).toBe('0.45');
    expect(table.rows.find((row) => row[0] === 'conflicts retried per transfer')?.[1]).toBe('0.333');
    expect(table.rows.find((row) => row[0] === 'errors')?.[1]).toBe('10 of 100');
  });
});

describe('Function: splitOps', () => {
  it.each([
    [300, 4, [75, 75, 75, 75]],
    [10, 4, [3, 3, 2, 2]],
    [3, 4, [1, 1, 1]],
    [1, 1, [1]],
  ])('splits %p operations into %p rounds as %p', (ops, rounds, expected) => {
    // Act & Assert
    expect(splitOps(ops, rounds)).toEqual(expected);
  });

  it('rejects zero operations or rounds', () => {
    // Act & Assert
    expect(() => splitOps(0, 4)).toThrow(RangeError);
    expect(() => splitOps(4, 0)).toThrow(RangeError);
  });
});

describe('Function: mergeLoads', () => {
  it('adds latencies, errors and elapsed times and keeps the first error', () => {
    // Act
    const merged = mergeLoads([
      { latenciesMs: [1], errors: 0, elapsedMs: 10 },
      { latenciesMs: [2, 3], errors: 1, firstError: 'first', elapsedMs: 20 },
      { latenciesMs: [], errors: 2, firstError: 'second', elapsedMs: 5 },
    ]);

    // Assert
    expect(merged).toEqual({ latenciesMs: [1, 2, 3], errors: 3, firstError: 'first', elapsedMs: 35 });
  });
});

describe('Function: runInterleaved', () => {
  it('runs each operation ops times, alternating the order round by round', async () => {
    // Arrange
    const trace: string[] = [];
    const operation = (name: string) => async () => {
      trace.push(name);
    };

    // Act
    const [a = [], b = []] = await runInterleaved([operation('a'), operation('b')], 4, 1, 2);

    // Assert
    expect(trace).toEqual(['a', 'a', 'b', 'b', 'b', 'b', 'a', 'a']);
    expect(a.map((round) => round.latenciesMs.length)).toEqual([2, 2]);
    expect(mergeLoads(b).latenciesMs).toHaveLength(4);
  });

  it('counts each operation its own failures', async () => {
    // Act
    const [ok = [], failing = []] = await runInterleaved(
      [
        async () => undefined,
        async () => {
          throw new Error('nope');
        },
      ],
      3,
      2,
      3,
    );

    // Assert
    expect(mergeLoads(ok).errors).toBe(0);
    expect(mergeLoads(failing).errors).toBe(3);
    expect(mergeLoads(failing).firstError).toBe('nope');
  });
});
