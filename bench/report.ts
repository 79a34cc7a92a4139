/**
 * Writes a benchmark run as markdown (bench/results/latest.md) with its chart beside it (latest.svg), and a
 * short plain-text summary for stdout. The markdown opens with the summary (every flow at every level:
 * latency, throughput, the ratio to the raw DynamoDB Local baseline of the same run, dollars per million
 * operations), the raw baseline and the Lambda bundles; then per scenario, one column per concurrency level
 * with latency, throughput, each counter per operation and the dollars per million operations of each
 * billed resource, plus whatever sections the scenario adds.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { CounterName, ResourceCounters } from '../local/metrics.js';
import { baselineLevels, baselineTable, RAW_ITEMS, type RawBaseline, rawRate } from './baseline.js';
import { type BundleReport, bundleHighlights, bundleLines, bundleTable } from './bundles.js';
import { benchChart } from './chart.js';
import { billedResources, costNotes, perOperation, unpricedCounters } from './cost.js';
import { formatNumber, formatUsd } from './format.js';
import { goalRows, goalTable } from './goals.js';
import type { RunResult, StackKind } from './harness.js';
import { PRICE_REGION, type PriceKey, prices } from './prices.js';
import type { Align, ScenarioResult, Section, Table } from './scenario.js';
import { flowPoints, formatDuration, summaryTable } from './summary.js';

export interface BenchReport {
  startedAt: Date;
  /** What was started (default: the whole local stack). */
  stackKind?: StackKind;
  startupMs: number;
  idlePerSecond: ResourceCounters;
  scenarios: readonly ScenarioResult[];
  /** Wall time of the whole command, from its start to the report. */
  totalMs?: number;
  /** The raw DynamoDB Local TransactWriteItems baseline, measured in the same run. */
  baseline?: RawBaseline;
  /** Each function's bundle and import time. */
  bundles?: BundleReport;
  /** How the run was asked for: the command line and each scenario's operations per level. */
  plan?: string[];
}

const COUNTER_ORDER: readonly CounterName[] = [
  'apiRequests',
  'lambdaInvocations',
  'lambdaDurationMs',
  'lambdaGbSeconds',
  'executionsStarted',
  'stateTransitions',
  'dynamoRequests',
  'dynamoReadUnits',
  'dynamoWriteUnits',
  'dynamoTransactionsCancelled',
  'eventsPut',
  'sqsRequests',
  'kmsCalls',
  'stripeRequests',
  'paypalRequests',
  'matrixRequests',
];

export { formatNumber, formatUsd };

function scenarioSections(result: ScenarioResult): Section[] {
  return [...(result.leadSections ?? []), ...standardSections(result.runs), ...(result.sections ?? [])];
}

function standardSections(runs: readonly RunResult[]): Section[] {
  if (runs.length === 0) return [];
  const columns = runs.map((run) => `c=${run.concurrency}`);
  const right = (n: number): Align[] => ['left', ...Array<Align>(n).fill('right')];

  const load: Table = {
    header: ['', ...columns],
    align: right(runs.length),
    rows: [
      ['operations', ...runs.map((run) => String(run.ops))],
      ['errors', ...runs.map((run) => String(run.errors))],
      ['p50 latency (ms)', ...runs.map((run) => run.latency.p50.toFixed(2))],
      ['p99 latency (ms)', ...runs.map((run) => run.latency.p99.toFixed(2))],
      ['throughput (ops/s)', ...runs.map((run) => run.opsPerSecond.toFixed(0))],
    ],
  };

  const perOp = runs.map((run) => perOperation(run.counters, run.ops));
  const counters: Table = {
    header: ['counter per operation', ...columns],
    align: right(runs.length),
    rows: COUNTER_ORDER.map((name) => [
      unpricedCounters[name] === undefined ? name : `${name} (not priced)`,
      ...perOp.map((values) => formatNumber(values[name])),
    ]),
  };

  const cost: Table = {
    header: ['$ per 1M operations', ...columns],
    align: right(runs.length),
    rows: [
      ...billedResources.map((resource, index) => [
        resource.estimate === undefined ? resource.label : `${resource.label} (estimate)`,
        ...runs.map((run) => formatUsd(run.cost.lines[index]?.usdPerMillionOps ?? 0)),
      ]),
      ['Total', ...runs.map((run) => formatUsd(run.cost.totalUsdPerMillionOps))],
    ],
  };

  const sections: Section[] = [
    { title: 'Load', table: load },
    { title: 'Counters', table: counters },
    { title: 'Cost', table: cost },
  ];
  const failures = runs.filter((run) => run.errors > 0);
  if (failures.length > 0) {
    sections.push({
      title: 'Errors',
      lines: failures.map(
        (run) =>
          `c=${run.concurrency}: ${run.errors} of ${run.ops} failed; first: ${truncate(run.firstError ?? '?', 200)}`,
      ),
    });
  }
  return sections;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function backgroundLines(report: BenchReport): string[] {
  const moving = COUNTER_ORDER.filter((name) => report.idlePerSecond[name] > 0);
  if (moving.length === 0) return ['Idle background: none (no counter moved during 1 s without load).'];
  const lines = [
    `Idle background (counted with no load, included in the figures above): ${moving
      .map((name) => `${name} ${formatNumber(report.idlePerSecond[name])}/s`)
      .join(', ')}.`,
  ];
  for (const run of report.scenarios.flatMap((scenario) => scenario.runs)) {
    lines.push(
      `  ${run.scenario} c=${run.concurrency}: about ${moving
        .map((name) => `${formatNumber(run.backgroundEstimate[name] / run.ops)} ${name}`)
        .join(', ')} per operation of that.`,
    );
  }
  return lines;
}

function environmentLine(report: BenchReport): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${report.startedAt.toISOString()} · Node ${process.version} · ${platform()} ${arch()} · ${cpu} · ${report.stackKind === 'dynamodb' ? 'DynamoDB Local alone' : 'local stack'} ready in ${(report.startupMs / 1000).toFixed(1)} s`;
}

function notes(report: BenchReport): string[] {
  return [
    ...costNotes,
    'At concurrency > 1 the in-process handlers share one event loop, so measured Lambda duration includes waiting for it.',
    `Not priced: ${COUNTER_ORDER.filter((name) => unpricedCounters[name] !== undefined)
      .map((name) => `${name} (${unpricedCounters[name]})`)
      .join('; ')}.`,
    ...report.scenarios.flatMap((scenario) =>
      (scenario.notes ?? []).map((note) => `${scenario.scenario}: ${note}`),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------- text

function textTable(table: Table): string[] {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        table.align[column] === 'right'
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join('   ')
      .trimEnd();
  return [line(table.header), ...table.rows.map(line)];
}

/** What the summary says under its table: the scenarios' headlines, the baseline and the bundles in a line. */
function highlights(report: BenchReport): string[] {
  const lines = report.scenarios.flatMap((scenario) => scenario.highlights ?? []);
  if (report.baseline !== undefined) {
    lines.push(
      `Raw ${RAW_ITEMS}-item TransactWriteItems/s on this DynamoDB Local (mean of ${report.baseline.passes.map((pass) => pass.when).join(' and ')} the flows): ${baselineLevels(
        report.baseline,
      )
        .map((c) => `c=${c} ${(rawRate(report.baseline, c) ?? 0).toFixed(0)}`)
        .join(', ')}.`,
    );
  }
  if (report.bundles !== undefined)
    lines.push(...bundleHighlights(report.bundles).map((line) => `Bundles: ${line}`));
  return lines;
}

function runTimeLine(report: BenchReport): string {
  return report.totalMs === undefined ? '' : `Total run time ${formatDuration(report.totalMs)}.`;
}

/** Each function's size, median import and top contributors, for stdout. */
function bundleSection(bundles: BundleReport): string[] {
  return [
    'Bundles (minified KiB, median import, top contributors in KiB):',
    ...bundleLines(bundles).map((line) => `  ${line}`),
  ];
}

/** What `--only-bundles` prints: the bundles' headlines and each function's line. */
export function renderBundlesText(bundles: BundleReport): string {
  return [
    'Tween Payments Lambda bundles (esbuild as CDK bundles them)',
    `Node ${bundles.nodeVersion} · ${formatDuration(bundles.elapsedMs)}`,
    '',
    ...bundleHighlights(bundles).map((line) => `- ${line}`),
    '',
    ...textTable(goalTable(goalRows({ scenarios: [], bundles }).filter((row) => row.met !== undefined))).map(
      (row) => `  ${row}`,
    ),
    '',
    ...bundleSection(bundles),
    '',
  ].join('\n');
}

/** The short summary printed to stdout: the summary table and the headlines. */
export function renderText(
  report: BenchReport,
  paths: { markdown: string; chart?: string } = { markdown: '' },
): string {
  const out: string[] = [
    'Tween Payments benchmark (embedded local stack, in process)',
    environmentLine(report),
  ];
  const total = runTimeLine(report);
  if (total !== '') out.push(total);
  out.push(
    '',
    ...textTable(summaryTable(flowPoints(report.scenarios, report.baseline))).map((row) => `  ${row}`),
    '',
    ...textTable(goalTable(goalRows(report))).map((row) => `  ${row}`),
  );
  const lines = highlights(report);
  if (lines.length > 0) out.push('', ...lines.map((line) => `- ${line}`));
  if (report.bundles !== undefined) out.push('', ...bundleSection(report.bundles));
  const failed = report.scenarios.flatMap((scenario) => scenario.runs).filter((run) => run.errors > 0);
  if (failed.length > 0) {
    out.push(
      '',
      `Errors in ${failed.length} run(s): ${failed.map((run) => `${run.scenario} c=${run.concurrency} (${run.errors})`).join(', ')}; see the report.`,
    );
  }
  if (paths.markdown !== '') out.push('', `Report: ${paths.markdown}`);
  if (paths.chart !== undefined) out.push(`Chart:  ${paths.chart}`);
  out.push('');
  return out.join('\n');
}

// ------------------------------------------------------------------------------------------ markdown

function markdownTable(table: Table): string[] {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  const row = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `| ${table.align.map((align) => (align === 'right' ? '---:' : '---')).join(' | ')} |`;
  return [row(table.header), rule, ...table.rows.map(row)];
}

function priceTable(): Table {
  return {
    header: ['price', 'USD', 'per', 'source', 'checked', 'note'],
    align: ['left', 'right', 'left', 'left', 'left', 'left'],
    rows: (Object.keys(prices) as PriceKey[]).map((key) => {
      const price = prices[key];
      return [
        key,
        String(price.usd),
        `${price.per.toLocaleString('en-US')} ${price.unit}${price.per === 1 ? '' : 's'}`,
        price.source,
        price.checked,
        price.note ?? '',
      ];
    }),
  };
}

const SUMMARY_INTRO = [
  "One line per flow and concurrency level c. Latency is per operation as each scenario defines it (its section says); ops/s counts operations that succeeded over the run's wall time. raw TWI/s is the rate of raw 2-item TransactWriteItems on the same DynamoDB Local at the same c, measured in this run (mean of the passes before and after the flows); ops/s ÷ raw is how many flow operations the stack completes per raw transaction. $ per 1M ops is at AWS list prices (see each scenario's Cost table).",
];

export function renderMarkdown(report: BenchReport, chartFile?: string): string {
  const out: string[] = ['# Tween Payments benchmark', '', `_${environmentLine(report)}_`];
  const total = runTimeLine(report);
  if (total !== '') out.push('', total);
  if (report.plan !== undefined && report.plan.length > 0)
    out.push('', ...report.plan.map((line) => `- ${line}`));
  out.push(
    '',
    '## Summary',
    '',
    ...SUMMARY_INTRO,
    '',
    ...markdownTable(summaryTable(flowPoints(report.scenarios, report.baseline))),
  );
  out.push('', '## Goals of #15', '', ...markdownTable(goalTable(goalRows(report))));
  if (chartFile !== undefined)
    out.push('', `![Throughput and p50 latency of every flow at each level](${chartFile})`);
  const lines = highlights(report);
  if (lines.length > 0) out.push('', ...lines.map((line) => `- ${line}`));
  if (report.baseline !== undefined) {
    out.push(
      '',
      '## Raw DynamoDB Local baseline',
      '',
      `TransactWriteItems of ${RAW_ITEMS} Puts (fresh keys, each conditioned on attribute_not_exists), sent from this process straight to the DynamoDB Local engine the stack uses (not through the counting or fault proxies), before and after the flows. The ratios in the summary divide by the mean.`,
      '',
      ...markdownTable(baselineTable(report.baseline)),
    );
  }
  if (report.bundles !== undefined) {
    const bundles = report.bundles;
    out.push(
      '',
      '## Lambda bundles and module import time (cold-start proxy)',
      '',
      `Each function of shared/infra/functions.ts bundled with esbuild as cdk/constructs/payments-function.ts does (ESM, minified, target node22, source maps without the sources' text, module before main, the createRequire banner, nothing external: the AWS SDK is in the bundle). Sizes are the .mjs without its source map; gzip is a proxy for the zipped deployment package. Import time: ${bundles.importRuns} fresh \`node --enable-source-maps\` processes per function (Node ${bundles.nodeVersion} here; Lambda runs Node 22) time the dynamic import() of the bundle, top-level awaits included, with dummy configuration and no AWS (secrets from variables; on AWS, functions that read the app secrets also call Secrets Manager at cold start, which is not in these figures). A function that cannot load that way shows its error instead of a time. Bundling and importing took ${formatDuration(bundles.elapsedMs)}.`,
      '',
      ...markdownTable(bundleTable(bundles)),
    );
  }
  for (const scenario of report.scenarios) {
    out.push('', `## Scenario \`${scenario.scenario}\``, '', scenario.description);
    for (const section of scenarioSections(scenario)) {
      out.push('', `### ${section.title}`, '');
      if ('table' in section) out.push(...markdownTable(section.table));
      else out.push(...section.lines.map((row) => `- ${row}`));
    }
  }
  out.push('', '## Background', '', ...backgroundLines(report).map((line) => `- ${line.trim()}`));
  out.push('', '## Notes', '', ...notes(report).map((note) => `- ${note}`));
  out.push('', `## Prices (${PRICE_REGION})`, '', ...markdownTable(priceTable()), '');
  return out.join('\n');
}

/** The chart of a report: throughput and p50 latency per flow and level, with the raw baseline. */
export function renderChartSvg(report: BenchReport): string {
  const raw = new Map<number, number>();
  if (report.baseline !== undefined) {
    for (const level of baselineLevels(report.baseline)) {
      const rate = rawRate(report.baseline, level);
      if (rate !== undefined) raw.set(level, rate);
    }
  }
  return benchChart(
    flowPoints(report.scenarios, report.baseline),
    raw,
    `${report.startedAt.toISOString()} · Node ${process.version} · ${cpus().length} CPUs · ${report.stackKind === 'dynamodb' ? 'DynamoDB Local alone' : 'embedded local stack'}`,
  );
}

/**
 * Writes the markdown report to `path` and the chart beside it (same name, .svg); answers the chart's path.
 */
export async function writeReport(
  report: BenchReport,
  path: string,
): Promise<{ markdown: string; chart: string }> {
  await mkdir(dirname(path), { recursive: true });
  const chart = join(dirname(path), `${basename(path).replace(/\.md$/i, '')}.svg`);
  await writeFile(chart, renderChartSvg(report), 'utf8');
  await writeFile(path, renderMarkdown(report, basename(chart)), 'utf8');
  return { markdown: path, chart };
}
