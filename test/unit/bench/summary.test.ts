import type { RawBaseline } from '../../../bench/baseline.js';
import type { ScenarioResult } from '../../../bench/scenario.js';
import {
  flowPoints,
  formatDuration,
  formatMs,
  formatRate,
  succeededPerSecond,
  summaryTable,
} from '../../../bench/summary.js';
import { runFixture } from '../../support/bench-run.js';

const baseline: RawBaseline = {
  passes: [
    {
      when: 'before',
      runs: [
        { concurrency: 1, ops: 100, errors: 0, elapsedMs: 1_000, p50Ms: 1, p99Ms: 2, conflicts: 0 },
        { concurrency: 16, ops: 400, errors: 0, elapsedMs: 1_000, p50Ms: 1, p99Ms: 2, conflicts: 0 },
      ],
    },
  ],
};

function scenario(name: string, runs: ScenarioResult['runs']): ScenarioResult {
  return { scenario: name, description: name, runs };
}

describe('Function: succeededPerSecond', () => {
  it('counts only the operations that succeeded', () => {
    expect(succeededPerSecond({ ops: 10, errors: 2, elapsedMs: 2_000 })).toBe(4);
  });

  it('returns 0 for a run that took no time', () => {
    expect(succeededPerSecond({ ops: 10, errors: 0, elapsedMs: 0 })).toBe(0);
  });
});

describe('Function: flowPoints', () => {
  it('returns one point per scenario and level with the ratio to the raw rate at that level', () => {
    // Arrange
    const results = [
      scenario('topups', [
        runFixture({ concurrency: 1, ops: 10, elapsedMs: 2_000 }),
        runFixture({ concurrency: 16, ops: 40, elapsedMs: 1_000, errors: 20 }),
      ]),
      scenario('reads', [runFixture({ concurrency: 64, ops: 10, elapsedMs: 1_000 })]),
    ];

    // Act
    const points = flowPoints(results, baseline);

    // Assert
    expect(points.map((point) => [point.scenario, point.concurrency])).toEqual([
      ['topups', 1],
      ['topups', 16],
      ['reads', 64],
    ]);
    expect(points[0]).toMatchObject({ opsPerSecond: 5, rawPerSecond: 100, ratioToRaw: 0.05 });
    expect(points[1]).toMatchObject({ opsPerSecond: 20, rawPerSecond: 400, ratioToRaw: 0.05, errors: 20 });
    expect(points[2]?.rawPerSecond).toBeUndefined();
    expect(points[2]?.ratioToRaw).toBeUndefined();
  });

  it('returns no ratio without a baseline', () => {
    const [point] = flowPoints([scenario('a', [runFixture()])], undefined);
    expect(point?.ratioToRaw).toBeUndefined();
  });

  it('returns nothing for a scenario that failed before any run', () => {
    expect(flowPoints([scenario('broken', [])], baseline)).toEqual([]);
  });
});

describe('Function: summaryTable', () => {
  it('returns one row per point with latency, rates, ratio and dollars', () => {
    // Arrange
    const points = flowPoints(
      [
        scenario('topups', [
          runFixture({
            concurrency: 1,
            ops: 10,
            elapsedMs: 2_000,
            latency: { p50: 228.4, p99: 1234.5, max: 2000, mean: 300 },
          }),
        ]),
      ],
      baseline,
    );

    // Act
    const table = summaryTable(points);

    // Assert
    expect(table.header).toHaveLength(table.align.length);
    expect(table.rows).toEqual([['topups', '1', '10 (0)', '228', '1235', '5', '100', '0.05', '$0']]);
  });

  it('shows dashes where there is no baseline', () => {
    const [row] = summaryTable(flowPoints([scenario('a', [runFixture({ concurrency: 2 })])], baseline)).rows;
    expect(row?.slice(6, 8)).toEqual(['–', '–']);
  });
});

describe('Functions: formatMs, formatRate and formatDuration', () => {
  it.each([
    [0.9123, '0.91'],
    [12.34, '12.3'],
    [1234.4, '1234'],
    [Number.NaN, '–'],
  ])('formatMs(%s) is %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it.each([
    [0, '0'],
    [0.000123456, '0.000123'],
    [4.0567, '4.06'],
    [13.1, '13.1'],
    [1234.6, '1235'],
  ])('formatRate(%s) is %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it.each([
    [6_120, '6.1 s'],
    [245_000, '4m 05s'],
    [3_723_000, '1h 02m 03s'],
    [-1, '–'],
  ])('formatDuration(%s) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
