/** Child processes and ports of the local stack. */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export class MissingJavaError extends Error {
  override readonly name = 'MissingJavaError';
}

/** DynamoDB Local is a Java program: say so in one sentence when Java 17+ is not there. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const advice =
    'DynamoDB Local needs Java 17 or newer: install a JDK or JRE (for example `sudo apt-get install openjdk-17-jre-headless` or `brew install openjdk@17`), make sure `java -version` works, and run npm start again.';
  if (result.error !== undefined || result.status !== 0) throw new MissingJavaError(advice);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = version?.[1] === '1' ? Number(version[2]) : Number(version?.[1] ?? '0');
  if (major < 17) throw new MissingJavaError(`Found Java ${major}. ${advice}`);
}

/** Stops a child process and waits for it; SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
}
