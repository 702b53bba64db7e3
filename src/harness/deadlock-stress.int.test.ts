import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../store/postgres/migrator.js';
import { createPool } from '../store/postgres/pool.js';
import { createTestDatabase, type TestDatabase } from '../testing/services.js';
import { runDeadlockStress, type StressEvent, type StressSnapshot } from './deadlock-stress.js';

/** The run's events, and a way to wait until they reach a given state. */
function eventLog() {
  const events: StressEvent[] = [];
  let waiting: Array<{ ready: () => boolean; resolve: () => void }> = [];
  return {
    events,
    push(e: StressEvent): void {
      events.push(e);
      waiting = waiting.filter((w) => {
        if (!w.ready()) return true;
        w.resolve();
        return false;
      });
    },
    until(ready: () => boolean): Promise<void> {
      return ready() ? Promise.resolve() : new Promise((resolve) => waiting.push({ ready, resolve }));
    },
    count(kind: StressEvent['kind']): number {
      return events.filter((e) => e.kind === kind).length;
    },
  };
}

describe('deadlock stress (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('stress');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('naive unsorted upserts deadlock, and the harness sees it', async () => {
    // Each deadlock costs the server's deadlock_timeout (1 s by default) to detect, so the naive
    // run is bounded by time rather than rounds.
    const r = await runDeadlockStress({
      databaseUrl: db.url,
      concurrency: 8,
      vessels: 300,
      batchSize: 200,
      durationMs: 4000,
      strategy: 'naive',
      seed: 1,
      mmsiBase: 211_000_000,
    });
    console.log(`naive: ${JSON.stringify({ ...r, errorSamples: r.errorSamples.slice(0, 1) })}`);
    expect(r.deadlocks).toBeGreaterThan(0);
    expect(r.batchesFailed).toBe(r.deadlocks + r.otherErrors);
    // A deadlock the server broke is a failed batch, never one the harness cancelled at the end.
    expect(r.batchesFailed).toBeGreaterThan(0);
    // What did commit is all there: failed batches rolled back whole.
    expect(r.rowsMissing).toBe(0);
  });

  it('safe strategy: zero deadlocks and every write present', async () => {
    const snapshots: StressSnapshot[] = [];
    const r = await runDeadlockStress({
      databaseUrl: db.url,
      concurrency: 8,
      vessels: 300,
      batchSize: 200,
      rounds: 15,
      strategy: 'safe',
      seed: 1,
      mmsiBase: 212_000_000,
      onProgress: (s) => snapshots.push(s),
      progressIntervalMs: 100,
    });
    console.log(`safe: ${JSON.stringify(r)}`);
    expect(r.deadlocks).toBe(0);
    expect(r.batchesFailed).toBe(0);
    expect(r.batchesCommitted).toBe(8 * 15);
    expect(r.writesExpected).toBeGreaterThan(0);
    expect(r.rowsFound).toBe(r.writesExpected);
    expect(snapshots.length).toBeGreaterThan(0);
  });

  it('1000 concurrent logical writers multiplex over a bounded pool', async () => {
    const r = await runDeadlockStress({
      databaseUrl: db.url,
      concurrency: 1000,
      vessels: 2000,
      batchSize: 20,
      rounds: 2,
      strategy: 'safe',
      seed: 7,
      mmsiBase: 213_000_000,
    });
    console.log(`safe x1000: ${JSON.stringify(r)}`);
    expect(r.poolSize).toBeLessThanOrEqual(40);
    expect(r.batchesCommitted).toBe(2000);
    expect(r.deadlocks).toBe(0);
    expect(r.rowsFound).toBe(r.writesExpected);
  });

  it('when time is up no batch starts, waiting writers are abandoned, and batches in flight are cancelled after the grace', async () => {
    const mmsi = 214_000_000;
    const setup = createPool(db.url, { max: 1 });
    await migrate(setup);
    await setup.end();
    // The one vessel every batch upserts (vessels: 1), inserted in a transaction kept open: the
    // batches in flight wait on it and can end only by being cancelled, whatever the timing.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('INSERT INTO vessels (mmsi, first_seen, last_seen) VALUES ($1, now(), now())', [mmsi]);

      let clock = 0;
      const log = eventLog();
      const run = runDeadlockStress({
        databaseUrl: db.url,
        concurrency: 10,
        poolSize: 3,
        vessels: 1,
        batchSize: 5,
        durationMs: 1000,
        drainMs: 500,
        strategy: 'naive',
        seed: 3,
        mmsiBase: mmsi,
        now: () => clock,
        onEvent: (e) => log.push(e),
      });
      // Three batches hold the three connections; the other seven writers queue for one.
      await log.until(() => log.count('batch-start') === 3);

      clock = 1000;
      await log.until(() => log.count('abandoned') === 7);
      expect(log.count('time-up')).toBe(1);
      // Within the grace nothing is cancelled, and nothing else could end the blocked batches.
      expect(log.count('cancel')).toBe(0);
      expect(log.count('batch-end')).toBe(0);

      clock = 1500;
      const r = await run;

      const timeUpAt = log.events.findIndex((e) => e.kind === 'time-up');
      const startsAfterDeadline = log.events.filter((e, i) => e.kind === 'batch-start' && (i > timeUpAt || e.at >= 1000));
      expect(startsAfterDeadline).toEqual([]);
      expect(log.count('batch-start')).toBe(3);
      expect(log.events.filter((e) => e.kind === 'cancel').every((e) => e.at >= 1500)).toBe(true);
      expect(log.events.flatMap((e) => (e.kind === 'batch-end' ? [e.outcome] : []))).toEqual(['cancelled', 'cancelled', 'cancelled']);
      expect(r).toMatchObject({ batchesCommitted: 0, batchesFailed: 0, batchesCancelled: 3, writersAbandoned: 7, writesExpected: 0, rowsMissing: 0 });
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });
});
