/**
 * The one message model every input format is normalized into. Plain data: the pipeline,
 * fusion and the stores all speak this, whatever the source (NMEA, JSON, CSV, generator).
 *
 * Units: time in milliseconds since the Unix epoch (UTC); lat/lon in decimal degrees (WGS84);
 * sog in knots; cog and heading in degrees. "Not available" is always null, never a sentinel
 * such as 91/181/102.3/360/511.
 */
import type { RejectionReason } from '../ais/rejection-reason.js';

/** Where a message came from, so counts and errors can name file and line. */
export interface Origin {
  /** File path, `-` for stdin, `http`, `generator`, ... */
  readonly file: string;
  /** 1-based line (or CSV row / JSON record) number within `file`; 0 when not line-oriented. */
  readonly line: number;
}

/** A position fix as every layer carries it: when, where and how the vessel moved (null: not known). */
export interface PositionFields {
  /** Event time of the fix (ms since epoch). */
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | null;
  readonly cog: number | null;
  readonly heading: number | null;
  /** ITU navigational status 0..15, null when not available (15) or not carried (class B). */
  readonly navStatus: number | null;
}

export interface PositionReport extends PositionFields {
  readonly kind: 'position';
  readonly mmsi: number;
  /** Logical source (receiver network / station / feed name) used for fusion weights. */
  readonly source: string;
  /** AIS message type it came from (1,2,3,4,9,18,19,21,27), or 0 for non-NMEA feeds. */
  readonly msgType: number;
  readonly origin: Origin;
  /**
   * True when the input carried no time and `ts` is when aisctl read the line. Such times say
   * nothing about the vessel's motion (a file replays minutes of traffic in milliseconds), so
   * fusion draws no track evidence from them.
   */
  readonly timeFromReceipt?: boolean;
}

/** A vessel's static and voyage data, as every layer carries it (null: not known). */
export interface VesselStaticFields {
  readonly name: string | null;
  readonly callsign: string | null;
  readonly imo: number | null;
  readonly shipType: number | null;
  readonly toBow: number | null;
  readonly toStern: number | null;
  readonly toPort: number | null;
  readonly toStarboard: number | null;
  /** Metres. */
  readonly draught: number | null;
  readonly destination: string | null;
}

export interface StaticReport extends VesselStaticFields {
  readonly kind: 'static';
  readonly mmsi: number;
  readonly ts: number;
  /**
   * Overall length and beam in metres, from feeds (MarineCadastre, DMA, AISHub) that give them
   * directly; A+B and C+D otherwise. Optional: absent when the feed does not carry them.
   */
  readonly length?: number | null;
  readonly width?: number | null;
  readonly source: string;
  readonly msgType: number;
  readonly origin: Origin;
}

export type NormalizedMessage = PositionReport | StaticReport;

/** Why a message was refused before reaching the stores (the list is src/ais/rejection-reason.ts). */
export type { RejectionReason };

export interface Rejection {
  readonly reason: RejectionReason;
  /** Human-readable detail: what exactly was wrong. */
  readonly detail: string;
  readonly origin: Origin;
}
