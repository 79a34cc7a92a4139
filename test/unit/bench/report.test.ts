import type { RawBaseline } from '../../../bench/baseline.js';
import type { BundleReport } from '../../../bench/bundles.js';
import {
  type BenchReport,
  renderBundlesText,
  renderChartSvg,
  renderMarkdown,
  renderText,
} from '../../../bench/report.js';
import { zeroCounters } from '../../../local/metrics.js';
import { runFixture } from '../../support/bench-run.js';

const baseline: RawBaseline = {
  passes: [
    {
      when: 'before',
      runs: [{ concurrency: 1, ops: 100, errors: 0, elapsedMs: 2_000, p50Ms: 1, p99Ms: 2, conflicts: 0 }],
    },
    {
      when: 'after',
      runs: [{ concurrency: 1, ops: 100, errors: 0, elapsedMs: 1_000, p50Ms: 1, p99Ms: 2, conflicts: 0 }],
    },
  ],
};

const bundles: BundleReport = {
  functions: [
    {
      name: 'health',
      entry: 'functions/health/health.ts',
      bytes: 2048,
      gzipBytes: 1024,
      importMs: [10, 12, 11],
      contributors: [{ name: '@aws-lambda-powertools/logger', bytes: 1024 }],
    },
    {
      name: 'walletTopup',
      entry: 'functions/wallets/topup.ts',
      bytes: 4096,
      gzipBytes: 2048,
      importMs: [],
      error: 'Error: boom',
    },
  ],
  importRuns: 3,
  nodeVersion: 'v20.0.0',
  elapsedMs: 5_000,
};

function report(values: Partial<BenchReport> = {}): BenchReport {
  return {
    startedAt: new Date('2026-11-22T00:00:00.000Z'),
    startupMs: 1_000,
    idlePerSecond: zeroCounters(),
    scenarios: [
      {
        scenario: 'topups',
        description: 'card top-ups',
        runs: [runFixture({ scenario: 'topups', concurrency: 1, ops: 10, elapsedMs: 2_000 })],
        highlights: ['Top-ups: a headline.'],
      },
      {
        scenario: 'broken',
        description: 'a flow that failed',
        runs: [],
        highlights: ['broken FAILED (no figures): x'],
      },
    ],
    baseline,
    bundles,
    totalMs: 754_000,
    plan: ['Command: `npm run bench`.'],
    ...values,
  };
}

describe('Function: renderMarkdown', () => {
  it('opens with the run time, the summary table, the chart link and the headlines', () => {
    // Act
    const markdown = renderMarkdown(report(), 'latest.svg');

    // Assert
    const summary = markdown.indexOf('## Summary');
    expect(markdown).toContain('Total run time 12m 34s.');
    expect(markdown).toContain('- Command: `npm run bench`.');
    expect(summary).toBeGreaterThan(0);
    expect(markdown).toContain('| topups | 1 | 10 (0) | 10.0 | 20.0 | 5 | 75 | 0.0667 | $0 |');
    expect(markdown).toContain('](latest.svg)');
    expect(markdown).toContain('- Top-ups: a headline.');
    expect(markdown).toContain('- broken FAILED (no figures): x');
    expect(markdown.indexOf('## Raw DynamoDB Local baseline')).toBeGreaterThan(summary);
    expect(markdown.indexOf('## Lambda bundles')).toBeGreaterThan(summary);
    expect(markdown.indexOf('## Scenario `topups`')).toBeGreaterThan(markdown.indexOf('## Lambda bundles'));
  });

  it('shows each bundle, with the error of one that could not be imported', () => {
    const markdown = renderMarkdown(report());
    expect(markdown).toContain(
      '| health | functions/health/health.ts | 2 | 1 | 11 | 10–12 | @aws-lambda-powertools/logger 1 |  |',
    );
    expect(markdown).toContain(
      '| walletTopup | functions/wallets/topup.ts | 4 | 2 | – | – |  | Error: boom |',
    );
  });

  it('leaves out the chart link, the baseline and the bundles when the run has none', () => {
    const { baseline: _b, bundles: _u, ...rest } = report();
    const markdown = renderMarkdown(rest);
    expect(markdown).not.toContain('.svg)');
    expect(markdown).not.toContain('## Raw DynamoDB Local baseline');
    expect(markdown).not.toContain('## Lambda bundles');
  });
});

describe('Function: renderText', () => {
  it('prints the summary table, the headlines and where the report and chart are, not the scenario tables', () => {
    // Act
    const text = renderText(report(), { markdown: '/r/latest.md', chart: '/r/latest.svg' });

    // Assert
    expect(text).toContain('Total run time 12m 34s.');
    expect(text).toMatch(/topups\s+1\s+10 \(0\)\s+10\.0\s+20\.0\s+5\s+75\s+0\.0667\s+\$0/);
    expect(text).toContain('- Top-ups: a headline.');
    expect(text).toContain('Bundles: 2 of 2 functions bundled');
    expect(text).toContain('  health 2 KiB, import 11 ms: @aws-lambda-powertools/logger 1');
    expect(text).toContain('Report: /r/latest.md');
    expect(text).toContain('Chart:  /r/latest.svg');
    expect(text).not.toContain('Counters');
  });

  it('prints only the bundles for --only-bundles', () => {
    const text = renderBundlesText(bundles);
    expect(text).toContain('- 2 of 2 functions bundled');
    expect(text).toContain('  walletTopup 4 KiB (error: Error: boom)');
    expect(text).toContain('  health 2 KiB, import 11 ms: @aws-lambda-powertools/logger 1');
  });

  it('names the runs that had errors', () => {
    const text = renderText(
      report({
        scenarios: [
          {
            scenario: 'p2p',
            description: 'p2p',
            runs: [runFixture({ scenario: 'p2p', concurrency: 16, errors: 2 })],
          },
        ],
      }),
    );
    expect(text).toContain('Errors in 1 run(s): p2p c=16 (2)');
  });
});

describe('Function: renderChartSvg', () => {
  it('draws the raw baseline and every flow that has runs', () => {
    const svg = renderChartSvg(report());
    expect(svg).toContain('raw 2-item TransactWriteItems');
    expect(svg).toContain('>topups<');
    expect(svg).not.toContain('>broken<');
  });
});
