/**
 * Conversions from transmitted integers to the model's units, shared by the message decoders.
 * Each maps only the standard's exact "not available" code to null; other out-of-range codes
 * stay numbers so that validation can count them instead of them vanishing silently.
 */

/** Longitude in 1/10000 minute (28 bits); 181 degrees = not available. */
export function lon10k(raw: number): number | null {
  return raw === 108600000 ? null : raw / 600000;
}

/** Latitude in 1/10000 minute (27 bits); 91 degrees = not available. */
export function lat10k(raw: number): number | null {
  return raw === 54600000 ? null : raw / 600000;
}

/** Longitude in 1/10 minute (types 17, 22, 23, 27); 181 degrees = not available. */
export function lonTenthMinute(raw: number): number | null {
  return raw === 108600 ? null : raw / 600;
}

/** Latitude in 1/10 minute; 91 degrees = not available. */
export function latTenthMinute(raw: number): number | null {
  return raw === 54600 ? null : raw / 600;
}

/** Speed in 0.1 knot; 1023 = not available. */
export function speedTenths(raw: number): number | null {
  return raw === 1023 ? null : raw / 10;
}

/** Course in 0.1 degree; 3600 = not available. */
export function courseTenths(raw: number): number | null {
  return raw === 3600 ? null : raw / 10;
}

/** True heading in degrees; 511 = not available. */
export function heading(raw: number): number | null {
  return raw === 511 ? null : raw;
}

/** Ship and cargo type; 0 = not available. */
export function shipType(raw: number): number | null {
  return raw === 0 ? null : raw;
}

/** Empty text (all `@` or spaces) is "not available". */
export function text(s: string): string | null {
  return s === '' ? null : s;
}

/**
 * Rate of turn in degrees/minute from ROT_AIS = 4.733 * sqrt(ROT_sensor), sign = direction.
 * -128 is "not available"; +-127 only says "more than 5 degrees per 30 s" without a value.
 */
export function rateOfTurn(raw: number): number | null {
  if (raw === -128 || raw === 127 || raw === -127) return null;
  const r = raw / 4.733;
  return raw < 0 ? -(r * r) : r * r;
}
