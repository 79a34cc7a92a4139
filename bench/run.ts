/**
 * `npm run bench -- [--scenario health,ledger|all] [--ops 200] [--concurrency 1,16,64] [--warmup 20] [--out path]
 *   [--baseline-ops n] [--import-runs n] [--no-bundles | --only-bundles] [--history-entries n]`
 *
 * With no arguments, the whole benchmark in one go: each Lambda function bundled as CDK bundles it, with its
 * size and module import time; then the embedded local stack in this process (or DynamoDB Local alone, when
 * every chosen scenario needs no more); a raw DynamoDB Local TransactWriteItems baseline at every level; each
 * scenario at each concurrency level (its own defaults unless `--ops`/`--concurrency` say otherwise); the
 * raw baseline again. The report (latency, throughput, ratio to the raw baseline, resource counters per
 * operation, dollars per million operations, what each scenario adds) goes to bench/results/latest.md with a
 * chart beside it (latest.svg), and a short summary to stdout. A benchmark prints figures; it passes or
 * fails nothing.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingJavaError } from '../local/processes.js';
import { ROOT_DIR } from '../local/stack.js';
import { BASELINE_PLAN, BASELINE_WARMUP, type BaselinePass, measureRawBaseline } from './baseline.js';
import { type BundleReport, DEFAULT_IMPORT_RUNS, measureBundles } from './bundles.js';
import { type BenchStack, runScenario, type StackKind, startBenchStack } from './harness.js';
import { DEFAULT_CONCURRENCY, DEFAULT_OPS, describePlan, MAX_OPS, opsAtLevel } from './plan.js';
import { type BenchReport, renderBundlesText, renderText, writeReport } from './report.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { scenarios } from './scenarios/index.js';
import { LARGE_HISTORY } from './scenarios/wallet-history.js';
import { formatDuration } from './summary.js';

const MAX_CONCURRENCY = 256;
const MAX_IMPORT_RUNS = 50;

const scenarioDefaults = Object.values(scenarios)
  .map((scenario) => {
    const levels = scenario.defaults?.concurrency ?? DEFAULT_CONCURRENCY;
    return `${scenario.name}: ${describePlan(levels.map((c) => ({ concurrency: c, ops: opsAtLevel(scenario.defaults, undefined, c) })))}`;
  })
  .join('\n                           ');

const USAGE = `Usage: npm run bench -- [options]

  --scenario <names>       comma-separated scenario names, or "all" (default: all)
                           available: ${Object.keys(scenarios).join(', ')}
  --ops <n>                measured operations per level, every scenario (at most ${MAX_OPS}); by default each
                           scenario's own plan (else ${DEFAULT_OPS}), operations at concurrency levels:
                           ${scenarioDefaults}
  --concurrency <list>     comma-separated concurrency levels (default: each scenario's, else ${DEFAULT_CONCURRENCY.join(',')};
                           each at most ${MAX_CONCURRENCY})
  --warmup <n>             unmeasured operations before each run (default: 20)
  --baseline-ops <n>       raw TransactWriteItems per level in each baseline pass (default: ${BASELINE_PLAN.ops},
                           at least ${BASELINE_PLAN.opsPerSlot} per slot in flight)
  --import-runs <n>        imports timed per Lambda bundle, 0 for sizes only (default: ${DEFAULT_IMPORT_RUNS})
  --no-bundles             skip the Lambda bundles and import times
  --only-bundles           only the Lambda bundles and import times: no stack, no scenarios (seconds)
  --history-entries <n>    entries of the long history in wallet-history (default: ${LARGE_HISTORY})
  --out <path>             markdown report; the chart goes beside it as .svg (default: bench/results/latest.md)
  --help                   this text
`;

class UsageError extends Error {}

function positiveInteger(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be an integer from 1 to ${max}, got "${text}"`);
  }
  return value;
}

function nonNegativeInteger(name: string, text: string, max: number): number {
  return text.trim() === '0' ? 0 : positiveInteger(name, text, max);
}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'all' },
      ops: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string', default: '20' },
      'baseline-ops': { type: 'string' },
      'import-runs': { type: 'string', default: String(DEFAULT_IMPORT_RUNS) },
      'no-bundles': { type: 'boolean', default: false },
      'only-bundles': { type: 'boolean', default: false },
      'history-entries': { type: 'string' },
      out: { type: 'string', default: 'bench/results/latest.md' },
      help: { type: 'boolean', default: false },
    },
  });
  const names =
    values.scenario === 'all' ? Object.keys(scenarios) : values.scenario.split(',').map((s) => s.trim());
  const chosen: Scenario[] = names.map((name) => {
    const scenario = scenarios[name];
    if (scenario === undefined) {
      throw new UsageError(`no scenario "${name}"; available: ${Object.keys(scenarios).join(', ')}`);
    }
    return scenario;
  });
  let levels: number[] | undefined;
  if (values.concurrency !== undefined) {
    levels = values.concurrency
      .split(',')
      .filter((level) => level.trim() !== '')
      .map((level) => positiveInteger('concurrency', level, MAX_CONCURRENCY));
    if (levels.length === 0) throw new UsageError('--concurrency needs at least one level');
  }
  if (values['only-bundles'] && values['no-bundles'])
    throw new UsageError('--only-bundles and --no-bundles exclude each other');
  return {
    help: values.help,
    onlyBundles: values['only-bundles'],
    scenarios: chosen,
    /** Undefined: each scenario's plan. */
    ops: values.ops === undefined ? undefined : positiveInteger('ops', values.ops, MAX_OPS),
    concurrency: levels === undefined ? undefined : [...new Set(levels)],
    warmup: nonNegativeInteger('warmup', values.warmup, MAX_OPS),
    baselineOps:
      values['baseline-ops'] === undefined
        ? undefined
        : positiveInteger('baseline-ops', values['baseline-ops'], MAX_OPS),
    importRuns: values['no-bundles']
      ? undefined
      : nonNegativeInteger('import-runs', values['import-runs'], MAX_IMPORT_RUNS),
    largeHistory:
      values['history-entries'] === undefined
        ? undefined
        : positiveInteger('history-entries', values['history-entries'], 1_000_000),
    out: resolve(ROOT_DIR, values.out),
  };
}

type Options = ReturnType<typeof parseCli>;

function write(text: string): Promise<void> {
  return new Promise((done) => process.stdout.write(text, () => done()));
}

const say = (line: string) => process.stderr.write(`${line}\n`);

function levelsOf(scenario: Scenario, options: Options): readonly number[] {
  return options.concurrency ?? scenario.defaults?.concurrency ?? DEFAULT_CONCURRENCY;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    await write(USAGE);
    return 0;
  }

  const started = performance.now();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const startedAt = new Date();

  // Before the stack starts, so the imports have the machine to themselves.
  let bundles: BundleReport | undefined;
  if (options.importRuns !== undefined) {
    bundles = await measureBundles({
      rootDir: ROOT_DIR,
      runs: options.importRuns,
      progress: (line) => say(`  bundles: ${line}`),
    });
    say(`  bundles: done in ${formatDuration(bundles.elapsedMs)}`);
    if (options.onlyBundles) {
      await write(`\n${renderBundlesText(bundles)}`);
      return 0;
    }
  }

  const kind: StackKind = options.scenarios.every(
    (scenario) => scenario.kind === 'stack' && scenario.needs === 'dynamodb',
  )
    ? 'dynamodb'
    : 'full';
  say(
    kind === 'full'
      ? 'Starting the local stack in this process…'
      : 'Starting DynamoDB Local (all the chosen scenarios need)…',
  );
  let stack: BenchStack;
  try {
    stack = await startBenchStack(kind);
  } catch (error) {
    if (error instanceof MissingJavaError) {
      process.stderr.write(`\n${error.message}\n\n`);
      return 1;
    }
    throw error;
  }

  const onSignal = () => {
    say('\nStopping the local stack…');
    void stack.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const allLevels = [...new Set(options.scenarios.flatMap((scenario) => levelsOf(scenario, options)))].sort(
    (a, b) => a - b,
  );
  const baseline = (when: BaselinePass['when'], warmup: number) =>
    measureRawBaseline({
      endpoint: stack.dynamoDb.engineEndpoint,
      tableName: stack.dynamoDb.tableName,
      levels: allLevels,
      when,
      ...(options.baselineOps === undefined ? {} : { override: options.baselineOps }),
      warmup,
      progress: (line) => say(`  ${line}`),
    });

  const results: ScenarioResult[] = [];
  const passes: BaselinePass[] = [];
  try {
    passes.push(await baseline('before', options.warmup > 0 ? BASELINE_WARMUP : 0));
    for (const scenario of options.scenarios) {
      const scenarioStarted = performance.now();
      try {
        results.push(await runOne(stack, scenario, options));
        say(`  ${scenario.name}: done in ${formatDuration(performance.now() - scenarioStarted)}`);
      } catch (error) {
        // One broken flow must not cost the others' figures: the report says it failed, and why.
        const message = error instanceof Error ? error.message : String(error);
        say(
          `  ${scenario.name}: FAILED after ${formatDuration(performance.now() - scenarioStarted)}: ${message}`,
        );
        results.push(failedScenario(scenario, message));
      }
    }
    passes.push(await baseline('after', 0));
  } finally {
    await stack.stop();
  }

  const report: BenchReport = {
    startedAt,
    stackKind: stack.kind,
    startupMs: stack.startupMs,
    idlePerSecond: stack.idlePerSecond,
    scenarios: results,
    baseline: { passes },
    ...(bundles === undefined ? {} : { bundles }),
    plan: planLines(options),
    totalMs: performance.now() - started,
  };
  const paths = await writeReport(report, options.out);
  await write(`\n${renderText(report, paths)}`);
  return 0;
}

function failedScenario(scenario: Scenario, message: string): ScenarioResult {
  return {
    scenario: scenario.name,
    description: scenario.description,
    runs: [],
    leadSections: [
      { title: 'Failed', lines: [`The scenario stopped with an error, so it has no figures: ${message}`] },
    ],
    highlights: [`${scenario.name} FAILED (no figures): ${message.slice(0, 300)}`],
  };
}

/** The command and each scenario's operations per level, for the report. */
function planLines(options: Options): string[] {
  const args = process.argv.slice(2);
  return [
    `Command: \`npm run bench${args.length === 0 ? '' : ` -- ${args.join(' ')}`}\`.`,
    `Operations per level: ${options.scenarios
      .map(
        (scenario) =>
          `${scenario.name} ${describePlan(
            levelsOf(scenario, options).map((c) => ({
              concurrency: c,
              ops: opsAtLevel(scenario.defaults, options.ops, c),
            })),
          )}`,
      )
      .join('; ')}; warm-up ${options.warmup}.`,
  ];
}

async function runOne(stack: BenchStack, scenario: Scenario, options: Options): Promise<ScenarioResult> {
  const progress = (line: string) => say(`  ${scenario.name}: ${line}`);
  const levels = levelsOf(scenario, options);
  const opsAt = (concurrency: number) => opsAtLevel(scenario.defaults, options.ops, concurrency);
  if (scenario.kind === 'stack') {
    return scenario.run(stack, {
      opsAt,
      concurrency: levels,
      warmup: options.warmup,
      progress,
      ...(options.largeHistory === undefined ? {} : { largeHistory: options.largeHistory }),
    });
  }
  const runs = [];
  for (const concurrency of levels) {
    const ops = opsAt(concurrency);
    progress(`${ops} operations at concurrency ${concurrency}…`);
    runs.push(await runScenario(stack, scenario, { ops, concurrency, warmup: options.warmup }));
  }
  return { scenario: scenario.name, description: scenario.description, runs };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
