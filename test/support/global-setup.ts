/**
 * Makes sure Debian's Chromium is there for the browser test, then starts the local stack once per run,
 * exactly as `npm start` does (in memory, on free ports), as a child process, and reads the JSON line it
 * prints when ready. Test files reach it through TWEEN_API_URL and TWEEN_ENDPOINTS. (Self-contained: Jest
 * loads global setup outside the module mapper.)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's Chromium, which test/integration/docs-browser.test.ts drives with puppeteer-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Debian's tesseract-ocr, which test/integration/checkout-browser.test.ts reads its screenshot with. */
export const TESSERACT = '/usr/bin/tesseract';

/**
 * A fresh CI machine (Debian, root, apt) has no Chromium: install Debian's package. When that fails the run
 * fails, saying why: the browser test is never skipped.
 */
export function ensureChromium(): void {
  ensureDebianPackage(CHROMIUM, 'chromium', 'the /docs and checkout browser tests');
}

/** The same for tesseract-ocr, which reads the checkout page's screenshot back. */
export function ensureTesseract(): void {
  ensureDebianPackage(TESSERACT, 'tesseract-ocr', "the checkout browser test's screenshot check");
}

function ensureDebianPackage(file: string, pkg: string, user: string): void {
  if (existsSync(file)) return;
  process.stderr.write(`${file} is missing: installing Debian's ${pkg} for ${user}\n`);
  const installed = spawnSync(
    'sh',
    ['-c', `apt-get update && apt-get install -y --no-install-recommends ${pkg}`],
    { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
  if (installed.status !== 0 || !existsSync(file)) {
    const why =
      installed.error?.message ??
      (installed.status === 0
        ? `apt-get succeeded, ${file} is still missing`
        : `exit status ${installed.status}`);
    throw new Error(
      `Installing ${pkg} failed (${why}): ${user} need ${file}. ` +
        `Install it (as root: apt-get install ${pkg}) and run the tests again.`,
    );
  }
}

/** Mini-app payments take only live apps of active merchants: these are the ones the suites name. */
export const FIXTURE_APPS = [
  'app_shop',
  'app_webhooks',
  'app_paypal',
  'app_idempotency',
  'app_fixture',
  'app_hostile',
  'app_mallory',
  'app_log_hygiene',
  'app_soak',
  'app_faults',
] as const;

export interface StackInfo {
  apiUrl: string;
  endpoints: Record<string, string>;
}

/**
 * Also used by test files that need a stack of their own (one whose Stripe they may take down). `onOutput`
 * receives everything the stack writes, on either stream, from its first byte (log hygiene reads it).
 */
export async function spawnStack(
  rootDir: string,
  env: Record<string, string> = {},
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void,
): Promise<{ child: ChildProcess; info: StackInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', '--in-memory', '--json'], {
    cwd: rootDir,
    env: {
      ...process.env,
      PORT: '0',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      NODE_OPTIONS: '',
      // Short enough to see P2P transfers expire within a test, long enough to decide in time under load.
      P2P_ACCEPTANCE_WINDOW_SECONDS: '8',
      // Lets a test create a gift that expires within seconds (60 is the floor on AWS).
      GIFT_MIN_LIFETIME_SECONDS: '2',
      // The suites (soak and faults above all) make far more payments per user and minute than a person
      // would; the limit itself is tested on a stack of its own (test/integration/rate-limit.test.ts).
      USER_RATE_LIMIT_PER_MINUTE: '1000000',
      // The app ids the suites' mini-app payments name: live apps of the demo merchant (local/seed.ts).
      LOCAL_SEED_APPS: FIXTURE_APPS.join(','),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (onOutput !== undefined) {
    child.stdout?.on('data', (chunk: Buffer) => onOutput(chunk, 'stdout'));
    child.stderr?.on('data', (chunk: Buffer) => onOutput(chunk, 'stderr'));
  }
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const info = await new Promise<StackInfo>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`local stack not ready after 90 s\n${stderr.join('')}`)),
      90_000,
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (!line.startsWith('{"ready"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { ready: StackInfo }).ready);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}\n${stderr.join('')}`));
    });
  });
  child.stdout?.resume();
  return { child, info };
}

export default async function globalSetup(): Promise<void> {
  ensureChromium();
  ensureTesseract();
  const rootDir = fileURLToPath(new URL('../..', import.meta.url));
  const { child, info } = await spawnStack(rootDir);
  process.env.TWEEN_API_URL = info.apiUrl;
  process.env.TWEEN_ENDPOINTS = JSON.stringify(info.endpoints);
  (globalThis as { __tweenStack?: ChildProcess }).__tweenStack = child;
}
