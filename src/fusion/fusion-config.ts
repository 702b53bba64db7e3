/**
 * Fusion tuning. Every limit is in base units (ms, metres, knots) and every default is chosen for
 * real AIS: reports of one transmission heard by several receivers differ by receiver clock
 * (sub-second to a second or two) and not at all in position (the payload is the same bits).
 */
export interface FusionConfig {
  /** A report older than `watermark - latenessMs` is history only, whatever the vessel's state. */
  readonly latenessMs: number;
  /** Two reports of one vessel closer than this in time (and `duplicateDistanceM` in space) are one transmission. */
  readonly duplicateTimeToleranceMs: number;
  readonly duplicateDistanceM: number;
  /** How long accepted reports stay in a vessel's window for duplicate detection (event time). */
  readonly windowRetentionMs: number;
  /** Bound on accepted reports remembered per vessel. */
  readonly maxReportsPerVessel: number;
  /** Bound on vessels per engine (lane); the least recently offered vessel is evicted first. */
  readonly maxVessels: number;
  /** A vessel with no report for this long (event time) is forgotten by `prune`. */
  readonly vesselIdleMs: number;
  /** Bound on distinct sources remembered per vessel for own-track checks. */
  readonly maxSourcesPerVessel: number;

  /** Configured trust per source name; sources not listed get `defaultWeight`. */
  readonly sourceWeights: Readonly<Record<string, number>>;
  readonly defaultWeight: number;

  /** EWMA smoothing: quality = (1 - alpha) * quality + alpha * evidence. */
  readonly qualityAlpha: number;
  /** Quality never falls below this, so a demoted source can still be heard when it is alone. */
  readonly qualityFloor: number;
  /** Under this quality a source is demoted: its implausible reports are refused outright. */
  readonly demotionThreshold: number;
  /** Bound on sources tracked for quality (tag-block station names can be many). */
  readonly maxSources: number;

  /** Implied speed above this between two fixes of one vessel is physically implausible. */
  readonly maxSpeedKn: number;
  /**
   * Distance always allowed between two fixes whatever their time delta: GPS noise and
   * one-second timestamps would otherwise make tiny deltas imply absurd speeds.
   */
  readonly jumpSlackM: number;
  /** Other sources' fixes further than this in time from a report are not used as evidence. */
  readonly peerHorizonMs: number;
  /** Peers within this time are dead-reckoned and compared with `disagreementM`. */
  readonly deadReckoningWindowMs: number;
  readonly disagreementM: number;
}

export const DEFAULT_FUSION_CONFIG: FusionConfig = {
  latenessMs: 60_000,
  duplicateTimeToleranceMs: 1_000,
  duplicateDistanceM: 50,
  windowRetentionMs: 120_000,
  maxReportsPerVessel: 32,
  maxVessels: 100_000,
  vesselIdleMs: 15 * 60_000,
  maxSourcesPerVessel: 16,
  sourceWeights: {},
  defaultWeight: 0.7,
  qualityAlpha: 0.1,
  qualityFloor: 0.01,
  demotionThreshold: 0.5,
  maxSources: 10_000,
  maxSpeedKn: 60,
  jumpSlackM: 100,
  peerHorizonMs: 5 * 60_000,
  deadReckoningWindowMs: 30_000,
  disagreementM: 1_000,
};

/** Merges overrides onto the defaults; throws (at construction, not per message) on nonsense. */
export function resolveFusionConfig(overrides: Partial<FusionConfig> = {}): FusionConfig {
  const c: FusionConfig = { ...DEFAULT_FUSION_CONFIG, ...overrides };
  const nonNegative: Array<keyof FusionConfig> = [
    'latenessMs',
    'duplicateTimeToleranceMs',
    'duplicateDistanceM',
    'windowRetentionMs',
    'vesselIdleMs',
    'jumpSlackM',
    'peerHorizonMs',
    'deadReckoningWindowMs',
    'disagreementM',
    'defaultWeight',
    'qualityFloor',
    'demotionThreshold',
  ];
  for (const key of nonNegative) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`fusion config: ${key} must be a finite number >= 0, got ${String(v)}`);
    }
  }
  const positiveInts: Array<keyof FusionConfig> = ['maxReportsPerVessel', 'maxVessels', 'maxSourcesPerVessel', 'maxSources'];
  for (const key of positiveInts) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new Error(`fusion config: ${key} must be an integer >= 1, got ${String(v)}`);
    }
  }
  if (!(c.qualityAlpha > 0 && c.qualityAlpha <= 1)) {
    throw new Error(`fusion config: qualityAlpha must be in (0, 1], got ${c.qualityAlpha}`);
  }
  if (!(c.maxSpeedKn > 0 && Number.isFinite(c.maxSpeedKn))) {
    throw new Error(`fusion config: maxSpeedKn must be > 0, got ${c.maxSpeedKn}`);
  }
  if (c.qualityFloor > 1 || c.demotionThreshold > 1) {
    throw new Error('fusion config: qualityFloor and demotionThreshold must be <= 1');
  }
  for (const [source, w] of Object.entries(c.sourceWeights)) {
    if (!Number.isFinite(w) || w < 0) throw new Error(`fusion config: weight of source "${source}" must be >= 0, got ${w}`);
  }
  if (c.windowRetentionMs < c.duplicateTimeToleranceMs) {
    throw new Error('fusion config: windowRetentionMs must be >= duplicateTimeToleranceMs');
  }
  return c;
}
