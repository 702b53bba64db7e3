/**
 * One transaction on a pooled connection: BEGIN, the caller's statements, COMMIT; ROLLBACK on
 * any error, which is then thrown as it was. The connection always goes back to the pool, and is
 * destroyed instead when even the ROLLBACK failed: its state is then unknown, and the next
 * borrower must not inherit a transaction left open or aborted.
 */
import type pg from 'pg';

/** What `withTransaction` needs of a pool; `pg.Pool` is one. */
export type TransactionPool = Pick<pg.Pool, 'connect'>;

/**
 * `begin` opens the transaction: 'BEGIN' or a simple-protocol text that starts with it and sets
 * what the transaction needs (`SET LOCAL ...`) in the same round trip.
 */
export async function withTransaction<T>(pool: TransactionPool, fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A failed BEGIN leaves no transaction to roll back; pg drops a connection that died.
    await client.query(begin);
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      });
      throw err;
    }
  } finally {
    client.release(broken);
  }
}
