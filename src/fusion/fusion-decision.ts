import type { PositionFields } from '../normalize/message.js';
import type { EvidenceKind } from './source-quality.js';

/**
 * - `live`: newest report of the vessel: write a history row and move hot state forward.
 * - `history`: write a history row only (older than live state, too late, or contradicted by the
 *   fused track while its source is still trusted); never moves live state.
 * - `upgrade`: a better-scoring duplicate of an accepted report: rewrite that row's source/score
 *   (at `rowTs`, the kept report's time); moves hot state only if that row is the live one.
 * - `duplicate`: the same transmission again with a score that is not better: dropped.
 * - `rejected_implausible`: contradicted by the fused track and from a demoted source: dropped.
 * - `rejected_invalid`: time, MMSI or position unusable: dropped (normalize should have caught it).
 */
export type FusionDecisionKind = 'live' | 'history' | 'upgrade' | 'duplicate' | 'rejected_implausible' | 'rejected_invalid';

export const FUSION_DECISION_KINDS: readonly FusionDecisionKind[] = ['live', 'history', 'upgrade', 'duplicate', 'rejected_implausible', 'rejected_invalid'];

/** Why that decision. Stable strings. */
export type FusionReason =
  'newest' | 'older_than_live' | 'late' | 'contradicts_track' | 'better_duplicate' | 'duplicate' | 'bad_time' | 'bad_mmsi' | 'bad_position';

/** Structurally a store `PositionRow` (fusion imports nothing but normalize). */
export interface FusedPosition extends PositionFields {
  readonly mmsi: number;
  readonly source: string;
  readonly score: number;
}

export interface FusionDecision {
  readonly kind: FusionDecisionKind;
  readonly reason: FusionReason;
  /** sourceWeight(source) x sourceQuality(source), quality after this report's evidence. */
  readonly score: number;
  /** Row time: for a duplicate group, the time of the report kept first; NaN when rejected. */
  readonly rowTs: number;
  /** The row to write to history (live, history, upgrade), else null. */
  readonly row: FusedPosition | null;
  /** Whether hot state should take `row` (live, or an upgrade of the live row). */
  readonly movesLive: boolean;
  /** Evidence this report gave about its source. */
  readonly evidence: readonly EvidenceKind[];
}
