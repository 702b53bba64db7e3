/**
 * The fields of a decoded AIS message that normalization reads, as one structural type. The
 * AisMessage union (src/ais/types.ts) is assignable to it; reading through it avoids narrowing
 * the 27-member union at every field.
 */
export interface AisMessageLike {
  readonly type: number;
  readonly mmsi: number;
  readonly navStatus?: number | null;
  readonly sog?: number | null;
  readonly lon?: number | null;
  readonly lat?: number | null;
  readonly cog?: number | null;
  readonly heading?: number | null;
  readonly shipName?: string | null;
  readonly callsign?: string | null;
  readonly imo?: number | null;
  readonly shipType?: number | null;
  readonly toBow?: number | null;
  readonly toStern?: number | null;
  readonly toPort?: number | null;
  readonly toStarboard?: number | null;
  readonly draught?: number | null;
  readonly destination?: string | null;
  /** Type 24: 0 = part A (name), 1 = part B (type, callsign, dimensions), null = merged A+B. */
  readonly partNo?: number | null;
}
