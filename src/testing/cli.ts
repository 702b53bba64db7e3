/**
 * Spawning the built CLI (`node bin/aisctl ...`) from tests: the same binary a user or a CI job
 * runs, so end-to-end tests cover argument parsing, exit codes and the process lifecycle (signals,
 * `kill -9`) that an in-process call cannot.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const CLI_BIN = join(PROJECT_ROOT, 'bin', 'aisctl');
const DIST_MAIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
// Outside the checkout so an interrupted build leaves nothing behind in the project.
const BUILD_LOCK = join(tmpdir(), `aisctl-build-${createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 12)}.lock`);

export interface CliOptions {
  /** Extra environment; merged over the test process's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the process (SIGKILL) after this long; the result then has `timedOut: true`. Default 120 000. */
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** Written to stdin, which is then closed (unless `stdin` is 'keep-open'). */
  readonly input?: string;
  /**
   * 'keep-open': stdin is left open for the test to write to (`child.stdin`), so a test can feed
   * a process the way a live producer would and see whether it stops reading by itself.
   */
  readonly stdin?: 'keep-open';
}

export interface CliResult {
  /** Exit code, null when the process died of a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Settles when the process has exited and its output is collected; never rejects. */
  readonly result: Promise<CliResult>;
  /** True once the process has exited. */
  exited(): boolean;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (/\.(ts|tsx|sql|lua|html|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/ when it is missing or older than the CLI sources, so a spawned CLI runs the code
 * under test. Test files run in parallel workers: a lock file makes one of them build while the
 * others wait. Type errors in files being edited elsewhere do not stop tsc from emitting, so a
 * failed `npm run build` that still produced dist/cli/main.js is tolerated (assets are copied).
 */
export function ensureBuilt(): void {
  const staleBefore = (): boolean => !existsSync(DIST_MAIN) || statSync(DIST_MAIN).mtimeMs < newestMtime(join(PROJECT_ROOT, 'src'));
  if (!staleBefore()) return;
  let fd: number | null = null;
  const deadline = Date.now() + 300_000;
  while (fd === null) {
    try {
      fd = openSync(BUILD_LOCK, 'wx');
    } catch {
      // Someone else is building; a lock older than the deadline is from a dead build.
      if (Date.now() > deadline) {
        try {
          unlinkSync(BUILD_LOCK);
        } catch {
          // already gone
        }
      }
      sleepSync(500);
      if (existsSync(DIST_MAIN) && !existsSync(BUILD_LOCK) && !staleBefore()) return;
    }
  }
  try {
    if (!staleBefore()) return;
    try {
      execFileSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'pipe', timeout: 300_000 });
    } catch (err) {
      if (!existsSync(DIST_MAIN)) throw new Error(`npm run build failed and produced no ${DIST_MAIN}: ${(err as Error).message}`);
      execFileSync('node', ['scripts/copy-assets.mjs'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    }
  } finally {
    closeSync(fd);
    try {
      unlinkSync(BUILD_LOCK);
    } catch {
      // already gone
    }
  }
}

/** Starts `node bin/aisctl ...args` and returns at once; `result` settles when it exits. */
export function startCli(args: readonly string[], opts: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: opts.cwd ?? PROJECT_ROOT,
    // No TTY and no colour: the CLI then prints plain output, as it does in CI.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${CLI_BIN}`);
  const pid = child.pid;
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let done = false;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin?.on('error', () => undefined);
  if (opts.stdin === 'keep-open') {
    if (opts.input !== undefined) child.stdin?.write(opts.input);
  } else if (opts.input !== undefined) child.stdin?.end(opts.input);
  else child.stdin?.end();
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 120_000);
  const result = new Promise<CliResult>((res) => {
    child.once('error', (err) => {
      stderr += `\n[spawn error] ${err.message}`;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      done = true;
      res({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, pid, result, exited: () => done };
}

/** Runs `node bin/aisctl ...args` to completion. */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).result;
}

/**
 * The JSON on stdout (commands with `--json` print one object, compact or pretty); throws with
 * the process's output when there is none, so a failing test shows why.
 */
export function jsonOutput<T>(r: CliResult): T {
  const text = r.stdout.trim();
  const lines = text.split('\n');
  try {
    // One compact object on the last line, or a whole pretty-printed document.
    return JSON.parse(lines[lines.length - 1] ?? '') as T;
  } catch {
    // fall through
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(
      `expected a JSON line on stdout (exit ${String(r.code)}, signal ${String(r.signal)}):\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-4000)}`,
    );
  }
}

/** A one-line description of a result for assertion messages. */
export function describeResult(r: CliResult): string {
  return `exit ${String(r.code)}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''}; stderr: ${r.stderr.trim().slice(-3000) || '(empty)'}`;
}
