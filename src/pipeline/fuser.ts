import type { PositionReport } from '../normalize/message.js';

/** The fusion decision the pipeline needs: what to write, at which row time, with which score. */
export interface FuseResult {
  readonly kind: 'live' | 'history' | 'upgrade' | 'duplicate';
  readonly score: number;
  /** Row time: duplicates across receivers collapse onto the kept report's time. */
  readonly rowTs: number;
}

/** The pipeline's view of fusion; decisions are synchronous, hence atomic per vessel. */
export interface Fuser {
  decide(msg: PositionReport, watermarkMs: number): FuseResult;
  prune(watermarkMs: number): void;
  sourceQuality(): Readonly<Record<string, number>>;
}
