/**
 * Throwaway Redis and PostgreSQL servers in a data folder, on free ports, for tests, the
 * fault-injection scenarios and `aisctl up` / `aisctl down`. Each server can be stopped and
 * started again on the same port with the same data (fault injection). A state file in the
 * data folder lets a later process find and stop them.
 *
 * Never touches the machine's shared servers: ports come from the kernel's ephemeral range
 * (never 6379 or 5432), sockets and data live in the data folder.
 *
 * PostgreSQL refuses to run as root; when this process is root, initdb/pg_ctl run as the
 * `postgres` OS user (runuser) and the cluster folder is owned by that user.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AisctlError } from '../errors/aisctl-error.js';
import { readProcStat } from './proc-stat.js';

const execFileAsync = promisify(execFile);

export const STATE_FILE = 'aisctl-servers.json';

export interface LocalServersOptions {
  readonly dataDir: string;
  /** Start Redis. Default true. */
  readonly redis?: boolean;
  /** Start PostgreSQL. Default true. */
  readonly postgres?: boolean;
  /**
   * false trades machine-crash durability for speed (initdb --no-sync, fsync=off, no AOF
   * fsync): acknowledged writes still survive a kill of the server process, which is all tests
   * and fault injection need.
   * Default true.
   */
  readonly durable?: boolean;
  /** Wait this long for a server to answer, ms. Default 60 000. */
  readonly startTimeoutMs?: number;
}

export interface StopOptions {
  /** SIGKILL (Redis) / `pg_ctl -m immediate` (PostgreSQL): a crash rather than a clean shutdown. */
  readonly kill?: boolean;
}

/**
 * What starting did to a server: `started` the first time in this folder, `restarted` when the
 * state file recorded it but it was not running (killed, crashed, machine rebooted), `running`
 * when it was already up and was left alone.
 */
export type ServerStart = 'started' | 'restarted' | 'running';

export interface LocalServers {
  readonly dataDir: string;
  /** Per server, what this start did; null for a server that was not requested. */
  readonly start: { readonly redis: ServerStart | null; readonly postgres: ServerStart | null };
  /** Throws if Redis was not requested. */
  readonly redisUrl: string;
  /** Throws if PostgreSQL was not requested. `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly databaseUrl: string;
  readonly redisPort: number | null;
  readonly postgresPort: number | null;
  stopRedis(opts?: StopOptions): Promise<void>;
  startRedis(): Promise<void>;
  stopPostgres(opts?: StopOptions): Promise<void>;
  startPostgres(): Promise<void>;
  /** Stops both; `removeData` also deletes the data folder. */
  stop(opts?: StopOptions & { readonly removeData?: boolean }): Promise<void>;
}

interface RedisState {
  port: number;
  pid: number | null;
}
interface PostgresState {
  port: number;
  bindir: string;
  runAs: string | null;
}
interface ServersState {
  version: 1;
  /** Chosen at first start; restarts keep it. */
  durable?: boolean;
  redis?: RedisState;
  postgres?: PostgresState;
}

export class LocalServerError extends AisctlError {
  override readonly name = 'LocalServerError';
}

// ---------- binaries ----------

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

export function findRedisServer(): string {
  const p = onPath('redis-server');
  if (!p) {
    throw new LocalServerError('redis-server not found on PATH. Install it: `apt-get install redis-server` (Debian/Ubuntu), then retry.');
  }
  return p;
}

export async function findPostgresBindir(): Promise<string> {
  const candidates: string[] = [];
  try {
    const { stdout } = await execFileAsync('pg_config', ['--bindir']);
    candidates.push(stdout.trim());
  } catch {
    // pg_config is in libpq-dev / postgresql-common; its absence is not an error by itself
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  const initdb = onPath('initdb');
  if (initdb) candidates.push(resolve(initdb, '..'));
  for (const dir of candidates) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new LocalServerError(
    'PostgreSQL server binaries (initdb, pg_ctl) not found: looked in `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH. ' +
      'Install them: `apt-get install postgresql` (Debian/Ubuntu), then retry.',
  );
}

// ---------- process helpers ----------

/** Alive and not a zombie (a daemon's parent may be gone and nobody reaps it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Where /proc cannot tell (not Linux, or gone since the signal), the signal's answer stands.
  const state = readProcStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new LocalServerError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? res(port) : rej(new LocalServerError('could not obtain a free port'))));
    });
  });
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((res) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      res(true);
    });
    sock.once('error', () => res(false));
  });
}

/** One raw PING; true on +PONG (a server still loading its AOF answers -LOADING). */
function redisPing(port: number): Promise<boolean> {
  return new Promise((res) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      res(ok);
    };
    sock.setTimeout(1_000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function osUser(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const { stdout: u } = await execFileAsync('id', ['-u', name]);
    const { stdout: g } = await execFileAsync('id', ['-g', name]);
    return { uid: Number(u.trim()), gid: Number(g.trim()) };
  } catch {
    return null;
  }
}

async function run(runAs: string | null, file: string, args: string[], what: string): Promise<string> {
  const [cmd, argv] = runAs ? ['runuser', ['-u', runAs, '--', file, ...args]] : [file, args];
  try {
    const { stdout } = await execFileAsync(cmd, argv, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new LocalServerError(`${what} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

// ---------- state file ----------

async function readState(dataDir: string): Promise<ServersState | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && (parsed as { version?: unknown }).version === 1) {
      return parsed as ServersState;
    }
    return null;
  } catch {
    return null;
  }
}

async function writeState(dataDir: string, state: ServersState): Promise<void> {
  const tmp = join(dataDir, `${STATE_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, join(dataDir, STATE_FILE));
}

// ---------- the servers ----------

/** The operations on the servers recorded in `state`; mutates and persists `state`. */
function manage(dataDir: string, state: ServersState, durable: boolean, timeoutMs: number) {
  const redisDir = join(dataDir, 'redis');
  const pgRoot = join(dataDir, 'postgres');
  const pgData = join(pgRoot, 'data');
  const pgRun = join(pgRoot, 'run');

  /** Resolves true when it started a server, false when one was already answering. */
  async function startRedis(): Promise<boolean> {
    const s = state.redis;
    if (!s) throw new LocalServerError(`Redis is not managed in ${dataDir} (start with redis: true)`);
    if (s.pid !== null && processAlive(s.pid) && (await redisPing(s.port))) return false;
    const bin = findRedisServer();
    if (await portInUse(s.port)) throw new LocalServerError(`cannot start Redis: 127.0.0.1:${s.port} is taken by another process`);
    await mkdir(redisDir, { recursive: true });
    const log = openSync(join(redisDir, 'redis.log'), 'a');
    const args = [
      '--port',
      String(s.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      redisDir,
      '--daemonize',
      'no',
      '--protected-mode',
      'no',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      durable ? 'everysec' : 'no',
    ];
    try {
      const child = spawn(bin, args, { detached: true, stdio: ['ignore', log, log] });
      child.unref();
      if (child.pid === undefined) throw new LocalServerError(`could not spawn ${bin}`);
      s.pid = child.pid;
    } finally {
      closeSync(log);
    }
    await writeState(dataDir, state);
    const pid = s.pid;
    await waitFor(`Redis on 127.0.0.1:${s.port} (log: ${join(redisDir, 'redis.log')})`, timeoutMs, async () => {
      if (!processAlive(pid)) throw new LocalServerError(`redis-server exited at start; see ${join(redisDir, 'redis.log')}`);
      return redisPing(s.port);
    });
    return true;
  }

  async function stopRedis(o: StopOptions = {}): Promise<void> {
    const s = state.redis;
    if (!s || s.pid === null) return;
    const pid = s.pid;
    if (processAlive(pid)) {
      // SIGTERM makes Redis flush its AOF and exit; SIGKILL is the crash case.
      process.kill(pid, o.kill ? 'SIGKILL' : 'SIGTERM');
      await waitFor(`Redis pid ${pid} to exit`, timeoutMs, () => !processAlive(pid));
    }
    await waitFor(`port ${s.port} to be released`, timeoutMs, async () => !(await portInUse(s.port)));
    s.pid = null;
    await writeState(dataDir, state);
  }

  async function pgCtlArgs(s: PostgresState): Promise<string[]> {
    const settings = [
      `-p ${s.port}`,
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories='${pgRun}'`,
      `-c max_connections=100`,
      // Not synchronous_commit=off: that acknowledges commits still in shared memory, which a
      // crash of the server process (the fault-injection case) loses. fsync=off only risks data
      // on a crash of the machine.
      ...(durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
    ];
    return ['-D', pgData, '-l', join(pgRoot, 'postgres.log'), '-w', '-t', String(Math.ceil(timeoutMs / 1000)), '-o', settings.join(' ')];
  }

  async function postgresRunning(s: PostgresState): Promise<boolean> {
    const pidFile = join(pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return false;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) && (await portInUse(s.port));
  }

  /** Resolves true when it started a server, false when one was already running. */
  async function startPostgres(): Promise<boolean> {
    const s = state.postgres;
    if (!s) throw new LocalServerError(`PostgreSQL is not managed in ${dataDir} (start with postgres: true)`);
    if (await postgresRunning(s)) return false;
    if (await portInUse(s.port)) throw new LocalServerError(`cannot start PostgreSQL: 127.0.0.1:${s.port} is taken by another process`);
    await run(s.runAs, join(s.bindir, 'pg_ctl'), [...(await pgCtlArgs(s)), 'start'], `pg_ctl start (log: ${join(pgRoot, 'postgres.log')})`);
    return true;
  }

  async function stopPostgres(o: StopOptions = {}): Promise<void> {
    const s = state.postgres;
    if (!s || !existsSync(join(pgData, 'postmaster.pid'))) return;
    await run(s.runAs, join(s.bindir, 'pg_ctl'), ['-D', pgData, '-m', o.kill ? 'immediate' : 'fast', '-w', 'stop'], 'pg_ctl stop').catch(
      async (err: unknown) => {
        // "no server running" after a crash is what we wanted anyway.
        if (existsSync(join(pgData, 'postmaster.pid')) && (await postgresRunning(s))) throw err;
      },
    );
  }

  async function initPostgres(): Promise<void> {
    const bindir = await findPostgresBindir();
    let runAs: string | null = null;
    if (isRoot()) {
      const pgUser = await osUser('postgres');
      if (!pgUser) {
        throw new LocalServerError(
          "PostgreSQL refuses to run as root and there is no 'postgres' OS user: create one (`useradd -r -m postgres`) or run as an unprivileged user.",
        );
      }
      runAs = 'postgres';
      await mkdir(pgRun, { recursive: true });
      await mkdir(pgData, { recursive: true, mode: 0o700 });
      await chown(pgRoot, pgUser.uid, pgUser.gid);
      await chown(pgRun, pgUser.uid, pgUser.gid);
      await chown(pgData, pgUser.uid, pgUser.gid);
      // The postgres user must be able to traverse down to its cluster (mkdtemp makes 0700
      // folders). The data folder is ours to open up; its parents are not, so name the culprit.
      const mode = (await stat(dataDir)).mode & 0o777;
      if ((mode & 0o001) === 0) await chmod(dataDir, mode | 0o711);
      try {
        await execFileAsync('runuser', ['-u', 'postgres', '--', 'test', '-w', pgData]);
      } catch {
        let blocker = dataDir;
        for (let d = resolve(dataDir, '..'); ; d = resolve(d, '..')) {
          if (((await stat(d)).mode & 0o001) === 0) blocker = d;
          if (d === '/') break;
        }
        throw new LocalServerError(
          `the postgres OS user cannot reach ${pgData} (PostgreSQL cannot run as root, so it runs as 'postgres'): ` +
            `${blocker} is not searchable by others. Use a data folder under /tmp, or \`chmod o+x ${blocker}\`.`,
        );
      }
    } else {
      await mkdir(pgRun, { recursive: true });
      await mkdir(pgData, { recursive: true, mode: 0o700 });
    }
    const port = state.postgres?.port ?? (await freePort());
    state.postgres = { port, bindir, runAs };
    if (!existsSync(join(pgData, 'PG_VERSION'))) {
      await run(
        runAs,
        join(bindir, 'initdb'),
        ['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', ...(durable ? [] : ['--no-sync'])],
        'initdb',
      );
    }
    await writeState(dataDir, state);
  }

  return { startRedis, stopRedis, initPostgres, startPostgres, stopPostgres };
}

export async function startLocalServers(opts: LocalServersOptions): Promise<LocalServers> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const prior = await readState(dataDir);
  const state: ServersState = prior ?? { version: 1, durable: opts.durable ?? true };
  const { startRedis, stopRedis, initPostgres, startPostgres, stopPostgres } = manage(
    dataDir,
    state,
    state.durable ?? opts.durable ?? true,
    opts.startTimeoutMs ?? 60_000,
  );
  const startOf = (recorded: boolean, startedNow: boolean): ServerStart => (!startedNow ? 'running' : recorded ? 'restarted' : 'started');
  const start: { redis: ServerStart | null; postgres: ServerStart | null } = { redis: null, postgres: null };
  try {
    if (opts.redis ?? true) {
      const recorded = state.redis !== undefined;
      if (!state.redis) state.redis = { port: await freePort(), pid: null };
      await writeState(dataDir, state);
      start.redis = startOf(recorded, await startRedis());
    }
    if (opts.postgres ?? true) {
      const recorded = state.postgres !== undefined;
      await initPostgres();
      start.postgres = startOf(recorded, await startPostgres());
    }
  } catch (err) {
    await stopRedis().catch(() => undefined);
    await stopPostgres().catch(() => undefined);
    throw err;
  }

  return {
    dataDir,
    start,
    get redisUrl() {
      if (!state.redis) throw new LocalServerError('Redis was not started (pass redis: true)');
      return `redis://127.0.0.1:${state.redis.port}`;
    },
    get databaseUrl() {
      if (!state.postgres) throw new LocalServerError('PostgreSQL was not started (pass postgres: true)');
      return `postgres://postgres@127.0.0.1:${state.postgres.port}/postgres`;
    },
    redisPort: state.redis?.port ?? null,
    postgresPort: state.postgres?.port ?? null,
    async startRedis() {
      await startRedis();
    },
    stopRedis,
    async startPostgres() {
      await startPostgres();
    },
    stopPostgres,
    async stop(o = {}) {
      const errors: unknown[] = [];
      await stopRedis(o).catch((e: unknown) => errors.push(e));
      await stopPostgres(o).catch((e: unknown) => errors.push(e));
      if (errors.length > 0) throw errors[0];
      if (o.removeData) await rm(dataDir, { recursive: true, force: true });
      else await rm(join(dataDir, STATE_FILE), { force: true });
    },
  };
}

/**
 * For `aisctl down`: stops whatever a state file in `dataDir` records, from any process.
 * Returns false when there was nothing to stop.
 */
export async function stopLocalServers(dataDir: string, opts: StopOptions & { readonly removeData?: boolean } = {}): Promise<boolean> {
  const dir = resolve(dataDir);
  const state = await readState(dir);
  if (!state) return false;
  const m = manage(dir, state, state.durable ?? true, 60_000);
  await m.stopRedis(opts);
  await m.stopPostgres(opts);
  if (opts.removeData) await rm(dir, { recursive: true, force: true });
  else await rm(join(dir, STATE_FILE), { force: true });
  return true;
}

/** For `aisctl up` output and `aisctl status`: what the state file says, or null. */
export async function readLocalServersState(dataDir: string): Promise<{ readonly redisUrl: string | null; readonly databaseUrl: string | null } | null> {
  const state = await readState(resolve(dataDir));
  if (!state) return null;
  return {
    redisUrl: state.redis ? `redis://127.0.0.1:${state.redis.port}` : null,
    databaseUrl: state.postgres ? `postgres://postgres@127.0.0.1:${state.postgres.port}/postgres` : null,
  };
}
