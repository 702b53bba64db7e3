import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/services.js';
import { createPool } from './pool.js';
import { withTransaction } from './with-transaction.js';

describe('withTransaction (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('tx');
    pool = createPool(db.url, { max: 1 });
    await pool.query('CREATE TABLE t (n int PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const rows = async (): Promise<number[]> => (await pool.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n);

  it('keeps all of a committed transaction and nothing of a failed one', async () => {
    await withTransaction(pool, async (c) => {
      await c.query('INSERT INTO t VALUES (1), (2)');
    });
    await expect(
      withTransaction(pool, async (c) => {
        await c.query('INSERT INTO t VALUES (3)');
        await c.query('INSERT INTO t VALUES (1)');
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await rows()).toEqual([1, 2]);
  });

  it('hands the one connection back each time: a pool of one serves the next transaction at once', async () => {
    await expect(withTransaction(pool, (c) => c.query('SELECT 1/0'))).rejects.toThrow(/division by zero/);
    // Not left inside the aborted transaction: the next borrower can write.
    await withTransaction(pool, async (c) => {
      await c.query('INSERT INTO t VALUES (4)');
    });
    expect(await rows()).toEqual([1, 2, 4]);
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(1);
  });
});
