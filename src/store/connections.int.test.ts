/**
 * Creating the database on first use, against the real PostgreSQL, when several aisctl processes
 * start together on a server where it does not exist yet: every one must end up connected, and
 * the losers of the CREATE DATABASE race must take the winner's database as their own.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_DATABASE_URL, testDatabaseUrl, uniqueSuffix, withAdmin } from '../testing/services.js';
import { createDatabase, openPostgres } from './connections.js';
import { latestMigrationVersion, migrate, schemaVersion } from './postgres/migrator.js';

async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

/** Names this file created; dropped after each test whatever happened. */
const created: string[] = [];

function freshName(label: string): string {
  const name = `aisctl_${label}_${uniqueSuffix()}`.toLowerCase();
  created.push(name);
  return name;
}

afterEach(async () => {
  const names = created.splice(0);
  await withAdmin(async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
  });
});

describe('creating the database on first use (real PostgreSQL)', () => {
  it('six processes opening and migrating a database that does not exist yet all succeed', async () => {
    const name = freshName('mk6');
    const url = testDatabaseUrl(name);
    expect(await databaseExists(name)).toBe(false);
    const pools: pg.Pool[] = [];
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const pool = await openPostgres(url, { max: 1 });
          pools.push(pool);
          return migrate(pool);
        }),
      );
      // The advisory lock serializes the migrators: one applies everything, the others find it done.
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      expect(results.every((r) => r.version === latestMigrationVersion())).toBe(true);
      expect(await schemaVersion(pools[0]!)).toBe(latestMigrationVersion());
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('a database that appeared after the existence check (42P04 duplicate_database) counts as created', async () => {
    const name = freshName('mk42p04');
    await withAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    // openPostgres only calls this after its connect said 3D000; here the database is already there.
    await expect(createDatabase(testDatabaseUrl(name))).resolves.toBeUndefined();
  });

  it('a CREATE DATABASE that loses on pg_database_datname_index (23505) counts as created', async () => {
    const name = freshName('mk23505');
    const placeholder = freshName('mk23505src');
    await withAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(placeholder)}`));
    // An uncommitted rename puts a catalog row with the target name where CREATE DATABASE cannot
    // see it yet: its existence check passes, and its own insert into pg_database's unique name
    // index waits for this transaction. Committing then fails it with 23505, exactly what a
    // concurrent creator that committed first does, but in an order the test controls.
    const racer = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await racer.connect();
    try {
      await racer.query('BEGIN');
      await racer.query(`ALTER DATABASE ${racer.escapeIdentifier(placeholder)} RENAME TO ${racer.escapeIdentifier(name)}`);
      const creating = createDatabase(testDatabaseUrl(name)).then(
        () => null,
        (err: unknown) => err,
      );
      await waitUntilBlocked(`CREATE DATABASE ${racer.escapeIdentifier(name)}`);
      await racer.query('COMMIT');
      expect(await creating).toBeNull();
    } finally {
      await racer.end();
    }
    expect(await databaseExists(name)).toBe(true);
  });
});

/**
 * Polls until the backend running `statement` waits on a lock; fails after 30 s. From a session of
 * its own: inside a transaction pg_stat_activity keeps showing its first snapshot.
 */
async function waitUntilBlocked(statement: string): Promise<void> {
  await withAdmin(async (c) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await c.query("SELECT 1 FROM pg_stat_activity WHERE query = $1 AND wait_event_type = 'Lock'", [statement]);
      if (r.rowCount === 1) return;
      if (Date.now() > deadline) throw new Error(`'${statement}' never waited on the racing transaction`);
      await new Promise((res) => setTimeout(res, 20));
    }
  });
}
