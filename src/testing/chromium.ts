/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core (no
 * browser download). Each launch gets a fresh profile that is removed on close. When the binary
 * is missing the tests skip and say how to get it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { PROJECT_ROOT } from './cli.js';

export const CHROMIUM_PATH = process.env.AISCTL_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM_PATH);
export const CHROMIUM_MISSING = `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set AISCTL_CHROMIUM to its path)`;

/** Flags that keep Chromium from reaching any network of its own, so recorded requests are the page's. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'aisctl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where browser tests keep their screenshots (git-ignored). */
export function artifactDir(): string {
  return join(PROJECT_ROOT, 'reports', 'browser');
}
