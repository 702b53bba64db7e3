import { ubits } from '../sixbit.js';
import type { RouteInformation, Waypoint } from './application-types.js';
import { dayTime, lat10000, lon10000 } from './fields.js';

/** The fixed part (linkage to waypoint count) is 61 bits; waypoints are 55 bits each, at most 16. */
export const ROUTE_INFO_HEADER_BITS = 61;

/**
 * DAC 1 FID 27 (type 8, `at` = 56) and FID 28 (type 6, `at` = 88). The waypoint list is the
 * transmitted count, capped at the standard's 16 and at the waypoints actually in the message;
 * gpsd reads the full count past the end of short messages as zero bits.
 */
export function decodeRouteInformation(p: string, bitlen: number, at: number): RouteInformation {
  const count = ubits(p, at + 56, 5);
  const waypoints: Waypoint[] = [];
  for (let a = at + ROUTE_INFO_HEADER_BITS; waypoints.length < Math.min(count, 16) && a + 55 <= bitlen; a += 55) {
    waypoints.push({ lon: lon10000(p, a), lat: lat10000(p, a + 28) });
  }
  const duration = ubits(p, at + 38, 18);
  return {
    kind: 'route-info',
    linkage: ubits(p, at, 10),
    senderClass: ubits(p, at + 10, 3),
    routeType: ubits(p, at + 13, 5),
    start: dayTime(p, at + 18),
    duration: duration === 262143 ? null : duration,
    waypointCount: count,
    waypoints,
  };
}
