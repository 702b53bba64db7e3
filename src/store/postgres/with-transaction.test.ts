import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withTransaction, type TransactionPool } from './with-transaction.js';

/** A pool of one connection that records statements and fails the ones named in `failing`. */
function fakePool(failing: readonly string[] = []) {
  const log: string[] = [];
  const released: (Error | boolean | undefined)[] = [];
  const client = {
    query: async (sql: string) => {
      log.push(sql);
      if (failing.includes(sql)) throw new Error(`${sql} failed`);
      return { rows: [], rowCount: 0 };
    },
    release: (err?: Error | boolean) => {
      released.push(err);
    },
  };
  const pool: TransactionPool = { connect: async () => client as unknown as pg.PoolClient };
  return { pool, log, released };
}

describe('withTransaction', () => {
  it('BEGIN, the statements, COMMIT, and the connection back to the pool with its result', async () => {
    const { pool, log, released } = fakePool();
    const result = await withTransaction(pool, async (c) => {
      await c.query('INSERT 1');
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(['BEGIN', 'INSERT 1', 'COMMIT']);
    expect(released).toEqual([undefined]);
  });

  it('opens with the given begin text, which may set what the transaction needs in the same round trip', async () => {
    const { pool, log } = fakePool();
    await withTransaction(pool, (c) => c.query('INSERT 1'), 'BEGIN; SET LOCAL jit = off');
    expect(log).toEqual(['BEGIN; SET LOCAL jit = off', 'INSERT 1', 'COMMIT']);
  });

  it('rolls back on an error and throws that error, not the rollback', async () => {
    const { pool, log, released } = fakePool(['INSERT 2']);
    await expect(
      withTransaction(pool, async (c) => {
        await c.query('INSERT 1');
        await c.query('INSERT 2');
      }),
    ).rejects.toThrow('INSERT 2 failed');
    expect(log).toEqual(['BEGIN', 'INSERT 1', 'INSERT 2', 'ROLLBACK']);
    expect(released).toEqual([undefined]);
  });

  it('a failed COMMIT is rolled back and thrown', async () => {
    const { pool, log } = fakePool(['COMMIT']);
    await expect(withTransaction(pool, async () => 1)).rejects.toThrow('COMMIT failed');
    expect(log).toEqual(['BEGIN', 'COMMIT', 'ROLLBACK']);
  });

  it('a connection whose ROLLBACK failed is released as broken, so the pool destroys it', async () => {
    const { pool, released } = fakePool(['INSERT 1', 'ROLLBACK']);
    await expect(withTransaction(pool, (c) => c.query('INSERT 1'))).rejects.toThrow('INSERT 1 failed');
    expect(released).toHaveLength(1);
    expect(released[0]).toBeInstanceOf(Error);
    expect((released[0] as Error).message).toBe('ROLLBACK failed');
  });

  it('a failed BEGIN runs nothing and rolls nothing back', async () => {
    const { pool, log, released } = fakePool(['BEGIN']);
    let ran = false;
    await expect(
      withTransaction(pool, async () => {
        ran = true;
      }),
    ).rejects.toThrow('BEGIN failed');
    expect(ran).toBe(false);
    expect(log).toEqual(['BEGIN']);
    expect(released).toEqual([undefined]);
  });
});
