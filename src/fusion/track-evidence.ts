/**
 * Plausibility of one fix against the vessel's track: the source's own previous fix and the
 * latest fixes of other sources ("peers", which together are the fused track). Pure geometry and
 * arithmetic over plain fixes.
 */
import { deadReckonInto, nearDistanceM, METRES_PER_SECOND_PER_KNOT, type MutableLatLon } from './geo-distance.js';
import type { EvidenceKind } from './source-quality.js';

export interface Fix {
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  /** Knots, null (or NaN) when unknown. */
  readonly sog: number | null;
  /** Degrees true, null (or NaN) when unknown. */
  readonly cog: number | null;
  readonly source: string;
}

export interface PlausibilityLimits {
  readonly maxSpeedKn: number;
  readonly jumpSlackM: number;
  readonly deadReckoningWindowMs: number;
  readonly disagreementM: number;
}

export interface Peer {
  readonly fix: Fix;
  /** Current score of the peer's source: a trusted peer's word counts for more. */
  readonly score: number;
}

export interface TrackVerdict {
  /** Shared, frozen lists (one per combination of kinds): never mutate them. */
  readonly evidence: readonly EvidenceKind[];
  /**
   * The fused track says this fix cannot be right: it must not move live state. True when
   * disagreeing peers outweigh agreeing ones plus the reporter itself, or when the fix jumps
   * from both its own previous fix and the live fix with no peer to vouch for it.
   */
  readonly contradicted: boolean;
}

// Every possible evidence list is one of these constants: `offer` runs for every position, and a
// fresh array per report was garbage on the per-position path (docs/storage.md, "Ingest CPU per position").
const EV_NONE: readonly EvidenceKind[] = Object.freeze([]);
const EV_CONSISTENT: readonly EvidenceKind[] = Object.freeze(['consistent'] as EvidenceKind[]);
const EV_OWN: readonly EvidenceKind[] = Object.freeze(['own_jump'] as EvidenceKind[]);
const EV_TRACK: readonly EvidenceKind[] = Object.freeze(['track_jump'] as EvidenceKind[]);
const EV_DISAGREE: readonly EvidenceKind[] = Object.freeze(['disagreement'] as EvidenceKind[]);
const EV_OWN_TRACK: readonly EvidenceKind[] = Object.freeze(['own_jump', 'track_jump'] as EvidenceKind[]);
const EV_OWN_DISAGREE: readonly EvidenceKind[] = Object.freeze(['own_jump', 'disagreement'] as EvidenceKind[]);

/** Verdict of a fix that cannot be judged (no times to compare). */
export const NO_VERDICT: TrackVerdict = Object.freeze({ evidence: EV_NONE, contradicted: false });

/**
 * The distance covered between two fixes exceeds what `maxSpeedKn` allows. The slack keeps tiny
 * (or zero) time deltas from turning metres of GPS noise into hundreds of knots.
 */
export function isJump(a: Fix, b: Fix, limits: PlausibilityLimits): boolean {
  const dtS = Math.abs(b.ts - a.ts) / 1000;
  const allowed = limits.jumpSlackM + limits.maxSpeedKn * METRES_PER_SECOND_PER_KNOT * dtS;
  return nearDistanceM(a.lat, a.lon, b.lat, b.lon) > allowed;
}

/**
 * A near-simultaneous peer, moved along its own course and speed to this fix's time, is further
 * away than the tolerance. Without the peer's speed and course nothing can be said.
 */
/** Reused by `disagrees` (synchronous, never re-entered): no result object per peer. */
const scratch: MutableLatLon = { lat: 0, lon: 0 };

export function disagrees(peer: Fix, fix: Fix, limits: PlausibilityLimits): boolean {
  const dtMs = fix.ts - peer.ts;
  if (Math.abs(dtMs) > limits.deadReckoningWindowMs) return false;
  if (peer.sog === null || peer.cog === null || !Number.isFinite(peer.sog) || !Number.isFinite(peer.cog)) return false;
  const travelled = peer.sog * METRES_PER_SECOND_PER_KNOT * (dtMs / 1000);
  const expected = deadReckonInto(peer.lat, peer.lon, peer.cog, travelled, scratch);
  return nearDistanceM(expected.lat, expected.lon, fix.lat, fix.lon) > limits.disagreementM;
}

export function assessTrack(
  fix: Fix,
  selfScore: number,
  ownPrev: Fix | undefined,
  peers: readonly Peer[],
  live: Fix | null,
  limits: PlausibilityLimits,
): TrackVerdict {
  let agreeWeight = selfScore;
  let disagreeWeight = 0;
  let agreeing = 0;
  let jumpVotes = 0;
  let disagreeVotes = 0;
  for (const p of peers) {
    const jump = isJump(p.fix, fix, limits);
    const off = !jump && disagrees(p.fix, fix, limits);
    if (jump || off) {
      disagreeWeight += p.score;
      if (jump) jumpVotes++;
      else disagreeVotes++;
    } else {
      agreeWeight += p.score;
      agreeing++;
    }
  }
  return verdictOf(fix, ownPrev, peers.length > 0, live, limits, agreeWeight, disagreeWeight, agreeing, jumpVotes, disagreeVotes);
}

/**
 * `assessTrack` over a vessel's per-source latest fixes (the first `count` of `fixes`, a list
 * the caller reuses), without building a peer list: peers are the fixes of other sources within
 * `peerHorizonMs` of this one. A peer's score is looked up
 * (`scoreOf`) only when some peer disagrees, because only then can the weights change the
 * verdict (with no disagreeing peer, disagreement weight is exactly 0 and nothing outweighs the
 * reporter). Same verdict as `assessTrack` on the equivalent peer list; `offer` calls this once
 * per position, where the peer arrays and their objects were ~10 % of the fusion allocations.
 */
export function assessTrackAmong(
  fix: Fix,
  selfScore: number,
  ownPrev: Fix | undefined,
  fixes: readonly Fix[],
  count: number,
  peerHorizonMs: number,
  scoreOf: (source: string) => number,
  live: Fix | null,
  limits: PlausibilityLimits,
): TrackVerdict {
  let peers = 0;
  let agreeing = 0;
  let jumpVotes = 0;
  let disagreeVotes = 0;
  for (let i = 0; i < count; i++) {
    const f = fixes[i] as Fix;
    if (f.source === fix.source || Math.abs(f.ts - fix.ts) > peerHorizonMs) continue;
    peers++;
    const jump = isJump(f, fix, limits);
    if (jump) jumpVotes++;
    else if (disagrees(f, fix, limits)) disagreeVotes++;
    else agreeing++;
  }
  let agreeWeight = selfScore;
  let disagreeWeight = 0;
  if (jumpVotes + disagreeVotes > 0) {
    // Rare path: weigh every peer, in the same order and with the same sums as assessTrack.
    for (let i = 0; i < count; i++) {
      const f = fixes[i] as Fix;
      if (f.source === fix.source || Math.abs(f.ts - fix.ts) > peerHorizonMs) continue;
      const score = scoreOf(f.source);
      if (isJump(f, fix, limits) || disagrees(f, fix, limits)) disagreeWeight += score;
      else agreeWeight += score;
    }
  }
  return verdictOf(fix, ownPrev, peers > 0, live, limits, agreeWeight, disagreeWeight, agreeing, jumpVotes, disagreeVotes);
}

function verdictOf(
  fix: Fix,
  ownPrev: Fix | undefined,
  hasPeers: boolean,
  live: Fix | null,
  limits: PlausibilityLimits,
  agreeWeight: number,
  disagreeWeight: number,
  agreeing: number,
  jumpVotes: number,
  disagreeVotes: number,
): TrackVerdict {
  const ownJump = ownPrev !== undefined && isJump(ownPrev, fix, limits);
  const peerBad = disagreeWeight > agreeWeight;
  const peerKind = peerBad ? (jumpVotes >= disagreeVotes ? 'track_jump' : 'disagreement') : null;
  // A fix is vouched for only when nothing spoke against it; with a tie between peers there is
  // no evidence either way (two sources cannot outvote each other).
  const checked = ownPrev !== undefined || hasPeers;
  let evidence: readonly EvidenceKind[];
  if (ownJump) evidence = peerKind === null ? EV_OWN : peerKind === 'track_jump' ? EV_OWN_TRACK : EV_OWN_DISAGREE;
  else if (peerKind !== null) evidence = peerKind === 'track_jump' ? EV_TRACK : EV_DISAGREE;
  else evidence = checked && disagreeWeight === 0 ? EV_CONSISTENT : EV_NONE;
  const contradicted = peerBad || (ownJump && agreeing === 0 && live !== null && isJump(live, fix, limits));
  return { evidence, contradicted };
}
