/**
 * JSON shapes of the reads, shared by the read API and the CLI's `--json` output: times as
 * ISO 8601 strings, "not available" as null, field names as in the message model.
 */
import type { VesselState } from '../store/redis/hot-state-reader.js';
import type { VesselRecord } from '../store/postgres/vessel-queries.js';
import type { SearchHit } from '../store/postgres/vessel-search.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const MATCH = ['exact', 'prefix', 'name contains'] as const;

export function searchHitJson(h: SearchHit): Record<string, unknown> {
  return {
    mmsi: h.mmsi,
    name: h.name,
    callsign: h.callsign,
    imo: h.imo,
    shipType: h.shipType,
    destination: h.destination,
    firstSeen: iso(h.firstSeen),
    lastSeen: iso(h.lastSeen),
    match: MATCH[h.rank],
  };
}

export function searchMatchText(h: SearchHit): string {
  return MATCH[h.rank];
}

export function vesselRecordJson(v: VesselRecord): Record<string, unknown> {
  return {
    mmsi: v.mmsi,
    name: v.name,
    callsign: v.callsign,
    imo: v.imo,
    shipType: v.shipType,
    toBow: v.toBow,
    toStern: v.toStern,
    toPort: v.toPort,
    toStarboard: v.toStarboard,
    draught: v.draught,
    destination: v.destination,
    firstSeen: iso(v.firstSeen),
    lastSeen: iso(v.lastSeen),
    staticUpdatedAt: iso(v.staticUpdatedAt),
  };
}

export function liveStateJson(s: VesselState, nowMs: number): Record<string, unknown> {
  const p = s.position;
  const { ts: staticTs, ...statics } = s.static;
  return {
    position:
      p === null
        ? null
        : {
            ts: iso(p.ts),
            lat: p.lat,
            lon: p.lon,
            sog: p.sog,
            cog: p.cog,
            heading: p.heading,
            navStatus: p.navStatus,
            source: p.source,
            score: p.score,
            ageSeconds: Math.round((nowMs - p.ts) / 1000),
          },
    static: { ...statics, ts: iso(staticTs) },
  };
}
