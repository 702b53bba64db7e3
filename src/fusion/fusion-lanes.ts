/**
 * N fusion lanes, lane = hash(mmsi) % N: each vessel's window has exactly one owner, so each
 * decision is one synchronous call with nothing to lock. Lanes are the unit a future worker-thread
 * split would move (disjoint MMSI ranges); in-process they also keep each Map small.
 */
import type { PositionReport } from '../normalize/message.js';
import { resolveFusionConfig, type FusionConfig } from './fusion-config.js';
import type { FusionDecision } from './fusion-decision.js';
import { FusionEngine, newSourceQualityTracker, type FusionStats } from './fusion-engine.js';
import { mmsiLane } from './mmsi-lane.js';
import type { EvidenceCounts, SourceQualityTracker } from './source-quality.js';

export interface FusionLanesOptions {
  /** Number of lanes (>= 1). */
  readonly lanes: number;
  /** Per-lane config; `maxVessels` applies to each lane. */
  readonly config?: Partial<FusionConfig>;
}

export class FusionLanes {
  readonly laneCount: number;
  readonly config: FusionConfig;
  private readonly engines: FusionEngine[];
  /**
   * One tracker for all lanes: a source (a receiver) is the same receiver whichever vessel it
   * reports, so evidence from every lane must reach one quality. Sharing it is race-free because
   * JavaScript runs one call at a time on this thread: each `offer` reads and updates quality
   * inside one synchronous call, so no other lane can observe or write a half-updated value.
   * If lanes ever move to worker threads, each worker gets its own tracker and their qualities
   * must be merged by message passing, never by shared memory.
   */
  private readonly quality: SourceQualityTracker;

  constructor(opts: FusionLanesOptions) {
    if (!Number.isInteger(opts.lanes) || opts.lanes < 1) {
      throw new Error(`fusion lanes: lanes must be an integer >= 1, got ${opts.lanes}`);
    }
    this.laneCount = opts.lanes;
    this.config = resolveFusionConfig(opts.config);
    this.quality = newSourceQualityTracker(this.config);
    this.engines = Array.from({ length: opts.lanes }, () => new FusionEngine({ config: this.config, quality: this.quality }));
  }

  laneOf(mmsi: number): number {
    return mmsiLane(mmsi, this.laneCount);
  }

  lane(index: number): FusionEngine {
    const e = this.engines[index];
    if (e === undefined) throw new RangeError(`fusion lanes: no lane ${index} (have ${this.laneCount})`);
    return e;
  }

  offer(msg: PositionReport, watermarkMs: number): FusionDecision {
    return this.lane(this.laneOf(msg.mmsi)).offer(msg, watermarkMs);
  }

  /** Prunes every lane; returns vessels evicted. */
  prune(watermarkMs: number): number {
    let n = 0;
    for (const e of this.engines) n += e.prune(watermarkMs);
    return n;
  }

  liveTs(mmsi: number): number | null {
    return this.lane(this.laneOf(mmsi)).liveTs(mmsi);
  }

  sourceQuality(): Record<string, number> {
    return this.quality.snapshot();
  }

  evidenceTotals(): EvidenceCounts {
    return this.quality.evidenceTotals();
  }

  evidenceBySource(): Record<string, EvidenceCounts> {
    return this.quality.evidenceBySource();
  }

  /** Sum over lanes. */
  stats(): FusionStats {
    const total: FusionStats = {
      offered: 0,
      live: 0,
      history: 0,
      upgrade: 0,
      duplicate: 0,
      rejectedImplausible: 0,
      rejectedInvalid: 0,
      late: 0,
      vessels: 0,
      vesselsEvictedIdle: 0,
      vesselsEvictedCap: 0,
      windowEvictions: 0,
    };
    for (const e of this.engines) {
      const s = e.stats();
      for (const k of Object.keys(total) as Array<keyof FusionStats>) total[k] += s[k];
    }
    return total;
  }
}
