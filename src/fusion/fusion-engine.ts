/**
 * One lane's fusion: per-vessel windows of accepted reports, duplicate collapse across
 * receivers, scoring by source weight x quality, and the live/history decision.
 *
 * `offer` is synchronous on purpose: reading a vessel's window, deciding, and recording the
 * decision happen in one uninterrupted run of JavaScript, so no prune and no other report of the
 * vessel can slip in between. Exactly one engine owns a vessel (see FusionLanes), hence no locks.
 * Time is event time passed in by the caller; the engine never reads a clock.
 */
import type { PositionReport } from '../normalize/message.js';
import { resolveFusionConfig, type FusionConfig } from './fusion-config.js';
import type { FusionDecision, FusionReason, FusedPosition } from './fusion-decision.js';
import { distanceM } from './geo-distance.js';
import { SourceQualityTracker, type EvidenceCounts, type EvidenceKind } from './source-quality.js';
import { assessTrack, type Fix, type Peer, type TrackVerdict } from './track-evidence.js';

const NO_VERDICT: TrackVerdict = { evidence: [], contradicted: false };

/** An accepted report (or the first of a duplicate group): the unit of duplicate detection. */
interface Group {
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | null;
  readonly cog: number | null;
  /** Source and score of the best report of the group so far (upgrades rewrite them). */
  source: string;
  score: number;
}

interface VesselState {
  /** The report hot state holds; only ever replaced by a strictly newer one. */
  live: Group | null;
  /** Accepted groups sorted by ts ascending, bounded by maxReportsPerVessel. */
  groups: Group[];
  /** Latest fix per source, for own-track checks and as peers of other sources. */
  readonly own: Map<string, Fix>;
  /** Event time of the last offer (max of watermark and report time), for idle eviction. */
  lastActivity: number;
}

export interface FusionStats {
  offered: number;
  live: number;
  history: number;
  upgrade: number;
  duplicate: number;
  rejectedImplausible: number;
  rejectedInvalid: number;
  /** History decisions because the report was older than the lateness window. */
  late: number;
  /** Vessels currently held. */
  vessels: number;
  vesselsEvictedIdle: number;
  vesselsEvictedCap: number;
  /** Groups dropped from a full vessel window before their retention ran out. */
  windowEvictions: number;
}

export interface FusionEngineOptions {
  readonly config?: Partial<FusionConfig>;
  /** Shared across lanes by FusionLanes; a standalone engine makes its own. */
  readonly quality?: SourceQualityTracker;
}

export function newSourceQualityTracker(config: FusionConfig): SourceQualityTracker {
  return new SourceQualityTracker({ alpha: config.qualityAlpha, floor: config.qualityFloor, maxSources: config.maxSources });
}

function invalidReason(msg: PositionReport): { reason: FusionReason; detail: 'bad_position' | 'other' } | null {
  if (!Number.isInteger(msg.mmsi) || msg.mmsi <= 0 || msg.mmsi > 999_999_999) return { reason: 'bad_mmsi', detail: 'other' };
  if (typeof msg.ts !== 'number' || !Number.isFinite(msg.ts) || msg.ts <= 0) return { reason: 'bad_time', detail: 'other' };
  const { lat, lon } = msg;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return { reason: 'bad_position', detail: 'bad_position' };
  }
  return null;
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

export class FusionEngine {
  readonly config: FusionConfig;
  private readonly quality: SourceQualityTracker;
  // Map order is recency order (vessels are re-inserted when offered): the first key is the
  // least recently offered vessel, the one to evict at the cap.
  private readonly vessels = new Map<number, VesselState>();
  private watermark = Number.NEGATIVE_INFINITY;
  private readonly counters: Omit<FusionStats, 'vessels'> = {
    offered: 0,
    live: 0,
    history: 0,
    upgrade: 0,
    duplicate: 0,
    rejectedImplausible: 0,
    rejectedInvalid: 0,
    late: 0,
    vesselsEvictedIdle: 0,
    vesselsEvictedCap: 0,
    windowEvictions: 0,
  };

  constructor(opts: FusionEngineOptions = {}) {
    this.config = resolveFusionConfig(opts.config);
    this.quality = opts.quality ?? newSourceQualityTracker(this.config);
  }

  /** Configured weight x current quality. */
  scoreOf(source: string): number {
    return this.weightOf(source) * this.quality.quality(source);
  }

  weightOf(source: string): number {
    return this.config.sourceWeights[source] ?? this.config.defaultWeight;
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

  stats(): FusionStats {
    return { ...this.counters, vessels: this.vessels.size };
  }

  /**
   * Decides what to do with one position report. `watermarkMs` is the newest event time the
   * pipeline has seen (not the wall clock); a watermark that is not finite, or goes backwards,
   * is ignored so one bad caller value cannot make everything late.
   */
  offer(msg: PositionReport, watermarkMs: number): FusionDecision {
    this.counters.offered++;
    const invalid = invalidReason(msg);
    if (invalid !== null) {
      const evidence: EvidenceKind[] = invalid.detail === 'bad_position' ? ['out_of_range'] : [];
      if (evidence.length > 0 && typeof msg.source === 'string') this.quality.record(msg.source, evidence);
      this.counters.rejectedInvalid++;
      return {
        kind: 'rejected_invalid',
        reason: invalid.reason,
        score: typeof msg.source === 'string' ? this.scoreOf(msg.source) : 0,
        rowTs: Number.NaN,
        row: null,
        movesLive: false,
        evidence,
      };
    }
    this.advanceWatermark(watermarkMs);
    const wm = this.watermark;
    const cfg = this.config;
    const vessel = this.touch(msg.mmsi, Math.max(wm, msg.ts));
    const fix: Fix = { ts: msg.ts, lat: msg.lat, lon: msg.lon, sog: finiteOrNull(msg.sog), cog: finiteOrNull(msg.cog), source: msg.source };

    const ownPrev = vessel.own.get(msg.source);
    const peers: Peer[] = [];
    for (const [src, f] of vessel.own) {
      if (src !== msg.source && Math.abs(f.ts - fix.ts) <= cfg.peerHorizonMs) peers.push({ fix: f, score: this.scoreOf(src) });
    }
    // A receive time (input without times) says nothing about motion: judging the source by it
    // would demote every receiver of a replayed time-less file. No evidence, no contradiction.
    const verdict = msg.timeFromReceipt === true ? NO_VERDICT : assessTrack(fix, this.scoreOf(msg.source), ownPrev, peers, vessel.live, cfg);
    const quality = this.quality.record(msg.source, verdict.evidence);
    const score = this.weightOf(msg.source) * quality;
    this.rememberOwnFix(vessel, fix, ownPrev);

    // Nor can two receipt-timed reports be told to be one transmission by their times.
    const dup = msg.timeFromReceipt === true ? null : this.findDuplicate(vessel, fix);
    if (dup !== null) {
      if (score > dup.score) {
        dup.source = msg.source;
        dup.score = score;
        this.counters.upgrade++;
        const movesLive = dup === vessel.live;
        return this.decision('upgrade', 'better_duplicate', msg, score, dup.ts, movesLive, verdict.evidence);
      }
      this.counters.duplicate++;
      return { kind: 'duplicate', reason: 'duplicate', score, rowTs: dup.ts, row: null, movesLive: false, evidence: verdict.evidence };
    }

    if (wm - msg.ts > cfg.latenessMs) {
      this.addGroup(vessel, fix, msg.source, score);
      this.counters.history++;
      this.counters.late++;
      return this.decision('history', 'late', msg, score, msg.ts, false, verdict.evidence);
    }
    if (vessel.live !== null && msg.ts <= vessel.live.ts) {
      this.addGroup(vessel, fix, msg.source, score);
      this.counters.history++;
      return this.decision('history', 'older_than_live', msg, score, msg.ts, false, verdict.evidence);
    }
    if (verdict.contradicted) {
      if (quality < cfg.demotionThreshold) {
        this.counters.rejectedImplausible++;
        return { kind: 'rejected_implausible', reason: 'contradicts_track', score, rowTs: Number.NaN, row: null, movesLive: false, evidence: verdict.evidence };
      }
      this.addGroup(vessel, fix, msg.source, score);
      this.counters.history++;
      return this.decision('history', 'contradicts_track', msg, score, msg.ts, false, verdict.evidence);
    }
    vessel.live = this.addGroup(vessel, fix, msg.source, score);
    this.counters.live++;
    return this.decision('live', 'newest', msg, score, msg.ts, true, verdict.evidence);
  }

  /**
   * Forgets what event time has made useless: window entries older than the retention, and
   * vessels idle for `vesselIdleMs`. Returns the number of vessels evicted.
   */
  prune(watermarkMs: number): number {
    this.advanceWatermark(watermarkMs);
    const wm = this.watermark;
    if (!Number.isFinite(wm)) return 0;
    const idleCutoff = wm - this.config.vesselIdleMs;
    const groupCutoff = wm - this.config.windowRetentionMs;
    let evicted = 0;
    for (const [mmsi, v] of this.vessels) {
      if (v.lastActivity < idleCutoff) {
        this.vessels.delete(mmsi);
        evicted++;
        continue;
      }
      let drop = 0;
      while (drop < v.groups.length && (v.groups[drop]?.ts ?? Number.POSITIVE_INFINITY) < groupCutoff) drop++;
      if (drop > 0) v.groups.splice(0, drop);
    }
    this.counters.vesselsEvictedIdle += evicted;
    return evicted;
  }

  /** Live report time of a vessel, or null when the engine holds no live state for it. */
  liveTs(mmsi: number): number | null {
    return this.vessels.get(mmsi)?.live?.ts ?? null;
  }

  /** Accepted reports remembered for a vessel (0 when unknown): for tests and diagnostics. */
  windowSize(mmsi: number): number {
    return this.vessels.get(mmsi)?.groups.length ?? 0;
  }

  private advanceWatermark(watermarkMs: number): void {
    if (Number.isFinite(watermarkMs) && watermarkMs > this.watermark) this.watermark = watermarkMs;
  }

  private touch(mmsi: number, activity: number): VesselState {
    let v = this.vessels.get(mmsi);
    if (v !== undefined) {
      this.vessels.delete(mmsi);
    } else {
      if (this.vessels.size >= this.config.maxVessels) {
        const oldest = this.vessels.keys().next();
        if (oldest.done !== true) {
          this.vessels.delete(oldest.value);
          this.counters.vesselsEvictedCap++;
        }
      }
      v = { live: null, groups: [], own: new Map(), lastActivity: activity };
    }
    this.vessels.set(mmsi, v);
    if (activity > v.lastActivity) v.lastActivity = activity;
    return v;
  }

  private rememberOwnFix(v: VesselState, fix: Fix, prev: Fix | undefined): void {
    // A late report must not replace the source's newest fix: own-track checks compare with it.
    if (prev !== undefined && prev.ts > fix.ts) return;
    if (prev !== undefined) v.own.delete(fix.source);
    else if (v.own.size >= this.config.maxSourcesPerVessel) {
      const oldest = v.own.keys().next();
      if (oldest.done !== true) v.own.delete(oldest.value);
    }
    v.own.set(fix.source, fix);
  }

  /** The group closest in time within both tolerances, if any. */
  private findDuplicate(v: VesselState, fix: Fix): Group | null {
    let best: Group | null = null;
    let bestDt = Number.POSITIVE_INFINITY;
    for (const g of v.groups) {
      const dt = Math.abs(g.ts - fix.ts);
      if (dt > this.config.duplicateTimeToleranceMs || dt >= bestDt) continue;
      if (distanceM(g.lat, g.lon, fix.lat, fix.lon) > this.config.duplicateDistanceM) continue;
      best = g;
      bestDt = dt;
    }
    return best;
  }

  private addGroup(v: VesselState, fix: Fix, source: string, score: number): Group {
    const g: Group = { ts: fix.ts, lat: fix.lat, lon: fix.lon, sog: fix.sog, cog: fix.cog, source, score };
    let i = v.groups.length;
    while (i > 0 && (v.groups[i - 1]?.ts ?? Number.NEGATIVE_INFINITY) > g.ts) i--;
    v.groups.splice(i, 0, g);
    if (v.groups.length > this.config.maxReportsPerVessel) {
      // Drop the oldest entry that is not the live one: live state must stay known.
      const victim = v.groups[0] === v.live ? 1 : 0;
      v.groups.splice(victim, 1);
      this.counters.windowEvictions++;
    }
    return g;
  }

  private decision(
    kind: 'live' | 'history' | 'upgrade',
    reason: FusionReason,
    msg: PositionReport,
    score: number,
    rowTs: number,
    movesLive: boolean,
    evidence: readonly EvidenceKind[],
  ): FusionDecision {
    const row: FusedPosition = {
      mmsi: msg.mmsi,
      ts: rowTs,
      lat: msg.lat,
      lon: msg.lon,
      sog: finiteOrNull(msg.sog),
      cog: finiteOrNull(msg.cog),
      heading: finiteOrNull(msg.heading),
      navStatus: finiteOrNull(msg.navStatus),
      source: msg.source,
      score,
    };
    return { kind, reason, score, rowTs, row, movesLive, evidence };
  }
}
