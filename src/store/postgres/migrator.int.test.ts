import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/services.js';
import { latestMigrationVersion, listMigrations, migrate, schemaVersion } from './migrator.js';
import { createPool } from './pool.js';

describe('migrate (real PostgreSQL)', () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  const pool = (max = 2): pg.Pool => {
    const p = createPool(db.url, { max });
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    db = await createTestDatabase('migr');
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db?.drop();
  });

  it('ships numbered migrations in order', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(latestMigrationVersion()).toBeGreaterThanOrEqual(2);
  });

  it('reports version 0 on a database never migrated', async () => {
    expect(await schemaVersion(pool())).toBe(0);
  });

  it('8 concurrent migrators apply each migration exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => migrate(pool(1))));
    const appliedCounts = results.map((r) => r.applied.length);
    expect(appliedCounts.filter((n) => n > 0)).toHaveLength(1);
    expect(appliedCounts.reduce((a, b) => a + b, 0)).toBe(listMigrations().length);
    const p = pool();
    const rows = (await p.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await schemaVersion(p)).toBe(latestMigrationVersion());
  });

  it('is idempotent', async () => {
    const r = await migrate(pool());
    expect(r.applied).toEqual([]);
    expect(r.version).toBe(latestMigrationVersion());
  });
});
