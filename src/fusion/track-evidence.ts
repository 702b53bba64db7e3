/**
 * Plausibility of one fix against the vessel's track: the source's own previous fix and the
 * latest fixes of other sources ("peers", which together are the fused track). Pure geometry and
 * arithmetic over plain fixes.
 */
import { deadReckon, distanceM, METRES_PER_SECOND_PER_KNOT } from './geo-distance.js';
import type { EvidenceKind } from './source-quality.js';

export interface Fix {
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  /** Knots, null when unknown. */
  readonly sog: number | null;
  /** Degrees true, null when unknown. */
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
  readonly evidence: EvidenceKind[];
  /**
   * The fused track says this fix cannot be right: it must not move live state. True when
   * disagreeing peers outweigh agreeing ones plus the reporter itself, or when the fix jumps
   * from both its own previous fix and the live fix with no peer to vouch for it.
   */
  readonly contradicted: boolean;
}

/**
 * The distance covered between two fixes exceeds what `maxSpeedKn` allows. The slack keeps tiny
 * (or zero) time deltas from turning metres of GPS noise into hundreds of knots.
 */
export function isJump(a: Fix, b: Fix, limits: PlausibilityLimits): boolean {
  const dtS = Math.abs(b.ts - a.ts) / 1000;
  const allowed = limits.jumpSlackM + limits.maxSpeedKn * METRES_PER_SECOND_PER_KNOT * dtS;
  return distanceM(a.lat, a.lon, b.lat, b.lon) > allowed;
}

/**
 * A near-simultaneous peer, moved along its own course and speed to this fix's time, is further
 * away than the tolerance. Without the peer's speed and course nothing can be said.
 */
export function disagrees(peer: Fix, fix: Fix, limits: PlausibilityLimits): boolean {
  const dtMs = fix.ts - peer.ts;
  if (Math.abs(dtMs) > limits.deadReckoningWindowMs) return false;
  if (peer.sog === null || peer.cog === null || !Number.isFinite(peer.sog) || !Number.isFinite(peer.cog)) return false;
  const travelled = peer.sog * METRES_PER_SECOND_PER_KNOT * (dtMs / 1000);
  const expected = deadReckon(peer.lat, peer.lon, peer.cog, travelled);
  return distanceM(expected.lat, expected.lon, fix.lat, fix.lon) > limits.disagreementM;
}

export function assessTrack(
  fix: Fix,
  selfScore: number,
  ownPrev: Fix | undefined,
  peers: readonly Peer[],
  live: Fix | null,
  limits: PlausibilityLimits,
): TrackVerdict {
  const evidence: EvidenceKind[] = [];
  const ownJump = ownPrev !== undefined && isJump(ownPrev, fix, limits);
  if (ownJump) evidence.push('own_jump');

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
  const peerBad = disagreeWeight > agreeWeight;
  if (peerBad) evidence.push(jumpVotes >= disagreeVotes ? 'track_jump' : 'disagreement');
  // A fix is vouched for only when nothing spoke against it; with a tie between peers there is
  // no evidence either way (two sources cannot outvote each other).
  const checked = ownPrev !== undefined || peers.length > 0;
  if (checked && !ownJump && !peerBad && disagreeWeight === 0) evidence.push('consistent');

  const contradicted = peerBad || (ownJump && agreeing === 0 && live !== null && isJump(live, fix, limits));
  return { evidence, contradicted };
}
