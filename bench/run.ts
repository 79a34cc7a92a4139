/**
 * `npm run bench -- [--scenario health|all] [--ops 200] [--concurrency 1,16] [--warmup 20] [--out path]`
 *
 * Starts the embedded local stack in this process, runs each scenario at each concurrency level, and prints
 * latency, throughput, the resource counters per operation and dollars per million operations; the same
 * report goes to bench/results/latest.md. A benchmark prints figures; it passes or fails nothing.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingJavaError } from '../local/processes.js';
import { ROOT_DIR } from '../local/stack.js';
import { type RunResult, runScenario, startBenchStack } from './harness.js';
import { renderText, writeMarkdown } from './report.js';
import type { Scenario } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const MAX_OPS = 100_000;
const MAX_CONCURRENCY = 256;

const USAGE = `Usage: npm run bench -- [options]

  --scenario <names>     comma-separated scenario names, or "all" (default: all)
                         available: ${Object.keys(scenarios).join(', ')}
  --ops <n>              measured operations per run (default: 200, at most ${MAX_OPS})
  --concurrency <list>   comma-separated concurrency levels (default: 1,16, each at most ${MAX_CONCURRENCY})
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
      ops: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '1,16' },
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
  const levels = values.concurrency
    .split(',')
    .filter((level) => level.trim() !== '')
    .map((level) => positiveInteger('concurrency', level, MAX_CONCURRENCY));
  if (levels.length === 0) throw new UsageError('--concurrency needs at least one level');
  const warmup = values.warmup.trim() === '0' ? 0 : positiveInteger('warmup', values.warmup, MAX_OPS);
  return {
    help: values.help,
    scenarios: chosen,
    ops: positiveInteger('ops', values.ops, MAX_OPS),
    concurrency: [...new Set(levels)],
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
  process.stderr.write('Starting the local stack in this process…\n');
  let stack: Awaited<ReturnType<typeof startBenchStack>>;
  try {
    stack = await startBenchStack();
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

  const runs: RunResult[] = [];
  try {
    for (const scenario of options.scenarios) {
      for (const concurrency of options.concurrency) {
        process.stderr.write(
          `  ${scenario.name}: ${options.ops} operations at concurrency ${concurrency}…\n`,
        );
        runs.push(
          await runScenario(stack, scenario, { ops: options.ops, concurrency, warmup: options.warmup }),
        );
      }
    }
  } finally {
    await stack.stop();
  }

  const report = { startedAt, startupMs: stack.startupMs, idlePerSecond: stack.idlePerSecond, runs };
  await writeMarkdown(report, options.out);
  await write(`\n${renderText(report)}\nMarkdown: ${options.out}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
