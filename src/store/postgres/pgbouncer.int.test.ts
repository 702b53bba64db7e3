/**
 * `aisctl ingest` and `aisctl doctor` through a real PgBouncer in transaction pooling, which this
 * test starts on a free port in front of a database of its own. The pool has ONE server
 * connection: every client's transactions share that backend, so a statement one client
 * prepared is in the way of every other client that prepares the same name (42P05). That makes
 * the failure without --pgbouncer certain, not a matter of which connection a batch happens to
 * get. With --pgbouncer every row is stored; without it the summary names the SQLSTATE and the
 * flag, the dead-letter entries keep the real cause, and the exit code is 1.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../cli/ingest-summary.js';
import { diagnose } from '../../cli/commands/doctor.js';
import { freePort } from '../../harness/local-servers.js';
import { decodeEntry } from '../../resilience/dead-letter/dead-letter-codec.js';
import { redisDeadLetterKeys } from '../../resilience/dead-letter/redis-dead-letter-queue.js';
import { describeResult, ensureBuilt, jsonOutput, PROJECT_ROOT, runCli, type CliResult } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';

const FIXTURE = join(PROJECT_ROOT, 'fixtures', 'harbour.nmea');
const COUNT_ROWS = 'SELECT count(*)::int AS n FROM vessel_positions';
/** The SQLSTATEs of named statements on a shared server connection. */
const SYMPTOM = /\b(42P05|26000)\b/;

/** /usr/sbin is not on every user's PATH, and that is where Debian puts pgbouncer. */
function findPgBouncer(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir !== '' && existsSync(join(dir, 'pgbouncer'))) return join(dir, 'pgbouncer');
  }
  return null;
}

const PGBOUNCER = findPgBouncer();
const PGBOUNCER_MISSING = 'pgbouncer not found: install the Debian package `pgbouncer` (.ci/run does); the PgBouncer tests are skipped';

/** `max_prepared_statements` exists from 1.21 on; older versions refuse to start on an unknown setting. */
function tracksPreparedStatements(bin: string): boolean {
  const m = /PgBouncer (\d+)\.(\d+)/.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' }));
  const [major, minor] = [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0)];
  return major > 1 || (major === 1 && minor >= 21);
}

let tmp: string;
let db: TestDatabase;
let redis: TestRedis;
let bouncer: ChildProcess | null = null;
let bouncerLog = '';
let bouncerUrl: string;

async function canQuery(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function startPgBouncer(bin: string, target: TestDatabase): Promise<string> {
  const port = await freePort();
  const upstream = new URL(target.url);
  const ini = join(tmp, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `${target.name} = host=${upstream.hostname} port=${upstream.port || '5432'} dbname=${target.name} user=${decodeURIComponent(upstream.username) || 'postgres'}`,
      '',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      // No unix socket: nothing to clean up, and no clash with a system PgBouncer.
      'unix_socket_dir =',
      // The database line logs in as its user; the client's name is not checked.
      'auth_type = any',
      'pool_mode = transaction',
      'default_pool_size = 1',
      'min_pool_size = 0',
      'max_client_conn = 100',
      // aisctl sends statement_timeout at connect time (docs/operations.md section 5).
      'ignore_startup_parameters = statement_timeout',
      ...(tracksPreparedStatements(bin) ? ['max_prepared_statements = 0'] : []),
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: it drops to the postgres user once it has read its config.
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const child = spawn(bin, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  bouncer = child;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (bouncerLog += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (bouncerLog += d));
  const url = `postgres://postgres@127.0.0.1:${port}/${target.name}`;
  const deadline = Date.now() + 20_000;
  while (!(await canQuery(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`pgbouncer did not come up on 127.0.0.1:${port} (exit ${String(child.exitCode)}):\n${bouncerLog}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return url;
}

async function stopPgBouncer(): Promise<void> {
  const child = bouncer;
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function ingestArgs(env: string, extra: readonly string[]): string[] {
  return [
    'ingest',
    FIXTURE,
    '--no-progress',
    '--database-url',
    bouncerUrl,
    '--redis-url',
    redis.url,
    '--env',
    env,
    '--spool-dir',
    join(tmp, `spool-${env}`),
    // Many small batches, written up to four at a time on different pool clients.
    '--batch-size',
    '20',
    '--dlq-wait',
    '1s',
    ...extra,
  ];
}

function ingest(env: string, extra: readonly string[]): Promise<CliResult> {
  // Set to something other than 1 so a developer's own AISCTL_PGBOUNCER=1 cannot turn the flag on.
  return runCli(ingestArgs(env, extra), { timeoutMs: 120_000, env: { AISCTL_PGBOUNCER: '0' } });
}

async function countRows(): Promise<number> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>(COUNT_ROWS)).rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

/** lastError of every dead-letter entry of env, pending and parked. */
async function deadLetterCauses(env: string): Promise<string[]> {
  const keys = redisDeadLetterKeys(env);
  const values = [...(await redis.client.hvals(keys.payloads)), ...(await redis.client.hvals(keys.parkedPayloads))];
  return values.map((v) => {
    const d = decodeEntry(v);
    if (!d.ok) throw new Error(`unreadable dead-letter entry: ${d.reason}`);
    return d.entry.lastError;
  });
}

describe.skipIf(PGBOUNCER === null)('through PgBouncer in transaction pooling', () => {
  beforeAll(async () => {
    ensureBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'aisctl-pgbouncer-'));
    db = await createTestDatabase('pgbouncer');
    redis = await createTestRedis('pgbouncer');
    bouncerUrl = await startPgBouncer(PGBOUNCER as string, db);
  }, 360_000);

  afterAll(async () => {
    await stopPgBouncer();
    await db?.drop().catch(() => undefined);
    await redis?.cleanup().catch(() => undefined);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ingest with --pgbouncer stores every row and dead-letters nothing', async () => {
    const r = await ingest(`${redis.prefix}_with`, ['--json', '--pgbouncer']);
    expect(r.code, describeResult(r)).toBe(0);
    const s = jsonOutput<IngestSummary>(r);
    expect(s.diagnosis).toBeNull();
    expect(s.notStored).toBeNull();
    expect(s.stored.deadLetteredBatches).toEqual({ postgres: 0, redis: 0 });
    expect(s.stored.dlqRemaining).toBe(0);
    expect(s.reconciled, s.reconciliation).toBe(true);
    const rows = s.fusion.live + s.fusion.history + s.fusion.upgrades;
    expect(rows).toBeGreaterThan(0);
    expect(s.stored.positionsInserted).toBe(rows);
    expect(await countRows()).toBe(rows);
  });

  it('ingest without --pgbouncer names 42P05/26000 and the flag, keeps the cause in the dead-letter entries, exits 1', async () => {
    // The first run on this pool may or may not find a statement name taken (which pool client
    // writes first decides); either way it must not claim success while rows wait in the queue.
    const first = await ingest(`${redis.prefix}_first`, []);
    if (first.code === 0) {
      expect(first.stdout).toMatch(/^ingest complete/);
      expect(first.stdout).not.toContain('DIAGNOSIS');
    } else {
      expect(first.code, describeResult(first)).toBe(1);
      expect(first.stdout).toMatch(/^ingest FAILED/);
      expect(first.stdout).toContain('DIAGNOSIS   PostgreSQL looks like PgBouncer in transaction mode: pass --pgbouncer (or AISCTL_PGBOUNCER=1)');
      expect(first.stdout).toMatch(SYMPTOM);
    }

    // The one server connection now holds the writer's named statements: a new process that
    // prepares them again is refused at its first batch, whatever the timing.
    const env = `${redis.prefix}_without`;
    const r = await ingest(env, ['--json']);
    expect(r.code, describeResult(r)).toBe(1);
    const s = jsonOutput<IngestSummary>(r);
    expect(s.notStored).toBeNull();
    expect(s.diagnosis).not.toBeNull();
    expect(s.diagnosis?.problem).toBe('pgbouncer_transaction_pooling');
    expect(['42P05', '26000']).toContain(s.diagnosis?.sqlState);
    expect(s.diagnosis?.firstError).toMatch(/^(42P05|26000) prepared statement "/);
    expect(s.diagnosis?.hint).toBe('PostgreSQL looks like PgBouncer in transaction mode: pass --pgbouncer (or AISCTL_PGBOUNCER=1)');
    expect(s.stored.deadLetteredBatches.postgres).toBeGreaterThan(0);
    expect(s.stored.dlqRemaining).toBeGreaterThan(0);

    const causes = await deadLetterCauses(env);
    expect(causes.length).toBeGreaterThan(0);
    for (const cause of causes) expect(cause).toMatch(SYMPTOM);
    // 19 batches against a breaker that opens after 5 failures: the later ones met the open
    // circuit, and their entries still say what failed.
    expect(causes.some((c) => c.includes('circuit breaker is open (last failure: '))).toBe(true);
  });

  it('doctor detects the transaction pooling: a FAIL naming --pgbouncer without it, ok with it', async () => {
    const flags = { databaseUrl: bouncerUrl, redisUrl: redis.url, env: `${redis.prefix}_doctor`, dataDir: join(tmp, 'no-servers') };
    const without = await diagnose({ ...flags, pgbouncer: false });
    expect(without.postgres.transactionPooling).toBe(true);
    expect(without.ok).toBe(false);
    const fails = without.postgres.findings.filter((f) => f.level === 'fail').map((f) => f.text);
    expect(fails).toHaveLength(1);
    expect(fails[0]).toContain('pass --pgbouncer (or AISCTL_PGBOUNCER=1)');
    expect(fails[0]).toMatch(SYMPTOM);

    const withFlag = await diagnose({ ...flags, pgbouncer: true });
    expect(withFlag.postgres.transactionPooling).toBe(true);
    expect(withFlag.postgres.findings.filter((f) => f.level === 'fail')).toEqual([]);
    expect(withFlag.ok).toBe(true);
  });
});

if (PGBOUNCER === null) {
  describe('through PgBouncer in transaction pooling', () => {
    it.skip(PGBOUNCER_MISSING, () => undefined);
  });
}
