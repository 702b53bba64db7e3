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
import type { FusionDecision, FusionReason } from './fusion-decision.js';
import { nearDistanceM } from './geo-distance.js';
import { FIX_LAT, FIX_LON, FIX_STRIDE, FIX_TS, FixSlab, emptyFix, readFix, type MutableFix } from './fix-slab.js';
import { FusedRows } from './fused-rows.js';
import { finiteOrNaN } from './nan-unknown.js';
import { evictOldest, insertEntry, refreshEntry } from './recency-map.js';
import { SourceQualityTracker, type EvidenceCounts, type EvidenceKind } from './source-quality.js';
import { assessTrackAmong, NO_VERDICT, type Fix } from './track-evidence.js';

const OUT_OF_RANGE: readonly EvidenceKind[] = Object.freeze(['out_of_range'] as EvidenceKind[]);
const NO_EVIDENCE: readonly EvidenceKind[] = Object.freeze([]);

/**
 * An accepted report (or the first of a duplicate group), the unit of duplicate detection, is a
 * slot of the engine's FixSlab: ts, position, motion, and the source and score of the best
 * report of the group so far (upgrades rewrite those two).
 */
type GroupSlot = number;
const NO_GROUP: GroupSlot = -1;

interface VesselState {
  /** The report hot state holds (NO_GROUP: none yet); only ever replaced by a strictly newer one. */
  live: GroupSlot;
  /**
   * Whether `live` is still in `groups`. A window drops its oldest groups but never forgets the
   * live one: then the vessel alone holds that slot, and frees it when live moves on.
   */
  liveInWindow: boolean;
  /** Accepted groups sorted by ts ascending, bounded by maxReportsPerVessel. */
  groups: GroupSlot[];
  /**
   * ts of groups[0] (+Infinity when empty), kept beside `lastActivity` so that prune decides
   * from this object alone whether a vessel has anything to drop: reading each vessel's group
   * array cost prune two more cache misses per vessel (~1 µs per vessel, measured).
   */
  oldestTs: number;
  /** Latest fix per source (a FixSlab slot), for own-track checks and as peers of other sources. */
  readonly own: Map<string, number>;
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

/**
 * Drops, in place, the groups older than `cutoff` (a prefix: groups are sorted by ts) and frees
 * their slots; not the live group's, which the vessel still holds.
 */
function dropOlderThan(v: VesselState, cutoff: number, slab: FixSlab): void {
  const groups = v.groups;
  const d = slab.records;
  let drop = 0;
  while (drop < groups.length && (d[(groups[drop] as GroupSlot) * FIX_STRIDE + FIX_TS] as number) < cutoff) {
    const g = groups[drop] as GroupSlot;
    if (g === v.live) v.liveInWindow = false;
    else slab.release(g);
    drop++;
  }
  // By hand: splice (an array of removed entries per call) and copyWithin (a generic builtin,
  // slow on short arrays) both showed in profiles.
  if (drop > 0) {
    const keep = groups.length - drop;
    for (let i = 0; i < keep; i++) groups[i] = groups[i + drop] as GroupSlot;
    groups.length = keep;
  }
  v.oldestTs = groups.length === 0 ? Number.POSITIVE_INFINITY : (d[(groups[0] as GroupSlot) * FIX_STRIDE + FIX_TS] as number);
}

/** Frees every slot a vessel holds, when the engine forgets the vessel. */
function releaseVessel(v: VesselState, slab: FixSlab): void {
  for (const g of v.groups) slab.release(g);
  for (const f of v.own.values()) slab.release(f);
  v.own.clear();
  if (v.live !== NO_GROUP && !v.liveInWindow) slab.release(v.live);
  v.groups.length = 0;
  v.live = NO_GROUP;
}

export class FusionEngine {
  readonly config: FusionConfig;
  private readonly quality: SourceQualityTracker;
  // Map order is recency order (recency-map.ts): the first key is the vessel to evict at the cap.
  private readonly vessels = new Map<number, VesselState>();
  private watermark = Number.NEGATIVE_INFINITY;
  /** Every vessel's window groups and latest fix per source. */
  private readonly slab = new FixSlab();
  /** The rows of the decisions that write one. */
  private readonly rows = new FusedRows();
  /** The report being offered, as a fix: copied into the vessel's own map only when kept. */
  private readonly current: MutableFix = emptyFix();
  /** The vessel's live group as a fix, for the track checks (read from the slab per report). */
  private readonly liveFix: MutableFix = emptyFix();
  /** The vessel's latest fix per source, read from the slab for the track checks (grown, reused). */
  private readonly fixes: MutableFix[] = [];
  /** Index in `fixes` of the reporting source's own fix, -1 when it has none (see readFixes). */
  private ownAt = -1;
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

  /**
   * sourceWeights as a Map, read for every report: a keyed load of an arbitrary name on a plain
   * object went megamorphic (and walked the prototype chain on a miss, so a source named
   * "constructor" got Object.prototype's function as its weight and a NaN score).
   */
  private readonly weights: ReadonlyMap<string, number>;

  constructor(opts: FusionEngineOptions = {}) {
    this.config = resolveFusionConfig(opts.config);
    this.weights = new Map(Object.entries(this.config.sourceWeights));
    this.quality = opts.quality ?? newSourceQualityTracker(this.config);
  }

  /** One copy of each source name (bounded like the quality tracker's sources). */
  private readonly sourceNames = new Map<string, string>();

  private sourceName(name: string): string {
    const known = this.sourceNames.get(name);
    if (known !== undefined) return known;
    if (this.sourceNames.size < this.config.maxSources) this.sourceNames.set(name, name);
    return name;
  }

  /** `scoreOf` bound once, for assessTrackAmong (no closure per report). */
  private readonly scoreOfSource = (source: string): number => this.scoreOf(source);

  /** Configured weight x current quality. */
  scoreOf(source: string): number {
    return this.weightOf(source) * this.quality.quality(source);
  }

  weightOf(source: string): number {
    return this.weights.get(source) ?? this.config.defaultWeight;
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
      const evidence = invalid.detail === 'bad_position' ? OUT_OF_RANGE : NO_EVIDENCE;
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
    const fix = this.current;
    fix.ts = msg.ts;
    fix.lat = msg.lat;
    fix.lon = msg.lon;
    fix.sog = finiteOrNaN(msg.sog);
    fix.cog = finiteOrNaN(msg.cog);
    // The engine's copy of the name: kept in long-lived groups and fixes, a new string per parsed
    // line would be an old-to-young pointer per report.
    const source = this.sourceName(msg.source);
    fix.source = source;

    const ownSlot = vessel.own.get(source);
    // A receive time (input without times) says nothing about motion: judging the source by it
    // would demote every receiver of a replayed time-less file. No evidence, no contradiction.
    // Peers (other sources' latest fixes within peerHorizonMs) are copied from the slab into
    // the engine's reused fix objects and scored only when one disagrees: no peer list or fix
    // object per report (see assessTrackAmong).
    let verdict = NO_VERDICT;
    if (msg.timeFromReceipt !== true) {
      const count = this.readFixes(vessel, ownSlot);
      const ownPrev = this.ownAt < 0 ? undefined : this.fixes[this.ownAt];
      verdict = assessTrackAmong(fix, this.scoreOf(source), ownPrev, this.fixes, count, cfg.peerHorizonMs, this.scoreOfSource, this.liveFixOf(vessel), cfg);
    }
    const quality = this.quality.record(source, verdict.evidence);
    const score = this.weightOf(source) * quality;
    this.rememberOwnFix(vessel, fix, ownSlot);

    // Nor can two receipt-timed reports be told to be one transmission by their times.
    const slab = this.slab;
    const dup = msg.timeFromReceipt === true ? NO_GROUP : this.findDuplicate(vessel, fix);
    if (dup !== NO_GROUP) {
      if (score > slab.score(dup)) {
        slab.rescore(dup, source, score);
        this.counters.upgrade++;
        const movesLive = dup === vessel.live;
        return this.decision('upgrade', 'better_duplicate', msg, source, score, slab.ts(dup), movesLive, verdict.evidence);
      }
      this.counters.duplicate++;
      return { kind: 'duplicate', reason: 'duplicate', score, rowTs: slab.ts(dup), row: null, movesLive: false, evidence: verdict.evidence };
    }

    if (wm - msg.ts > cfg.latenessMs) {
      this.addGroup(vessel, fix, score, false);
      this.counters.history++;
      this.counters.late++;
      return this.decision('history', 'late', msg, source, score, msg.ts, false, verdict.evidence);
    }
    if (vessel.live !== NO_GROUP && msg.ts <= slab.ts(vessel.live)) {
      this.addGroup(vessel, fix, score, false);
      this.counters.history++;
      return this.decision('history', 'older_than_live', msg, source, score, msg.ts, false, verdict.evidence);
    }
    if (verdict.contradicted) {
      if (quality < cfg.demotionThreshold) {
        this.counters.rejectedImplausible++;
        return { kind: 'rejected_implausible', reason: 'contradicts_track', score, rowTs: Number.NaN, row: null, movesLive: false, evidence: verdict.evidence };
      }
      this.addGroup(vessel, fix, score, false);
      this.counters.history++;
      return this.decision('history', 'contradicts_track', msg, source, score, msg.ts, false, verdict.evidence);
    }
    this.addGroup(vessel, fix, score, true);
    this.counters.live++;
    return this.decision('live', 'newest', msg, source, score, msg.ts, true, verdict.evidence);
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
    const slab = this.slab;
    const vessels = this.vessels;
    // forEach, not for-of over entries: that built a [key, value] array per vessel per prune
    // (57 bytes a vessel, 2 % of the bulk ingest allocations). Deleting the entry being visited
    // is allowed in both.
    vessels.forEach((v, mmsi) => {
      if (v.lastActivity < idleCutoff) {
        releaseVessel(v, slab);
        vessels.delete(mmsi);
        evicted++;
      } else if (v.oldestTs < groupCutoff) dropOlderThan(v, groupCutoff, slab);
    });
    this.counters.vesselsEvictedIdle += evicted;
    return evicted;
  }

  /** Live report time of a vessel, or null when the engine holds no live state for it. */
  liveTs(mmsi: number): number | null {
    const v = this.vessels.get(mmsi);
    return v === undefined || v.live === NO_GROUP ? null : this.slab.ts(v.live);
  }

  /** Fix slots held over all vessels: window groups (live ones a window dropped included) and latest fixes per source. For tests. */
  slotsHeld(): number {
    return this.slab.size;
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
      refreshEntry(this.vessels, mmsi, v, this.config.maxVessels);
    } else {
      v = { live: NO_GROUP, liveInWindow: false, groups: [], own: new Map(), lastActivity: activity, oldestTs: Number.POSITIVE_INFINITY };
      // The vessel the cap evicts gives its slots back first (insertEntry then evicts nothing).
      if (this.vessels.size >= this.config.maxVessels) {
        const evicted = evictOldest(this.vessels);
        if (evicted !== undefined) {
          releaseVessel(evicted, this.slab);
          this.counters.vesselsEvictedCap++;
        }
      }
      insertEntry(this.vessels, mmsi, v, this.config.maxVessels);
    }
    if (activity > v.lastActivity) v.lastActivity = activity;
    return v;
  }

  private rememberOwnFix(v: VesselState, fix: MutableFix, prev: number | undefined): void {
    const slab = this.slab;
    const cap = this.config.maxSourcesPerVessel;
    if (prev === undefined) {
      // At the cap, the least recently heard source's fix gives its slot back first.
      if (v.own.size >= cap) {
        const evicted = evictOldest(v.own);
        if (evicted !== undefined) slab.release(evicted);
      }
      insertEntry(v.own, fix.source, slab.alloc(fix, Number.NaN), cap);
      return;
    }
    // A late report must not replace the source's newest fix: own-track checks compare with it.
    if (slab.ts(prev) > fix.ts) return;
    slab.set(prev, fix, Number.NaN);
    refreshEntry(v.own, fix.source, prev, cap);
  }

  /**
   * Copies the vessel's latest fix per source into `fixes`, in the map's order, and returns how
   * many; `ownAt` is where the reporting source's own (slot `ownSlot`) landed, or -1.
   */
  private readFixes(v: VesselState, ownSlot: number | undefined): number {
    const fixes = this.fixes;
    let n = 0;
    this.ownAt = -1;
    for (const slot of v.own.values()) {
      if (n === fixes.length) fixes.push(emptyFix());
      readFix(this.slab, slot, fixes[n] as MutableFix);
      if (slot === ownSlot) this.ownAt = n;
      n++;
    }
    return n;
  }

  /**
   * The group closest in time within both tolerances, if any; of equally close ones, the first
   * in the window. Groups are sorted by ts, so the scan runs from the newest and stops at the
   * first group older than the tolerance: a report is compared with the two or three groups
   * near its time instead of the whole window.
   */
  private findDuplicate(v: VesselState, fix: Fix): GroupSlot {
    const tol = this.config.duplicateTimeToleranceMs;
    const d = this.slab.records;
    const groups = v.groups;
    let best = NO_GROUP;
    let bestDt = Number.POSITIVE_INFINITY;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i] as GroupSlot;
      const at = g * FIX_STRIDE;
      const ts = d[at + FIX_TS] as number;
      if (fix.ts - ts > tol) break;
      const dt = Math.abs(ts - fix.ts);
      // `>`, not `>=`: scanning backwards, an equally close earlier group replaces a later one.
      if (dt > tol || dt > bestDt) continue;
      if (nearDistanceM(d[at + FIX_LAT] as number, d[at + FIX_LON] as number, fix.lat, fix.lon) > this.config.duplicateDistanceM) continue;
      best = g;
      bestDt = dt;
    }
    return best;
  }

  /** The vessel's live group as a fix (one reused object), or null without one. */
  private liveFixOf(v: VesselState): Fix | null {
    return v.live === NO_GROUP ? null : readFix(this.slab, v.live, this.liveFix);
  }

  /** Adds the report to the vessel's window; with `live`, it becomes the vessel's live group. */
  private addGroup(v: VesselState, fix: MutableFix, score: number, live: boolean): void {
    const slab = this.slab;
    // Expire here what prune would drop, while the vessel is in cache anyway: most vessels then
    // have nothing left for prune, which only reads `oldestTs`. Same cutoff as prune's.
    const cutoff = this.watermark - this.config.windowRetentionMs;
    if (v.oldestTs < cutoff) dropOlderThan(v, cutoff, slab);
    const g = slab.alloc(fix, score);
    const groups = v.groups;
    // After the alloc, which may have replaced the records.
    const d = slab.records;
    let i = groups.length;
    while (i > 0 && (d[(groups[i - 1] as GroupSlot) * FIX_STRIDE + FIX_TS] as number) > fix.ts) i--;
    // In-order reports (nearly all) append; splice only for the late ones.
    if (i === groups.length) groups.push(g);
    else groups.splice(i, 0, g);
    let inWindow = true;
    if (groups.length > this.config.maxReportsPerVessel) {
      // Drop the oldest entry that is not the live one: live state must stay known.
      const victim = groups[0] === v.live ? 1 : 0;
      const dropped = groups[victim] as GroupSlot;
      groups.splice(victim, 1);
      // The new group itself (a window of one, or a late report) stays only if it becomes live.
      if (dropped === g) inWindow = false;
      if (dropped !== g || !live) slab.release(dropped);
      this.counters.windowEvictions++;
    }
    v.oldestTs = groups.length === 0 ? Number.POSITIVE_INFINITY : (d[(groups[0] as GroupSlot) * FIX_STRIDE + FIX_TS] as number);
    if (live) {
      if (v.live !== NO_GROUP && !v.liveInWindow) slab.release(v.live);
      v.live = g;
      v.liveInWindow = inWindow;
    }
  }

  private decision(
    kind: 'live' | 'history' | 'upgrade',
    reason: FusionReason,
    msg: PositionReport,
    source: string,
    score: number,
    rowTs: number,
    movesLive: boolean,
    evidence: readonly EvidenceKind[],
  ): FusionDecision {
    return { kind, reason, score, rowTs, row: this.rows.row(msg, source, rowTs, score), movesLive, evidence };
  }
}
