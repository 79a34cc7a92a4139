/**
 * Text read back from a screenshot by Debian's `tesseract-ocr` (the CLI), for the browser tests that check
 * what a page shows as pixels. Global setup installs it where it is missing.
 */
import { spawnSync } from 'node:child_process';
import { TESSERACT } from './global-setup.js';

export function ocr(pngPath: string): string {
  const run = spawnSync(TESSERACT, [pngPath, 'stdout'], { encoding: 'utf8' });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) throw new Error(`tesseract exited with ${run.status}: ${run.stderr}`);
  return run.stdout;
}
