/**
 * Seed roadmap 4.2: a decision must never be made against a window that changed underneath it.
 * The seed's design awaited (a store read) between reading a vessel's window and recording the
 * decision, with prune running concurrently; its fix was a per-vessel mutex. aisctl's design is
 * a synchronous decision by the single owner of the vessel (FusionLanes). This file drives both
 * through the same deterministic interleaving and checks the invariants on each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PositionReport } from '../normalize/message.js';
import { distanceM } from './geo-distance.js';
import { FusionLanes } from './fusion-lanes.js';
import { onTrack, T0 } from '../testing/fusion-test-reports.js';

/** Yields to the event loop `n` times: a deterministic stand-in for an awaited store round trip. */
async function pause(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

interface Logged {
  readonly kind: string;
  readonly rowTs: number;
  readonly msg: PositionReport;
  /** After the decision, the fuser's live time for the vessel is what the decision implies. */
  readonly recorded: boolean;
}

interface AsyncFuser {
  decide(msg: PositionReport, watermarkMs: number, storeDelay: number): Promise<void>;
  prune(watermarkMs: number, delay: number): Promise<void>;
  readonly log: Logged[];
}

// ---------------------------------------------------------------------------------------------
// TEST-ONLY: the seed's naive design, reproduced to show what goes wrong. Not a pattern to copy.
// ---------------------------------------------------------------------------------------------
interface NaiveWindow {
  reports: PositionReport[];
  live: PositionReport | null;
}

class NaiveAsyncFusion implements AsyncFuser {
  readonly windows = new Map<number, NaiveWindow>();
  readonly log: Logged[] = [];

  async decide(msg: PositionReport, watermarkMs: number, storeDelay: number): Promise<void> {
    const win = this.windows.get(msg.mmsi) ?? { reports: [], live: null };
    this.windows.set(msg.mmsi, win);
    const dup = win.reports.find((r) => Math.abs(r.ts - msg.ts) <= 1_000 && distanceM(r.lat, r.lon, msg.lat, msg.lon) <= 50);
    const live = win.live;
    await pause(storeDelay); // e.g. "look up the vessel id", "read the current score"
    let kind: string;
    let rowTs = msg.ts;
    if (dup !== undefined) {
      kind = 'duplicate';
      rowTs = dup.ts;
    } else {
      win.reports.push(msg);
      if (live === null || msg.ts > live.ts) {
        win.live = msg;
        kind = 'live';
      } else kind = 'history';
      void watermarkMs;
    }
    const now = this.windows.get(msg.mmsi)?.live?.ts ?? null;
    this.log.push({ kind, rowTs, msg, recorded: kind !== 'live' || now === msg.ts });
  }

  async prune(watermarkMs: number, delay: number): Promise<void> {
    await pause(delay); // e.g. "SCAN the active set"
    for (const [mmsi, win] of this.windows) {
      const kept = win.reports.filter((r) => watermarkMs - r.ts <= 120_000);
      if (kept.length === 0) this.windows.delete(mmsi);
      else this.windows.set(mmsi, { reports: kept, live: win.live });
    }
  }
}

/** The real design behind the same async shape: awaits happen outside the synchronous decision. */
class LanesAdapter implements AsyncFuser {
  readonly lanes = new FusionLanes({ lanes: 4, config: { sourceWeights: { a: 0.6, b: 1.0, c: 0.8 } } });
  readonly log: Logged[] = [];

  async decide(msg: PositionReport, watermarkMs: number, storeDelay: number): Promise<void> {
    await pause(storeDelay);
    const d = this.lanes.offer(msg, watermarkMs);
    this.log.push({ kind: d.kind, rowTs: d.rowTs, msg, recorded: !d.movesLive || this.lanes.liveTs(msg.mmsi) === d.rowTs });
  }

  async prune(watermarkMs: number, delay: number): Promise<void> {
    await pause(delay);
    this.lanes.prune(watermarkMs);
  }
}

interface Violations {
  /** Duplicate groups with other than exactly one new row (live/history). */
  keptPerGroup: number;
  /** Live decisions older than an earlier live decision of the same vessel. */
  liveBackwards: number;
  /** Live decisions not reflected in the fuser's state right after (made against a pruned window). */
  lost: number;
}

function violations(log: readonly Logged[], groupOf: (m: PositionReport) => string): Violations {
  const kept = new Map<string, number>();
  const lastLive = new Map<number, number>();
  const v: Violations = { keptPerGroup: 0, liveBackwards: 0, lost: 0 };
  for (const e of log) {
    const g = `${e.msg.mmsi}:${groupOf(e.msg)}`;
    if (!kept.has(g)) kept.set(g, 0);
    if (e.kind === 'live' || e.kind === 'history') kept.set(g, (kept.get(g) ?? 0) + 1);
    if (e.kind === 'live') {
      const prev = lastLive.get(e.msg.mmsi) ?? Number.NEGATIVE_INFINITY;
      if (e.rowTs <= prev) v.liveBackwards++;
      else lastLive.set(e.msg.mmsi, e.rowTs);
    }
    if (!e.recorded) v.lost++;
  }
  for (const n of kept.values()) if (n !== 1) v.keptPerGroup++;
  return v;
}

/** Reports are stamped by receivers up to 600 ms apart; a group is one 10 s transmission slot. */
const slotOf = (m: PositionReport): string => String(Math.floor((m.ts - T0 + 5_000) / 10_000));

/** One vessel, an old fix in its window, then concurrent receivers, a newer fix and a prune. */
async function scenario(f: AsyncFuser): Promise<void> {
  await f.decide(onTrack(-300_000, { source: 'a' }), T0 - 300_000, 0);
  const wm = T0 + 10_000;
  await Promise.all([
    f.decide(onTrack(0, { source: 'a' }), wm, 2),
    f.decide(onTrack(0, { source: 'b', ts: T0 + 300 }), wm, 5),
    f.prune(wm, 1),
    f.decide(onTrack(10_000, { source: 'a' }), wm, 3),
    f.decide(onTrack(0, { source: 'c', ts: T0 + 600 }), wm, 6),
  ]);
}

describe('atomic fusion under concurrent offers and prunes (seed 4.2)', () => {
  it('the naive async design violates the invariants under this interleaving', async () => {
    const naive = new NaiveAsyncFusion();
    await scenario(naive);
    const v = violations(naive.log, slotOf);
    expect(v.keptPerGroup).toBeGreaterThan(0);
    expect(v.liveBackwards).toBeGreaterThan(0);
    expect(v.lost).toBeGreaterThan(0);
  });

  it('FusionLanes never does, under the same interleaving', async () => {
    const real = new LanesAdapter();
    await scenario(real);
    expect(violations(real.log, slotOf)).toEqual({ keptPerGroup: 0, liveBackwards: 0, lost: 0 });
    expect(real.log.map((e) => e.kind)).toEqual(['live', 'live', 'live', 'upgrade', 'duplicate']);
    expect(real.log.filter((e) => e.msg.ts < T0 + 1_000 && e.msg.ts >= T0).every((e) => e.rowTs === T0)).toBe(true);
  });

  it('FusionLanes keeps the invariants under any interleaving (property)', async () => {
    // Several vessels, each with 3 transmissions heard by 3 receivers, plus prunes: random delays.
    const op = fc.record({
      vessel: fc.integer({ min: 0, max: 3 }),
      slot: fc.integer({ min: 0, max: 2 }),
      rx: fc.integer({ min: 0, max: 2 }),
      delay: fc.integer({ min: 0, max: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 4 }), async (ops, prunes) => {
        const real = new LanesAdapter();
        const wm = T0 + 30_000;
        await Promise.all([
          ...ops.map((o) =>
            real.decide(
              onTrack(o.slot * 10_000, { mmsi: 211_000_000 + o.vessel, source: ['a', 'b', 'c'][o.rx] ?? 'a', ts: T0 + o.slot * 10_000 + o.rx * 300 }),
              wm,
              o.delay,
            ),
          ),
          ...prunes.map((d) => real.prune(wm, d)),
        ]);
        const v = violations(real.log, slotOf);
        expect(v).toEqual({ keptPerGroup: 0, liveBackwards: 0, lost: 0 });
      }),
      { numRuns: 200 },
    );
  });
});
