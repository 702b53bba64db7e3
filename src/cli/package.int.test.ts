/**
 * What `npm pack` ships and how an install without dev dependencies behaves. The tarball is what
 * users install (`npm install -g --omit=dev aisctl-x.y.z.tgz`): it must hold the compiled CLI and
 * its assets, the monitoring files and the docs, and no test code; everything the compiled code
 * imports must be a runtime dependency, or the install works and the first command fails.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, ensureBuilt } from '../testing/cli.js';

const run = promisify(execFile);

interface PackEntry {
  readonly path: string;
}

interface PackResult {
  readonly files: readonly PackEntry[];
}

interface PackageJson {
  readonly dependencies?: Readonly<Record<string, string>>;
}

interface ProcessOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Paths under `dir` (relative to the project), recursively. */
function listFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

/** Runs node on a script, resolving with the exit code instead of rejecting on a non-zero one. */
async function runNode(args: readonly string[], cwd: string): Promise<ProcessOutcome> {
  // NODE_PATH would let `typescript` resolve from outside the folder under test.
  const env = { ...process.env, NODE_PATH: '' };
  try {
    const r = await run(process.execPath, [...args], { cwd, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm pack', () => {
  let files: string[];

  beforeAll(async () => {
    ensureBuilt();
    // --ignore-scripts: prepare would rebuild dist/ under the other test files' running CLIs;
    // ensureBuilt has already brought it up to date, under its lock.
    const r = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
    const packed = JSON.parse(r.stdout) as readonly PackResult[];
    files = (packed[0]?.files ?? []).map((f) => f.path);
  });

  it('ships no test code, sources, benchmarks or build scripts', () => {
    const testCode = files.filter(
      (f) =>
        /\.test\.[jt]sx?(\.map)?$/.test(f) ||
        /(^|\/)testing\//.test(f) ||
        /\.bench\./.test(f) ||
        /^(src|bench|scripts)\//.test(f) ||
        /^(tsconfig.*|vitest\.config\.ts)$/.test(f),
    );
    expect(testCode).toEqual([]);
  });

  it('ships no compiled file whose source is gone or excluded from the build', () => {
    const orphans = files
      .filter((f) => f.startsWith('dist/') && /\.js(\.map)?$/.test(f))
      .filter((f) => {
        const base = f.replace(/^dist\//, 'src/').replace(/\.js(\.map)?$/, '');
        return !existsSync(join(PROJECT_ROOT, `${base}.ts`)) && !existsSync(join(PROJECT_ROOT, `${base}.tsx`));
      });
    expect(orphans, 'stale outputs: `npm run build` prunes them').toEqual([]);
  });

  it('ships the CLI with its SQL and Lua assets, the licence, the docs and the monitoring files', () => {
    const assets = listFiles('src')
      .filter((f) => /\.(sql|lua)$/.test(f) && !f.startsWith('src/testing/'))
      .map((f) => f.replace(/^src\//, 'dist/'));
    const expected = [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/aisctl',
      'dist/cli/main.js',
      ...assets,
      ...listFiles('docs').filter((f) => f.endsWith('.md')),
      ...listFiles('monitoring'),
    ];
    expect(expected).toContain('monitoring/prometheus.yml');
    expect(expected).toContain('monitoring/grafana/provisioning/datasources/aisctl.yaml');
    expect(expected.filter((f) => !files.includes(f))).toEqual([]);
  });

  it('imports, from the compiled code, only packages listed in dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson;
    const deps = new Set(Object.keys(pkg.dependencies ?? {}));
    const builtins = new Set(builtinModules);
    const missing = new Set<string>();
    for (const f of files.filter((p) => p.startsWith('dist/') && p.endsWith('.js'))) {
      const text = readFileSync(join(PROJECT_ROOT, f), 'utf8');
      for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] as string;
        // Only bare package specifiers; the pattern also catches words in strings ("from ', '").
        const name = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/.*)?$/i.exec(spec)?.[1];
        if (name === undefined || spec.startsWith('node:') || builtins.has(name)) continue;
        if (!deps.has(name)) missing.add(`${name} (${f})`);
      }
    }
    expect([...missing]).toEqual([]);
  });
});

describe('an install without dev dependencies', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aisctl-omit-dev-'));
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(PROJECT_ROOT, 'scripts', 'prepare.mjs'), join(dir, 'scripts', 'prepare.mjs'));
    copyFileSync(join(PROJECT_ROOT, 'bin', 'aisctl'), join(dir, 'bin', 'aisctl'));
    // No node_modules: TypeScript cannot be found, as after `npm ci --omit=dev` in a clone.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'aisctl', type: 'module' }));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prepare fails with how to build when there is no dist/, instead of `tsc: not found`', async () => {
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const r = await runNode(['scripts/prepare.mjs'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dist/ is missing and TypeScript is not installed');
    expect(r.stderr).toContain('npm run build');
    expect(r.stderr).toContain('npm pack');
  });

  it('prepare keeps a dist/ that is already there', async () => {
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'cli', 'main.js'), "console.log('built');\n");
    const r = await runNode(['scripts/prepare.mjs'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('using the existing dist/');
    expect(await runNode(['bin/aisctl'], dir)).toMatchObject({ code: 0, stdout: 'built\n' });
  });

  it('bin/aisctl says how to build when dist/ is missing', async () => {
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const r = await runNode(['bin/aisctl', '--version'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dist[\\/]cli[\\/]main\.js is missing/);
    expect(r.stderr).toContain('npm run build');
  });

  it('bin/aisctl names the missing package when a dependency is not installed', async () => {
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'cli', 'main.js'), "import 'commander';\n");
    const r = await runNode(['bin/aisctl', '--version'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot find package 'commander'");
    expect(r.stderr).toContain('npm ci');
  });
});
