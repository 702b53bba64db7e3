import { describe, expect, it } from 'vitest';
import { adviseServerSettings, type SettingRow } from './server-settings.js';

const DEFAULTS: SettingRow[] = [
  { name: 'synchronous_commit', setting: 'on', unit: null },
  { name: 'fsync', setting: 'on', unit: null },
  { name: 'commit_delay', setting: '0', unit: null },
  { name: 'commit_siblings', setting: '5', unit: null },
  { name: 'wal_buffers', setting: '512', unit: '8kB' },
  { name: 'shared_buffers', setting: '16384', unit: '8kB' },
  { name: 'checkpoint_timeout', setting: '300', unit: 's' },
  { name: 'max_wal_size', setting: '1024', unit: 'MB' },
  { name: 'min_wal_size', setting: '80', unit: 'MB' },
  { name: 'wal_compression', setting: 'off', unit: null },
  { name: 'full_page_writes', setting: 'on', unit: null },
  { name: 'track_wal_io_timing', setting: 'off', unit: null },
  { name: 'autovacuum', setting: 'on', unit: null },
  { name: 'jit', setting: 'on', unit: null },
];

describe('adviseServerSettings', () => {
  it("reports every setting with its value, the value recommended and why, and advises on PostgreSQL 15's defaults", () => {
    const r = adviseServerSettings(DEFAULTS, { timed: 10, requested: 0, writeMs: 0, syncMs: 0 });
    expect(r.settings.map((s) => s.name)).toEqual(DEFAULTS.map((d) => d.name).filter((n) => n !== 'commit_siblings'));
    const by = new Map(r.settings.map((s) => [s.name, s]));
    expect(by.get('wal_buffers')).toMatchObject({ value: '4MB', level: 'info' });
    expect(by.get('shared_buffers')).toMatchObject({ value: '128MB', level: 'info' });
    expect(by.get('max_wal_size')).toMatchObject({ value: '1GB', recommended: '4GB or more', level: 'info' });
    expect(by.get('checkpoint_timeout')).toMatchObject({ value: '300s', level: 'info' });
    expect(by.get('min_wal_size')).toMatchObject({ value: '80MB', level: 'info' });
    expect(by.get('min_wal_size')?.why).toMatch(/IO:WALInitWrite/);
    expect(by.get('synchronous_commit')).toMatchObject({ level: 'ok' });
    expect(by.get('jit')).toMatchObject({ value: 'on', recommended: 'off', level: 'info' });
    expect(r.findings.filter((f) => f.level === 'info')).toHaveLength(8);
    expect(r.findings.filter((f) => f.level === 'warn')).toHaveLength(0);
    expect(r.findings.some((f) => f.text.startsWith('wal_compression = off: recommended lz4'))).toBe(true);
  });

  it('warns when acknowledged writes would not be durable, when nothing is vacuumed, and when WAL volume forces checkpoints', () => {
    const off = new Set(['synchronous_commit', 'autovacuum']);
    const rows = DEFAULTS.map((d) => (off.has(d.name) ? { ...d, setting: 'off' } : d));
    const r = adviseServerSettings(rows, { timed: 2, requested: 7, writeMs: 0, syncMs: 0 });
    const warns = r.findings.filter((f) => f.level === 'warn').map((f) => f.text);
    expect(warns).toHaveLength(3);
    expect(warns[0]).toMatch(/^synchronous_commit = off: recommended on/);
    expect(warns[1]).toMatch(/^autovacuum = off: recommended on \(.*wraparound/);
    expect(warns[2]).toMatch(/7 checkpoints were forced by WAL volume against 2 timed/);
  });

  it('reports settings that already suit the workload as ok, with the reason', () => {
    const tuned: SettingRow[] = [
      { name: 'synchronous_commit', setting: 'on', unit: null },
      { name: 'wal_buffers', setting: '2048', unit: '8kB' },
      { name: 'shared_buffers', setting: '131072', unit: '8kB' },
      { name: 'checkpoint_timeout', setting: '900', unit: 's' },
      { name: 'max_wal_size', setting: '8192', unit: 'MB' },
      { name: 'min_wal_size', setting: '2048', unit: 'MB' },
      { name: 'wal_compression', setting: 'lz4', unit: null },
      { name: 'jit', setting: 'off', unit: null },
    ];
    const r = adviseServerSettings(tuned, null);
    expect(r.findings.every((f) => f.level === 'ok')).toBe(true);
    expect(r.findings[0]).toEqual({ level: 'ok', text: 'synchronous_commit = on (a batch is acknowledged only once PostgreSQL has flushed it)' });
    expect(r.findings.map((f) => f.text.split(' ')[0])).toEqual(tuned.map((t) => t.name));
  });
});
