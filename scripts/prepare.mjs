// npm runs `prepare` after `npm install` / `npm ci` in a clone and before `npm pack`, but not
// when installing a tarball (which already holds dist/). With --omit=dev there is no TypeScript,
// so a plain `npm run build` would stop with `tsc: not found` and no hint of what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
const builtEntry = new URL('dist/cli/main.js', root);

function typescriptInstalled() {
  try {
    createRequire(new URL('package.json', root)).resolve('typescript/package.json');
    return true;
  } catch {
    return false;
  }
}

if (typescriptInstalled()) {
  // npm_execpath is the npm that is running this script; a bare `npm` on PATH may be another one.
  const npmCli = process.env.npm_execpath;
  const r = npmCli
    ? spawnSync(process.execPath, [npmCli, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
}

if (existsSync(builtEntry)) {
  // A dist/ copied in (e.g. by a container build) is used as it is.
  console.error('aisctl: TypeScript is not installed; using the existing dist/ without rebuilding it.');
  process.exit(0);
}

// Failing here beats an install that succeeds and leaves a command that cannot start.
console.error(
  'aisctl: dist/ is missing and TypeScript is not installed; run `npm ci` (with dev dependencies) ' +
    'then `npm run build`, or install from a tarball made by `npm pack`.',
);
process.exit(1);
