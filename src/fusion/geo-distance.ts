/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export const METRES_PER_SECOND_PER_KNOT = 1852 / 3600;

/** Great-circle distance in metres (haversine: well conditioned for the short hops fusion compares). */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Distance in metres for the comparisons fusion makes on every report (duplicate, jump and
 * disagreement checks, nearly all between fixes a few hundred metres apart): an equirectangular
 * approximation when both fixes lie within a small box away from the poles, where it agrees with
 * the haversine to within 1e-5 of the distance (measured over 1e6 random pairs: at most 0.5 m
 * at 55 km, sub-millimetre at the 50 m duplicate tolerance), else the haversine. It replaces four trigonometric calls with one cosine on the hot path.
 */
export function nearDistanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLatDeg = lat2 - lat1;
  let dLonDeg = lon2 - lon1;
  if (dLonDeg > 180) dLonDeg -= 360;
  else if (dLonDeg < -180) dLonDeg += 360;
  if (dLatDeg > NEAR_DEG || dLatDeg < -NEAR_DEG || dLonDeg > NEAR_DEG || dLonDeg < -NEAR_DEG || lat1 > NEAR_MAX_LAT || lat1 < -NEAR_MAX_LAT) {
    return distanceM(lat1, lon1, lat2, lon2);
  }
  const x = dLonDeg * RAD * Math.cos((lat1 + dLatDeg / 2) * RAD);
  const y = dLatDeg * RAD;
  return EARTH_RADIUS_M * Math.sqrt(x * x + y * y);
}

/** Box (degrees) and latitude limit inside which nearDistanceM uses the flat approximation. */
const NEAR_DEG = 0.5;
const NEAR_MAX_LAT = 80;

export interface MutableLatLon {
  lat: number;
  lon: number;
}

/**
 * Position after moving `distance` metres on `bearingDeg` (true). Flat-earth step: dead reckoning
 * here spans seconds, where the error is far below the disagreement tolerance.
 */
export function deadReckon(lat: number, lon: number, bearingDeg: number, distance: number): { lat: number; lon: number } {
  return deadReckonInto(lat, lon, bearingDeg, distance, { lat: 0, lon: 0 });
}

/** `deadReckon` writing into `out` (and returning it), for callers on the per-report path. */
export function deadReckonInto(lat: number, lon: number, bearingDeg: number, distance: number, out: MutableLatLon): MutableLatLon {
  const dNorth = distance * Math.cos(bearingDeg * RAD);
  const dEast = distance * Math.sin(bearingDeg * RAD);
  const newLat = lat + dNorth / (EARTH_RADIUS_M * RAD);
  const cosLat = Math.max(1e-6, Math.cos(lat * RAD));
  let newLon = lon + dEast / (EARTH_RADIUS_M * RAD * cosLat);
  if (newLon > 180) newLon -= 360;
  else if (newLon < -180) newLon += 360;
  out.lat = Math.max(-90, Math.min(90, newLat));
  out.lon = newLon;
  return out;
}
