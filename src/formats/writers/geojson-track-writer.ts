/**
 * Vessel tracks as an RFC 7946 GeoJSON FeatureCollection, written as text while the positions
 * stream past: one LineString feature per vessel with `[lon, lat]` coordinates and
 * `properties.times`, the ISO 8601 time of each coordinate (same length as `coordinates`).
 *
 * Memory stays bounded however long the track: a feature holds at most `maxPointsPerFeature`
 * points, and a longer track continues in the next feature of the same vessel, which starts
 * with the last point of the one before so the drawn line has no gap. A vessel with a single
 * position in range becomes a Point feature (a LineString needs two positions). A track that
 * crosses the antimeridian is cut there (RFC 7946 section 3.1.9): the feature ends at ±180 and
 * the next starts at ∓180, both at the latitude and time interpolated between the two fixes.
 * Pure.
 */

export interface TrackFix {
  /** ms since epoch */
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
}

export interface GeoJsonTrackWriterOptions {
  /** Points per feature before a track continues in the next feature. Default 10,000; at least 2. */
  readonly maxPointsPerFeature?: number;
}

export const GEOJSON_MEDIA_TYPE = 'application/geo+json';

interface Part {
  coords: string[];
  times: string[];
  /** Points of this part that were not carried over from the previous part. */
  fresh: number;
  last: TrackFix | null;
}

function emptyPart(): Part {
  return { coords: [], times: [], fresh: 0, last: null };
}

function coordText(lon: number, lat: number): string {
  return `[${lon},${lat}]`;
}

function isoText(ts: number): string {
  return JSON.stringify(new Date(ts).toISOString());
}

export class GeoJsonTrackWriter {
  private readonly maxPoints: number;
  private features = 0;
  private vessel: { mmsi: number; properties: string } | null = null;
  private part: Part = emptyPart();

  constructor(opts: GeoJsonTrackWriterOptions = {}) {
    this.maxPoints = Math.max(2, Math.trunc(opts.maxPointsPerFeature ?? 10_000));
  }

  /** Opens the FeatureCollection. */
  begin(): string {
    return '{"type":"FeatureCollection","features":[';
  }

  /**
   * Starts a vessel's track. `extra` properties (e.g. the name) are written beside `mmsi` and
   * `times` in each of its features; they must not be named mmsi or times.
   */
  startVessel(mmsi: number, extra: Readonly<Record<string, string | number | null>> = {}): string {
    const out = this.vessel === null ? '' : this.endVessel();
    let props = `"mmsi":${mmsi}`;
    for (const [k, v] of Object.entries(extra)) {
      if (k === 'mmsi' || k === 'times' || v === null) continue;
      props += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
    }
    this.vessel = { mmsi, properties: props };
    this.part = emptyPart();
    return out;
  }

  /** Adds the next fix of the current vessel (in time order); returns the text of any feature it completed. */
  point(fix: TrackFix): string {
    if (this.vessel === null) throw new Error('GeoJsonTrackWriter.point before startVessel');
    let out = '';
    const prev = this.part.last;
    if (prev !== null && Math.abs(fix.lon - prev.lon) > 180) {
      // Crossing the antimeridian: unwrap the new longitude next to the previous one, cut at the
      // boundary on the previous fix's side.
      const unwrapped = fix.lon + (fix.lon < prev.lon ? 360 : -360);
      const boundary = unwrapped > prev.lon ? 180 : -180;
      const f = (boundary - prev.lon) / (unwrapped - prev.lon);
      const cut = { ts: Math.round(prev.ts + f * (fix.ts - prev.ts)), lat: prev.lat + f * (fix.lat - prev.lat) };
      this.add({ ...cut, lon: boundary });
      out += this.flush();
      this.part = emptyPart();
      this.add({ ...cut, lon: -boundary });
    }
    this.add(fix);
    if (this.part.coords.length >= this.maxPoints) {
      const carry = this.part.last;
      out += this.flush();
      this.part = emptyPart();
      if (carry !== null) {
        this.add(carry);
        this.part.fresh = 0;
      }
    }
    return out;
  }

  /** Ends the current vessel's track; returns the text of its last feature, if any. */
  endVessel(): string {
    const out = this.part.fresh > 0 ? this.flush() : '';
    this.vessel = null;
    this.part = emptyPart();
    return out;
  }

  /** Closes the FeatureCollection (ending the current vessel first). */
  end(): string {
    return `${this.vessel === null ? '' : this.endVessel()}]}`;
  }

  /** Features written so far. */
  get featureCount(): number {
    return this.features;
  }

  private add(fix: TrackFix): void {
    this.part.coords.push(coordText(fix.lon, fix.lat));
    this.part.times.push(isoText(fix.ts));
    this.part.fresh++;
    this.part.last = fix;
  }

  private flush(): string {
    const p = this.part;
    const v = this.vessel;
    if (v === null || p.coords.length === 0) return '';
    // Only a vessel with one position in range has a one-point part: after a cut or a full
    // feature, a part starts with a carried-over point and is written only once it has another.
    const geometry = p.coords.length === 1 ? `{"type":"Point","coordinates":${p.coords[0]}}` : `{"type":"LineString","coordinates":[${p.coords.join(',')}]}`;
    const text = `${this.features > 0 ? ',' : ''}{"type":"Feature","geometry":${geometry},"properties":{${v.properties},"times":[${p.times.join(',')}]}}`;
    this.features++;
    return text;
  }
}
