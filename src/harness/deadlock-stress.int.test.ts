import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/services.js';
import { runDeadlockStress, type StressSnapshot } from './deadlock-stress.js';

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
    const r = await runDeadlockStress({ databaseUrl: db.url, concurrency: 8, vessels: 300, batchSize: 200, durationMs: 4000, strategy: 'naive', seed: 1, mmsiBase: 211_000_000 });
    console.log(`naive: ${JSON.stringify({ ...r, errorSamples: r.errorSamples.slice(0, 1) })}`);
    expect(r.deadlocks).toBeGreaterThan(0);
    expect(r.batchesFailed).toBe(r.deadlocks + r.otherErrors);
    // What did commit is all there: failed batches rolled back whole.
    expect(r.rowsMissing).toBe(0);
  });

  it('safe strategy: zero deadlocks and every write present', async () => {
    const snapshots: StressSnapshot[] = [];
    const r = await runDeadlockStress({
      databaseUrl: db.url, concurrency: 8, vessels: 300, batchSize: 200, rounds: 15, strategy: 'safe', seed: 1, mmsiBase: 212_000_000,
      onProgress: (s) => snapshots.push(s), progressIntervalMs: 100,
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
    const r = await runDeadlockStress({ databaseUrl: db.url, concurrency: 1000, vessels: 2000, batchSize: 20, rounds: 2, strategy: 'safe', seed: 7, mmsiBase: 213_000_000 });
    console.log(`safe x1000: ${JSON.stringify(r)}`);
    expect(r.poolSize).toBeLessThanOrEqual(40);
    expect(r.batchesCommitted).toBe(2000);
    expect(r.deadlocks).toBe(0);
    expect(r.rowsFound).toBe(r.writesExpected);
  });
});
