/**
 * `npm run bench -- [--scenario health,ledger|all] [--ops 200] [--concurrency 1,16] [--warmup 20] [--out path]`
 *
 * Starts the embedded local stack in this process (or DynamoDB Local alone, when every chosen scenario needs
 * no more), runs each scenario at each concurrency level (its own defaults unless `--ops`/`--concurrency`
 * say otherwise), and prints latency, throughput, the resource counters per operation and dollars per
 * million operations, plus what a scenario adds (the ledger's use-case/raw ratio); the same report goes to
 * bench/results/latest.md. A benchmark prints figures; it passes or fails nothing.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingJavaError } from '../local/processes.js';
import { ROOT_DIR } from '../local/stack.js';
import { type BenchStack, runScenario, type StackKind, startBenchStack } from './harness.js';
import { renderText, writeMarkdown } from './report.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const MAX_OPS = 100_000;
const MAX_CONCURRENCY = 256;
const DEFAULT_OPS = 200;
const DEFAULT_CONCURRENCY: readonly number[] = [1, 16];

const scenarioDefaults = Object.values(scenarios)
  .filter((scenario) => scenario.defaults !== undefined)
  .map(
    (scenario) =>
      `${scenario.name}: ${scenario.defaults?.ops ?? DEFAULT_OPS} ops at ${(scenario.defaults?.concurrency ?? DEFAULT_CONCURRENCY).join(',')}`,
  )
  .join('; ');

const USAGE = `Usage: npm run bench -- [options]

  --scenario <names>     comma-separated scenario names, or "all" (default: all)
                         available: ${Object.keys(scenarios).join(', ')}
  --ops <n>              measured operations per run (default: ${DEFAULT_OPS}, at most ${MAX_OPS})
  --concurrency <list>   comma-separated concurrency levels (default: ${DEFAULT_CONCURRENCY.join(',')}, each at most ${MAX_CONCURRENCY})
                         (a scenario may have its own defaults: ${scenarioDefaults || 'none'})
  --warmup <n>           unmeasured operations before each run (default: 20)
  --out <path>           markdown report (default: bench/results/latest.md)
  --help                 this text
`;

class UsageError extends Error {}

function positiveInteger(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`--${name} must be an integer from 1 to ${max}, got "${text}"`);
  }
  return value;
}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'all' },
      ops: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string', default: '20' },
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
  const warmup = values.warmup.trim() === '0' ? 0 : positiveInteger('warmup', values.warmup, MAX_OPS);
  return {
    help: values.help,
    scenarios: chosen,
    /** Undefined: each scenario's default, else DEFAULT_OPS. */
    ops: values.ops === undefined ? undefined : positiveInteger('ops', values.ops, MAX_OPS),
    concurrency: levels === undefined ? undefined : [...new Set(levels)],
    warmup,
    out: resolve(ROOT_DIR, values.out),
  };
}

function write(text: string): Promise<void> {
  return new Promise((done) => process.stdout.write(text, () => done()));
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseCli>;
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

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const startedAt = new Date();
  const kind: StackKind = options.scenarios.every(
    (scenario) => scenario.kind === 'stack' && scenario.needs === 'dynamodb',
  )
    ? 'dynamodb'
    : 'full';
  process.stderr.write(
    kind === 'full'
      ? 'Starting the local stack in this process…\n'
      : 'Starting DynamoDB Local (all the chosen scenarios need)…\n',
  );
  let stack: Awaited<ReturnType<typeof startBenchStack>>;
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
    process.stderr.write('\nStopping the local stack…\n');
    void stack.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: ScenarioResult[] = [];
  try {
    for (const scenario of options.scenarios) {
      const started = performance.now();
      results.push(
        await runOne(stack, scenario, {
          ops: options.ops ?? scenario.defaults?.ops ?? DEFAULT_OPS,
          concurrency: options.concurrency ?? scenario.defaults?.concurrency ?? DEFAULT_CONCURRENCY,
          warmup: options.warmup,
        }),
      );
      process.stderr.write(
        `  ${scenario.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  } finally {
    await stack.stop();
  }

  const report = {
    startedAt,
    stackKind: stack.kind,
    startupMs: stack.startupMs,
    idlePerSecond: stack.idlePerSecond,
    scenarios: results,
  };
  await writeMarkdown(report, options.out);
  await write(`\n${renderText(report)}\nMarkdown: ${options.out}\n`);
  return 0;
}

async function runOne(
  stack: BenchStack,
  scenario: Scenario,
  options: { ops: number; concurrency: readonly number[]; warmup: number },
): Promise<ScenarioResult> {
  const progress = (line: string) => process.stderr.write(`  ${scenario.name}: ${line}\n`);
  if (scenario.kind === 'stack') {
    return scenario.run(stack, { ...options, progress });
  }
  const runs = [];
  for (const concurrency of options.concurrency) {
    progress(`${options.ops} operations at concurrency ${concurrency}…`);
    runs.push(await runScenario(stack, scenario, { ops: options.ops, concurrency, warmup: options.warmup }));
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
