/**
 * Each Lambda function's deployment bundle and how long its module takes to import (a cold-start proxy).
 *
 * Every entry of shared/infra/functions.ts is bundled with esbuild the way the CDK construct bundles it
 * (cdk/constructs/payments-function.ts: ESM, minified, source maps without the sources' text, `module` before `main`, the
 * `createRequire` banner, nothing external, the AWS SDK included) into a temporary directory, in one build.
 * The report gives the minified size (the `.mjs` without its source map) and its gzip size. Then, for each
 * bundle, `node --enable-source-maps` (as the construct sets NODE_OPTIONS) is spawned `runs` times with
 * nothing in its environment but dummy configuration (no AWS, no network: every endpoint is a refused
 * loopback port), and times the dynamic `import()` of the bundle, top-level awaits included; the median is
 * the figure. A bundle that cannot be imported that way reports the error, never a time.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { readLocalEnv } from '../local/config.js';
import { LAMBDA_ALIASES, LAMBDA_SOURCES_CONTENT } from '../shared/infra/bundling.js';
import { EVENT_BUS_ENV, eventBusDefinition } from '../shared/infra/events.js';
import {
  type FunctionName,
  functionDefinition,
  functionNames,
  functions,
} from '../shared/infra/functions.js';
import { KEY_ENV, MFA_KEY_ENV } from '../shared/infra/keys.js';
import { KYC_BUCKET_ENV, kycBucketDefinition } from '../shared/infra/kyc-bucket.js';
import { queueKeys, queues } from '../shared/infra/queues.js';
import { stateMachines } from '../shared/infra/state-machines.js';
import { TABLE_ENV, tableDefinition } from '../shared/infra/table.js';
import { parseJsonRecord } from '../shared/json.js';
import { type Contributor, contributors, describeContributors, type MetafileOutput } from './contributors.js';
import { formatNumber } from './format.js';
import type { Table } from './scenario.js';
import { percentile } from './stats.js';

/** Imports timed per function unless `--import-runs` says otherwise. */
export const DEFAULT_IMPORT_RUNS = 3;
/** One import may take at most this long before it counts as failed. */
const IMPORT_TIMEOUT_MS = 60_000;
/** Where every AWS SDK client, Stripe and the homeserver would go: a loopback port nothing listens on. */
const NOWHERE = 'http://127.0.0.1:9';
/** Marks the child's answer among whatever the module itself writes to stdout (log lines). */
const ANSWER_MARK = '@@bench-import@@';

/** The esbuild settings of cdk/constructs/payments-function.ts (NodejsFunction's `bundling`). */
export const LAMBDA_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: LAMBDA_SOURCES_CONTENT,
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  },
  external: [],
  alias: LAMBDA_ALIASES,
} as const;

export interface FunctionBundle {
  name: FunctionName;
  entry: string;
  /** Minified bundle, source map not included. */
  bytes?: number;
  gzipBytes?: number;
  /** What the minified bundle is made of, by package, largest first (esbuild's metafile). */
  contributors?: Contributor[];
  /** Each successful import, in milliseconds. */
  importMs: number[];
  /** Why the bundle could not be built or imported (the first error seen). */
  error?: string;
}

export interface BundleReport {
  functions: FunctionBundle[];
  importRuns: number;
  /** The Node.js that imported the bundles (Lambda runs Node.js 22). */
  nodeVersion: string;
  /** Wall time of bundling and importing everything. */
  elapsedMs: number;
}

/**
 * What every function finds in its environment, with dummy values: the local stack's settings (its
 * defaults, as local/stack.ts hands them to the handlers), the infrastructure names CDK and the local stack
 * set (shared/infra), and endpoints nobody answers. Secrets come from variables, as on the local stack (on
 * AWS, APP_SECRETS_ARN makes a cold start read Secrets Manager).
 */
export function dummyFunctionEnv(): Record<string, string> {
  const settings = Object.fromEntries(
    Object.entries(readLocalEnv({})).map(([name, value]) => [name, String(value)]),
  );
  return {
    ...settings,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL: NOWHERE,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [TABLE_ENV]: tableDefinition.localName,
    [EVENT_BUS_ENV]: eventBusDefinition.localName,
    [KEY_ENV]: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
    [MFA_KEY_ENV]: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000001',
    [KYC_BUCKET_ENV]: kycBucketDefinition.localName,
    ...Object.fromEntries(
      queueKeys.map((key) => [queues[key].urlEnv, `${NOWHERE}/000000000000/${queues[key].name}`]),
    ),
    ...Object.fromEntries(
      Object.entries(stateMachines).map(([name, machine]) => [
        machine.arnEnv,
        `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`,
      ]),
    ),
    STRIPE_API_BASE: NOWHERE,
    PAYPAL_API_BASE: NOWHERE,
    MATRIX_HOMESERVER_URL: NOWHERE,
    POWERTOOLS_SERVICE_NAME: 'tween-payments',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/**
 * The script each child runs: import the bundle (argv[1]), check it exports the handler (argv[2]), and
 * write the time or the error after ANSWER_MARK.
 */
export const IMPORT_SCRIPT = `
const { pathToFileURL } = await import('node:url');
const [file, handler] = process.argv.slice(1);
const answer = (value) => process.stdout.write('\\n${ANSWER_MARK}' + JSON.stringify(value) + '\\n');
const started = performance.now();
try {
  const module = await import(pathToFileURL(file).href);
  const ms = performance.now() - started;
  answer(typeof module[handler] === 'function' ? { ms } : { error: 'the bundle exports no function ' + handler });
} catch (error) {
  answer({ error: error instanceof Error ? error.name + ': ' + error.message : String(error) });
}
process.exit(0);
`;

/** The child's answer: the last ANSWER_MARK line of its stdout. */
export function parseImportAnswer(stdout: string): { ms: number } | { error: string } {
  const line = stdout
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith(ANSWER_MARK));
  if (line === undefined)
    return { error: `no answer from the import (stdout: ${stdout.slice(-200).trim()})` };
  const answer = parseJsonRecord(line.slice(ANSWER_MARK.length));
  if (typeof answer?.ms === 'number' && Number.isFinite(answer.ms)) return { ms: answer.ms };
  if (typeof answer?.error === 'string') return { error: answer.error };
  return { error: `unreadable answer from the import: ${line.slice(0, 200)}` };
}

/** Bundles every function, then times `runs` imports of each; `runs` 0 reports sizes only. */
export async function measureBundles(options: {
  rootDir: string;
  runs: number;
  progress(line: string): void;
}): Promise<BundleReport> {
  const started = performance.now();
  const outDir = await mkdtemp(join(tmpdir(), 'tween-bench-bundles-'));
  try {
    options.progress(`bundling ${functionNames.length} functions with esbuild (the CDK settings)…`);
    const bundles = await bundleAll(options.rootDir, outDir);
    await copyAssets(options.rootDir, outDir);
    const env = dummyFunctionEnv();
    if (options.runs > 0) {
      options.progress(`importing each bundle ${options.runs} times in a fresh node…`);
      for (const bundle of bundles) {
        if (bundle.error !== undefined) continue;
        for (let run = 0; run < options.runs; run += 1) {
          const answer = await importOnce(
            join(outDir, `${bundle.name}.mjs`),
            functions[bundle.name].handler,
            env,
          );
          if ('ms' in answer) bundle.importMs.push(answer.ms);
          else {
            bundle.error ??= answer.error;
            break;
          }
        }
      }
    }
    return {
      functions: bundles,
      importRuns: options.runs,
      nodeVersion: process.version,
      elapsedMs: performance.now() - started,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The package files functions read at run time, beside the bundles as PaymentsFunction puts them. */
async function copyAssets(rootDir: string, outDir: string): Promise<void> {
  for (const name of functionNames) {
    const definition = functionDefinition(name);
    for (const asset of definition.assets ?? []) {
      const target = join(outDir, 'node_modules', asset);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(rootDir, 'node_modules', asset), target);
    }
  }
}

/** One build of every entry; if it fails, one build per entry, so each failure is named. */
async function bundleAll(rootDir: string, outDir: string): Promise<FunctionBundle[]> {
  const entries = functionNames.map((name) => ({ name, entry: functions[name].entry }));
  const buildSome = (some: typeof entries) =>
    build({
      ...LAMBDA_BUNDLING,
      mainFields: [...LAMBDA_BUNDLING.mainFields],
      external: [...LAMBDA_BUNDLING.external],
      alias: { ...LAMBDA_BUNDLING.alias },
      entryPoints: Object.fromEntries(some.map(({ name, entry }) => [name, resolve(rootDir, entry)])),
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      absWorkingDir: rootDir,
      logLevel: 'silent',
      metafile: true,
    });
  const outputs = new Map<string, MetafileOutput>();
  const keep = (metafile: { outputs: Record<string, MetafileOutput & { entryPoint?: string }> }) => {
    for (const output of Object.values(metafile.outputs))
      if (output.entryPoint !== undefined) outputs.set(resolve(rootDir, output.entryPoint), output);
  };
  let built = true;
  try {
    keep((await buildSome(entries)).metafile);
  } catch {
    built = false;
  }
  const results: FunctionBundle[] = [];
  for (const { name, entry } of entries) {
    if (!built) {
      try {
        keep((await buildSome([{ name, entry }])).metafile);
      } catch (error) {
        results.push({ name, entry, importMs: [], error: `bundling failed: ${firstLine(error)}` });
        continue;
      }
    }
    const code = await readFile(join(outDir, `${name}.mjs`));
    const output = outputs.get(resolve(rootDir, entry));
    results.push({
      name,
      entry,
      bytes: code.byteLength,
      gzipBytes: gzipSync(code).byteLength,
      ...(output === undefined ? {} : { contributors: contributors(output) }),
      importMs: [],
    });
  }
  return results;
}

function importOnce(
  file: string,
  handler: string,
  env: Record<string, string>,
): Promise<{ ms: number } | { error: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', IMPORT_SCRIPT, '--', file, handler],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
        timeout: IMPORT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const answer = parseImportAnswer(String(stdout));
        if ('ms' in answer || error === null) done(answer);
        else
          done({ error: `${answer.error}; node: ${firstLine(error)} ${String(stderr).slice(-300).trim()}` });
      },
    );
  });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 300) ?? '';
}

/** The median of a non-empty list (the nearest-rank 50th percentile), or undefined for an empty one. */
export function median(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : percentile(values, 50);
}

const kb = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / 1024).toFixed(0));

/** One row per function: sizes, the median import and its range, or the error; largest bundle first. */
export function bundleTable(report: BundleReport): Table {
  const rows = [...report.functions]
    .sort((a, b) => (b.bytes ?? -1) - (a.bytes ?? -1) || a.name.localeCompare(b.name))
    .map((bundle) => {
      const middle = median(bundle.importMs);
      const range =
        bundle.importMs.length === 0
          ? '–'
          : `${Math.min(...bundle.importMs).toFixed(0)}–${Math.max(...bundle.importMs).toFixed(0)}`;
      return [
        bundle.name,
        bundle.entry,
        kb(bundle.bytes),
        kb(bundle.gzipBytes),
        middle === undefined ? '–' : middle.toFixed(0),
        range,
        describeContributors(bundle.contributors ?? []),
        bundle.error === undefined ? '' : bundle.error.slice(0, 240),
      ];
    });
  return {
    header: [
      'function',
      'entry',
      'minified KiB',
      'gzip KiB',
      'import p50 (ms)',
      'import min–max (ms)',
      'top contributors (KiB)',
      'error',
    ],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'left', 'left'],
    rows,
  };
}

/** Totals for the summary: how many bundled and imported, the largest bundle, the slowest median import. */
export function bundleHighlights(report: BundleReport): string[] {
  const built = report.functions.filter((bundle) => bundle.bytes !== undefined);
  const imported = report.functions.filter(
    (bundle) => bundle.error === undefined && bundle.importMs.length > 0,
  );
  const failed = report.functions.filter((bundle) => bundle.error !== undefined);
  const largest = [...built].sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0))[0];
  const medians = imported.map((bundle) => ({ bundle, ms: median(bundle.importMs) ?? 0 }));
  const slowest = [...medians].sort((a, b) => b.ms - a.ms)[0];
  const fastest = [...medians].sort((a, b) => a.ms - b.ms)[0];
  const lines = [
    `${built.length} of ${report.functions.length} functions bundled${
      largest === undefined
        ? ''
        : `; largest ${largest.name} ${kb(largest.bytes)} KiB minified (${kb(largest.gzipBytes)} KiB gzip)`
    }.`,
  ];
  if (report.importRuns > 0) {
    lines.push(
      `${imported.length} imported (median of ${report.importRuns})${
        slowest === undefined || fastest === undefined
          ? ''
          : `: ${formatNumber(fastest.ms)} ms (${fastest.bundle.name}) to ${formatNumber(slowest.ms)} ms (${slowest.bundle.name})`
      }${failed.length > 0 ? `; ${failed.length} failed: ${failed.map((bundle) => bundle.name).join(', ')}` : ''}.`,
    );
  }
  return lines;
}

/** One line per function for the printed summary: size, median import, top contributors; largest first. */
export function bundleLines(report: BundleReport): string[] {
  return [...report.functions]
    .sort((a, b) => (b.bytes ?? -1) - (a.bytes ?? -1) || a.name.localeCompare(b.name))
    .map((bundle) => {
      if (bundle.bytes === undefined) return `${bundle.name}: ${bundle.error ?? 'not bundled'}`;
      const middle = median(bundle.importMs);
      const top = describeContributors(bundle.contributors ?? []);
      return `${bundle.name} ${kb(bundle.bytes)} KiB${middle === undefined ? '' : `, import ${middle.toFixed(0)} ms`}${
        top === '' ? '' : `: ${top}`
      }${bundle.error === undefined ? '' : ` (error: ${bundle.error.slice(0, 120)})`}`;
    });
}
