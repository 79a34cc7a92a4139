/**
 * Prints a benchmark run as a plain-text table (stdout) and as markdown (bench/results/latest.md): per
 * scenario, one column per concurrency level with latency, throughput, each counter per operation and the
 * dollars per million operations of each billed resource, plus whatever sections the scenario adds.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { dirname } from 'node:path';
import type { CounterName, ResourceCounters } from '../local/metrics.js';
import { billedResources, costNotes, perOperation, unpricedCounters } from './cost.js';
import type { RunResult, StackKind } from './harness.js';
import { PRICE_REGION, type PriceKey, prices } from './prices.js';
import type { Align, ScenarioResult, Section, Table } from './scenario.js';

export interface BenchReport {
  startedAt: Date;
  /** What was started (default: the whole local stack). */
  stackKind?: StackKind;
  startupMs: number;
  idlePerSecond: ResourceCounters;
  scenarios: readonly ScenarioResult[];
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

/** Significant figures without exponent noise: 0, 12.3, 1.000, 0.00123. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(3);
  return Number(value.toPrecision(3)).toString();
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) < 0.0001) return `$${Number(value.toPrecision(2)).toString()}`;
  return `$${value.toFixed(4)}`;
}

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

export function renderText(report: BenchReport): string {
  const out: string[] = [
    'Tween Payments cost benchmark (embedded local stack, in process)',
    environmentLine(report),
  ];
  for (const scenario of report.scenarios) {
    out.push('', `Scenario ${scenario.scenario}: ${scenario.description}`);
    for (const section of scenarioSections(scenario)) {
      out.push('', `  ${section.title}:`);
      if ('table' in section) out.push(...textTable(section.table).map((row) => `    ${row}`));
      else out.push(...section.lines.map((row) => `    ${row}`));
    }
  }
  out.push('', ...backgroundLines(report), '', 'Notes:', ...notes(report).map((note) => `  - ${note}`), '');
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

export function renderMarkdown(report: BenchReport): string {
  const out: string[] = ['# Tween Payments cost benchmark', '', `_${environmentLine(report)}_`];
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

export async function writeMarkdown(report: BenchReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderMarkdown(report), 'utf8');
}
