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
 * Position after moving `distance` metres on `bearingDeg` (true). Flat-earth step: dead reckoning
 * here spans seconds, where the error is far below the disagreement tolerance.
 */
export function deadReckon(lat: number, lon: number, bearingDeg: number, distance: number): { lat: number; lon: number } {
  const dNorth = distance * Math.cos(bearingDeg * RAD);
  const dEast = distance * Math.sin(bearingDeg * RAD);
  const newLat = lat + dNorth / (EARTH_RADIUS_M * RAD);
  const cosLat = Math.max(1e-6, Math.cos(lat * RAD));
  let newLon = lon + dEast / (EARTH_RADIUS_M * RAD * cosLat);
  if (newLon > 180) newLon -= 360;
  else if (newLon < -180) newLon += 360;
  return { lat: Math.max(-90, Math.min(90, newLat)), lon: newLon };
}
