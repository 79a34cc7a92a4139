import type { ChildProcess } from 'node:child_process';

/** Stops the stack global setup started; Ctrl-C semantics (SIGTERM), SIGKILL only if it hangs. */
export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { __tweenStack?: ChildProcess }).__tweenStack;
  if (child === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
