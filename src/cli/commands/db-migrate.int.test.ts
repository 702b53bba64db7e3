/**
 * `aisctl db migrate` through the built CLI, several at once against a database that does not
 * exist yet (issue 8, finding 7): the processes race to create it and to migrate it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestMigrationVersion, listMigrations } from '../../store/postgres/migrator.js';
import { describeResult, ensureBuilt, runCli, type CliResult } from '../../testing/cli.js';
import { testDatabaseUrl, uniqueSuffix, withAdmin } from '../../testing/services.js';

const name = `aisctl_migcli_${uniqueSuffix()}`.toLowerCase();
const url = testDatabaseUrl(name);

beforeAll(() => {
  ensureBuilt();
}, 300_000);

afterAll(async () => {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
});

/** Versions from the `applied 001_vessels` lines, and the reported schema version. */
function parseOutput(r: CliResult): { applied: number[]; version: number } {
  const applied = [...r.stdout.matchAll(/^applied (\d{3})_/gm)].map((m) => Number(m[1]));
  const version = /^schema version (\d+)/m.exec(r.stdout);
  if (!version) throw new Error(`no schema version line: ${describeResult(r)}; stdout: ${r.stdout}`);
  return { applied, version: Number(version[1]) };
}

describe('aisctl db migrate', () => {
  it('six at once on a database that does not exist yet: all exit 0, each migration applied once', async () => {
    expect((await withAdmin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))).rowCount).toBe(0);
    const results = await Promise.all(Array.from({ length: 6 }, () => runCli(['db', 'migrate', '--database-url', url])));
    for (const r of results) expect(r.code, describeResult(r)).toBe(0);
    const out = results.map(parseOutput);
    expect(out.every((o) => o.version === latestMigrationVersion())).toBe(true);
    expect(out.flatMap((o) => o.applied).sort((a, b) => a - b)).toEqual(listMigrations().map((m) => m.version));

    const again = await runCli(['db', 'migrate', '--database-url', url]);
    expect(again.code, describeResult(again)).toBe(0);
    expect(again.stdout).toContain('schema already up to date');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const rows = (await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows;
      expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    } finally {
      await pool.end();
    }
  }, 120_000);
});
