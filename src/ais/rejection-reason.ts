/**
 * Why input was refused before reaching the stores, every reason in one list. Stable strings:
 * they are metric labels. The list lives at the bottom layer because the decoder's statistics
 * count every reason (`aisctl decode` counts over-long lines too), and the type is derived from
 * it, so a reason added here is counted everywhere and one missing from it cannot compile.
 */

/** The reasons the decoder itself produces. */
export const DECODE_REJECTION_REASONS = [
  // NMEA framing, tag blocks, fragments, payloads
  'bad_checksum',
  'bad_tag_block',
  'malformed_sentence',
  'bad_fragment_sequence',
  'fragment_evicted',
  'payload_too_short',
  'bad_fill_bits',
  'bad_payload_char',
  'unknown_type',
] as const;

export const REJECTION_REASONS = [
  ...DECODE_REJECTION_REASONS,
  // record formats (CSV/JSON), and lines over --max-line-length in any format
  'malformed_record',
  'missing_field',
  'line_too_long',
  // validation
  'bad_time',
  'time_before_1990',
  'time_in_future',
  'bad_mmsi',
  'position_out_of_range',
  'position_not_available',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];
