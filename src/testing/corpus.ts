import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** `../shared/corpus` relative to the project root; override with AISCTL_CORPUS_DIR. */
export const CORPUS_DIR = process.env.AISCTL_CORPUS_DIR ?? resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/corpus');

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, 'README.md'));
}

export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}

/** Message for `describe.skipIf(!corpusAvailable())`. */
export const CORPUS_MISSING = `reference corpus not found at ${CORPUS_DIR} (set AISCTL_CORPUS_DIR); corpus tests skipped`;
