/**
 * Debian's Chromium for the browser tests, driven by puppeteer-core: headless, a fresh profile of its own,
 * and no background traffic (this machine's network refuses Chromium's own connections). Global setup
 * installs Chromium where it is missing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM } from './global-setup.js';

export interface Chromium {
  browser: Browser;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A headless Chromium; `name` names its profile directory, `args` are added to the defaults. */
export async function launchChromium(name: string, args: readonly string[] = []): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), `tween-${name}-chromium-`));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
