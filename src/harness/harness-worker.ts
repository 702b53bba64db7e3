/**
 * Starts one of the harness' worker threads from the module beside this one: the compiled `.js`
 * in a build. Run from the sources (tests, `tsx`), the thread gets no loader from its parent
 * (`--import tsx` is not honoured in worker threads), so it registers tsx, a development
 * dependency, itself before importing the TypeScript.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `name`: the module's file name without extension, e.g. 'feed-load-sender'. */
export function startHarnessWorker(name: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  // require.resolve would pick the CommonJS build; the ES module one is what registers ESM hooks.
  const pkgFile = createRequire(here).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const api = pathToFileURL(join(dirname(pkgFile), pkg.exports?.['./esm/api']?.import?.default ?? 'dist/esm/api/index.mjs')).href;
  const entry = new URL(`./${name}.ts`, here).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}
