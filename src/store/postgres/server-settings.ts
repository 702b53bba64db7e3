/**
 * `aisctl doctor`'s advice on PostgreSQL's own settings for this workload: many small write
 * transactions (group-committed batches every few milliseconds), each acknowledged only once
 * durable, where the tail latency left after the client's work is commit (WAL flush) time and
 * the full-page-write burst after every checkpoint. Each setting is reported with its value,
 * the value recommended and why; the advice itself (`adviseServerSettings`) is pure.
 */
import pg from 'pg';
import type { Finding, FindingLevel } from '../inspect-finding.js';
import { loadSql } from './sql-file.js';

const SETTINGS_SQL = loadSql(new URL('./sql/server-settings.sql', import.meta.url), 'aisctl_server_settings');
const CHECKPOINTS_SQL = loadSql(new URL('./sql/checkpoint-stats.sql', import.meta.url), 'aisctl_checkpoint_stats');

/** One row of pg_settings. */
export interface SettingRow {
  readonly name: string;
  readonly setting: string;
  /** pg_settings' unit: '8kB', 'kB', 'MB', 's', 'ms' or null. */
  readonly unit: string | null;
}

export interface CheckpointStats {
  readonly timed: number;
  readonly requested: number;
  readonly writeMs: number;
  readonly syncMs: number;
}

export interface SettingAdvice {
  readonly name: string;
  /** The value as the server reports it, with its unit. */
  readonly value: string;
  readonly recommended: string;
  readonly why: string;
  readonly level: FindingLevel;
}

export interface ServerSettingsReport {
  readonly settings: SettingAdvice[];
  readonly checkpoints: CheckpointStats | null;
  readonly findings: Finding[];
}

export const SERVER_SETTING_NAMES = [
  'synchronous_commit',
  'fsync',
  'commit_delay',
  'commit_siblings',
  'wal_buffers',
  'shared_buffers',
  'checkpoint_timeout',
  'max_wal_size',
  'min_wal_size',
  'wal_compression',
  'full_page_writes',
  'track_wal_io_timing',
  'autovacuum',
  'jit',
] as const;

const UNIT_BYTES: Readonly<Record<string, number>> = { '8kB': 8192, kB: 1024, MB: 1024 * 1024 };
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, ms: 0.001, min: 60 };
const MIB = 1024 * 1024;

function bytesOf(r: SettingRow): number | null {
  const n = Number(r.setting);
  const u = r.unit === null ? undefined : UNIT_BYTES[r.unit];
  return Number.isFinite(n) && u !== undefined ? n * u : null;
}

function secondsOf(r: SettingRow): number | null {
  const n = Number(r.setting);
  const u = r.unit === null ? undefined : UNIT_SECONDS[r.unit];
  return Number.isFinite(n) && u !== undefined ? n * u : null;
}

function shown(r: SettingRow): string {
  const b = bytesOf(r);
  if (b !== null && b >= 0) return b >= 1024 * MIB ? `${+(b / (1024 * MIB)).toFixed(1)}GB` : `${+(b / MIB).toFixed(1)}MB`;
  if (r.unit === 's' || r.unit === 'ms' || r.unit === 'min') return `${r.setting}${r.unit}`;
  return r.setting;
}

type Advice = Omit<SettingAdvice, 'name' | 'value'>;

/** `low` when the value is known and under `min`, else `enough` (a value that cannot be read is not advised against). */
function atLeast(value: number | null, min: number, low: Advice, enough: Advice): Advice {
  return value !== null && value < min ? low : enough;
}

/** `off` when the setting is off, else `on`. */
function whenOff(r: SettingRow, off: Advice, on: Advice): Advice {
  return r.setting === 'off' ? off : on;
}

function advise(r: SettingRow, all: ReadonlyMap<string, SettingRow>): Advice | null {
  switch (r.name) {
    case 'synchronous_commit':
      return whenOff(
        r,
        {
          level: 'warn',
          recommended: 'on',
          why: 'off acknowledges a commit before its WAL is flushed: aisctl would report writes as durable that a crash can lose',
        },
        { level: 'ok', recommended: 'on', why: 'a batch is acknowledged only once PostgreSQL has flushed it' },
      );
    case 'fsync':
      return whenOff(
        r,
        { level: 'warn', recommended: 'on', why: 'off makes no write durable: a crash can corrupt the database' },
        { level: 'ok', recommended: 'on', why: 'needed for durability' },
      );
    case 'commit_delay': {
      const us = Number(r.setting);
      return us > 0
        ? {
            level: 'info',
            recommended: '0',
            why: `adds up to ${us} us to commits while ${all.get('commit_siblings')?.setting ?? '5'} other transactions are open; aisctl already groups rows into batches client-side, so the delay is mostly added latency`,
          }
        : { level: 'ok', recommended: '0', why: 'aisctl groups commits itself (batches); a server-side delay would only add latency' };
    }
    case 'wal_buffers':
      return atLeast(
        bytesOf(r),
        16 * MIB,
        {
          level: 'info',
          recommended: '16MB (or -1 with shared_buffers >= 512MB)',
          why: 'a COPY batch of thousands of rows writes megabytes of WAL; smaller buffers force WAL writes before the commit',
        },
        { level: 'ok', recommended: '16MB', why: 'holds a whole batch of WAL until its commit' },
      );
    case 'shared_buffers':
      return atLeast(
        bytesOf(r),
        512 * MIB,
        {
          level: 'info',
          recommended: '25% of RAM, at least 512MB',
          why: 'the positions index and the vessels table must stay cached, or each upsert batch reads from disk',
        },
        { level: 'ok', recommended: '25% of RAM', why: 'keeps the indexes the upserts touch in memory' },
      );
    case 'checkpoint_timeout':
      return atLeast(
        secondsOf(r),
        900,
        {
          level: 'info',
          recommended: '15min',
          why: 'after each checkpoint the first change of every page writes a full page image to WAL: fewer checkpoints, fewer commit-latency bursts',
        },
        { level: 'ok', recommended: '15min', why: 'few checkpoints, few full-page-write bursts' },
      );
    case 'max_wal_size':
      return atLeast(
        bytesOf(r),
        4096 * MIB,
        {
          level: 'info',
          recommended: '4GB or more',
          why: 'at tens of thousands of rows/s the WAL reaches a small max_wal_size before checkpoint_timeout, forcing early checkpoints',
        },
        { level: 'ok', recommended: '4GB', why: 'checkpoints come from checkpoint_timeout, not from WAL volume' },
      );
    case 'min_wal_size':
      // Measured: sampling pg_stat_activity through aisctl load at 10,000 msg/s (about 2 MB/s of
      // WAL), a committing backend waited on IO:WALInitWrite every ~8 s for 30-60 ms, and every
      // other commit queued behind it (LWLock:WALWrite): the run's slowest batches.
      return atLeast(
        bytesOf(r),
        1024 * MIB,
        {
          level: 'info',
          recommended: '1GB or more (the WAL of one checkpoint interval)',
          why:
            'WAL files are recycled at checkpoints only while the WAL stays under min_wal_size; past it they are removed, and every new 16 MB file is ' +
            'zero-filled and flushed inside a commit (IO:WALInitWrite), stalling all commits for tens of ms',
        },
        { level: 'ok', recommended: '1GB', why: 'WAL files are recycled, not created and zero-filled inside commits' },
      );
    case 'wal_compression':
      return whenOff(
        r,
        {
          level: 'info',
          recommended: 'lz4 (or on)',
          why: 'compresses the full-page images written after each checkpoint, the WAL burst behind commit-latency spikes',
        },
        { level: 'ok', recommended: 'lz4', why: 'smaller full-page-image bursts after checkpoints' },
      );
    case 'full_page_writes':
      return whenOff(
        r,
        { level: 'warn', recommended: 'on', why: 'off risks torn pages after a crash unless the file system guarantees atomic page writes' },
        { level: 'ok', recommended: 'on', why: 'protects against torn pages' },
      );
    case 'track_wal_io_timing':
      return whenOff(
        r,
        { level: 'info', recommended: 'on (to measure)', why: 'without it pg_stat_wal cannot say how long WAL flushes, i.e. commits, take' },
        { level: 'ok', recommended: 'on', why: 'pg_stat_wal shows WAL write and sync time' },
      );
    case 'autovacuum':
      // Seen on a shared test server: off, and today's partition had 22 M rows, never analyzed.
      return whenOff(
        r,
        {
          level: 'warn',
          recommended: 'on',
          why:
            'off leaves every table unvacuumed and unanalyzed: the dead versions of vessel rows (last_seen updates) pile up, partitions get no statistics, ' +
            'and transaction ids are never frozen, so PostgreSQL will eventually refuse writes to prevent wraparound',
        },
        { level: 'ok', recommended: 'on', why: 'reclaims dead vessel-row versions, analyzes new partitions and freezes old ones' },
      );
    case 'jit':
      // Measured with perf on bench:ingest (batches of 20,000): 13 % of PostgreSQL's CPU was
      // LLVM compiling the COPY batch's upsert, once per batch.
      return r.setting === 'on'
        ? {
            level: 'info',
            recommended: 'off',
            why:
              "aisctl turns it off for its own write transactions; any other session's statement over thousands of rows crosses jit_above_cost and " +
              'is compiled with LLVM on every execution, which costs more CPU than it saves on index probes and inserts',
          }
        : { level: 'ok', recommended: 'off', why: 'no statement is compiled on every execution' };
    default:
      return null;
  }
}

/** The advice for each setting found, and what the checkpoint counters say. Pure. */
export function adviseServerSettings(rows: readonly SettingRow[], checkpoints: CheckpointStats | null): ServerSettingsReport {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const settings: SettingAdvice[] = [];
  for (const name of SERVER_SETTING_NAMES) {
    const r = byName.get(name);
    if (r === undefined) continue;
    const a = advise(r, byName);
    if (a !== null) settings.push({ name, value: shown(r), ...a });
  }
  const findings: Finding[] = settings.map((s) => ({
    level: s.level,
    text: s.level === 'ok' ? `${s.name} = ${s.value} (${s.why})` : `${s.name} = ${s.value}: recommended ${s.recommended} (${s.why})`,
  }));
  if (checkpoints !== null && checkpoints.requested > checkpoints.timed && checkpoints.requested > 0) {
    findings.push({
      level: 'warn',
      text:
        `${checkpoints.requested} checkpoints were forced by WAL volume against ${checkpoints.timed} timed: ` +
        'raise max_wal_size so checkpoints follow checkpoint_timeout',
    });
  }
  return { settings, checkpoints, findings };
}

/** Reads the settings and checkpoint counters of the server at `url`; null when it cannot be reached. */
export async function inspectServerSettings(url: string, opts: { readonly timeoutMs: number }): Promise<ServerSettingsReport | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: opts.timeoutMs, statement_timeout: 10_000 });
  try {
    await client.connect();
  } catch {
    // inspect.ts reports an unreachable server; nothing to add here.
    return null;
  }
  try {
    const rows = (await client.query<SettingRow>(SETTINGS_SQL.text, [[...SERVER_SETTING_NAMES]])).rows;
    let checkpoints: CheckpointStats | null = null;
    try {
      const c = (await client.query<{ timed: string; requested: string; write_ms: number; sync_ms: number }>(CHECKPOINTS_SQL.text)).rows[0];
      if (c !== undefined) checkpoints = { timed: Number(c.timed), requested: Number(c.requested), writeMs: c.write_ms, syncMs: c.sync_ms };
    } catch {
      // PostgreSQL 17 moved these columns to pg_stat_checkpointer: the settings are still worth showing.
    }
    return adviseServerSettings(rows, checkpoints);
  } finally {
    await client.end().catch(() => undefined);
  }
}
