import { describe, expect, it } from 'vitest';
import { GeoJsonTrackWriter, type TrackFix } from './geojson-track-writer.js';

interface Feature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Point'; coordinates: [number, number] };
  properties: { mmsi: number; times: string[]; name?: string };
}
interface Collection {
  type: 'FeatureCollection';
  features: Feature[];
}

const T0 = Date.UTC(2024, 5, 1, 8);

/** Writes the tracks and parses the result, so every test also checks the text is valid JSON. */
function write(tracks: readonly { mmsi: number; fixes: readonly TrackFix[]; name?: string }[], maxPointsPerFeature?: number): Collection {
  const w = new GeoJsonTrackWriter(maxPointsPerFeature === undefined ? {} : { maxPointsPerFeature });
  let text = w.begin();
  for (const t of tracks) {
    text += w.startVessel(t.mmsi, t.name === undefined ? {} : { name: t.name });
    for (const f of t.fixes) text += w.point(f);
  }
  text += w.end();
  return JSON.parse(text) as Collection;
}

function fixes(n: number, lon0 = 4, dLon = 0.01): TrackFix[] {
  return Array.from({ length: n }, (_, i) => ({ ts: T0 + i * 10_000, lat: 52 + i * 0.001, lon: lon0 + i * dLon }));
}

/** RFC 7946 rules a consumer relies on, checked on every feature. */
function expectValid(c: Collection): void {
  expect(c.type).toBe('FeatureCollection');
  for (const f of c.features) {
    expect(f.type).toBe('Feature');
    if (f.geometry.type === 'LineString') {
      expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
      expect(f.properties.times).toHaveLength(f.geometry.coordinates.length);
      for (const [lon, lat] of f.geometry.coordinates) {
        expect(Math.abs(lon)).toBeLessThanOrEqual(180);
        expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      }
    } else {
      expect(f.properties.times).toHaveLength(1);
    }
    const times = f.properties.times.map((t) => Date.parse(t));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }
}

describe('GeoJsonTrackWriter', () => {
  it('writes one LineString per vessel with [lon, lat] coordinates and one ISO time per coordinate', () => {
    const c = write([{ mmsi: 244660001, fixes: fixes(3), name: 'NEAR ONE' }]);
    expectValid(c);
    expect(c.features).toHaveLength(1);
    const f = c.features[0];
    expect(f?.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [4, 52],
        [4.01, 52.001],
        [4.02, 52.002],
      ],
    });
    expect(f?.properties).toEqual({
      mmsi: 244660001,
      name: 'NEAR ONE',
      times: ['2024-06-01T08:00:00.000Z', '2024-06-01T08:00:10.000Z', '2024-06-01T08:00:20.000Z'],
    });
  });

  it('writes a vessel with a single position as a Point, and a vessel with none not at all', () => {
    const c = write([
      { mmsi: 1, fixes: fixes(1) },
      { mmsi: 2, fixes: [] },
      { mmsi: 3, fixes: fixes(2) },
    ]);
    expectValid(c);
    expect(c.features.map((f) => [f.properties.mmsi, f.geometry.type])).toEqual([
      [1, 'Point'],
      [3, 'LineString'],
    ]);
    expect(c.features[0]?.geometry.coordinates).toEqual([4, 52]);
  });

  it('an empty collection is valid', () => {
    expect(write([])).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('splits a long track into features that share their boundary point, so the line has no gap', () => {
    const all = fixes(25);
    const c = write([{ mmsi: 7, fixes: all }], 10);
    expectValid(c);
    expect(c.features.map((f) => (f.geometry.type === 'LineString' ? f.geometry.coordinates.length : 1))).toEqual([10, 10, 7]);
    const lines = c.features.map((f) => f.geometry.coordinates as [number, number][]);
    expect(lines[1]?.[0]).toEqual(lines[0]?.[9]);
    expect(lines[2]?.[0]).toEqual(lines[1]?.[9]);
    // Every fix appears, in order, once the repeated boundary points are dropped.
    const joined = lines.flatMap((l, i) => (i === 0 ? l : l.slice(1)));
    expect(joined).toEqual(all.map((f) => [f.lon, f.lat]));
  });

  it('a track that fills its last feature exactly leaves no one-point remainder', () => {
    const c = write([{ mmsi: 7, fixes: fixes(19) }], 10);
    expectValid(c);
    expect(c.features.map((f) => f.geometry.coordinates.length)).toEqual([10, 10]);
  });

  it('cuts a track at the antimeridian, at the interpolated latitude and time (RFC 7946 3.1.9)', () => {
    const c = write([
      {
        mmsi: 9,
        fixes: [
          { ts: T0, lat: 10, lon: 179 },
          { ts: T0 + 20_000, lat: 12, lon: -179 },
          { ts: T0 + 40_000, lat: 13, lon: -178 },
        ],
      },
    ]);
    expectValid(c);
    expect(c.features.map((f) => f.geometry.coordinates)).toEqual([
      [
        [179, 10],
        [180, 11],
      ],
      [
        [-180, 11],
        [-179, 12],
        [-178, 13],
      ],
    ]);
    expect(c.features[0]?.properties.times[1]).toBe('2024-06-01T08:00:10.000Z');
    expect(c.features[1]?.properties.times[0]).toBe('2024-06-01T08:00:10.000Z');
  });

  it('cuts westbound crossings on the other side', () => {
    const c = write([
      {
        mmsi: 9,
        fixes: [
          { ts: T0, lat: 0, lon: -179.5 },
          { ts: T0 + 4000, lat: 0, lon: 179.5 },
        ],
      },
    ]);
    expectValid(c);
    expect(c.features.map((f) => f.geometry.coordinates)).toEqual([
      [
        [-179.5, 0],
        [-180, 0],
      ],
      [
        [180, 0],
        [179.5, 0],
      ],
    ]);
  });

  it('ignores extra properties named like its own', () => {
    const w = new GeoJsonTrackWriter();
    const text = w.begin() + w.startVessel(5, { mmsi: 6, times: 'x', name: null, flag: 'NL' }) + w.point({ ts: T0, lat: 1, lon: 2 }) + w.end();
    expect((JSON.parse(text) as Collection).features[0]?.properties).toEqual({ mmsi: 5, flag: 'NL', times: ['2024-06-01T08:00:00.000Z'] });
  });
});
