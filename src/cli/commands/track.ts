/**
 * `aisctl track MMSI [--since 24h|ISO] [--until ISO] [--format table|jsonl|csv|geojson]`: a
 * vessel's stored positions in time order, streamed page by page from PostgreSQL (constant
 * memory for a year of history), written as they arrive.
 */
import type pg from 'pg';
import { GeoJsonTrackWriter } from '../../formats/writers/geojson-track-writer.js';
import { parseMmsiParam, parseTimeRange } from '../../server/read-params.js';
import type { TimeRange, TrackVessel } from '../../store/postgres/track-queries.js';
import { connectionConfig, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { openReadOutput, type ReadOutput } from '../read-output.js';
import { TRACK_FORMATS, TrackLineFormatter, type TrackFormat } from '../track-rows.js';

interface TrackOptions extends ConnectionFlags {
  since?: string;
  until?: string;
  format?: string;
  pageSize?: string;
}

const DEFAULT_SPAN_MS = 24 * 3_600_000;

export function parseTrackFormat(value: string | undefined): TrackFormat {
  const f = value ?? 'table';
  if (!(TRACK_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${TRACK_FORMATS.join(', ')}: got '${f}'`);
  return f as TrackFormat;
}

/** Writes the track; returns the number of positions written. */
export async function writeTrack(
  pool: pg.Pool,
  vessel: TrackVessel,
  range: TimeRange,
  format: TrackFormat,
  out: ReadOutput,
  pageSize: number,
): Promise<number> {
  const { trackPages } = await import('../../store/postgres/track-queries.js');
  let n = 0;
  if (format === 'geojson') {
    const w = new GeoJsonTrackWriter();
    await out.line(w.begin());
    w.startVessel(vessel.mmsi);
    for await (const page of trackPages(pool, vessel.id, range, { pageSize })) {
      for (const p of page) {
        const text = w.point(p);
        if (text !== '') await out.line(text);
      }
      n += page.length;
      if (out.broken) return n;
    }
    await out.line(w.end());
    return n;
  }
  const f = new TrackLineFormatter(format, vessel.mmsi);
  const header = f.header();
  if (header !== null) await out.line(header);
  for await (const page of trackPages(pool, vessel.id, range, { pageSize })) {
    for (const p of page) {
      const pending = out.line(f.line(p));
      if (pending) await pending;
    }
    n += page.length;
    // Leaving the loop ends the generator: no cursor or transaction is left open.
    if (out.broken) return n;
  }
  return n;
}

export async function run(mmsiArg: string, opts: TrackOptions): Promise<number> {
  const mmsi = parseMmsiParam('MMSI', mmsiArg);
  const format = parseTrackFormat(opts.format);
  const range = parseTimeRange({ since: opts.since, until: opts.until }, Date.now(), { defaultSpanMs: DEFAULT_SPAN_MS });
  const pageSize = parseIntOption('--page-size', opts.pageSize ?? '5000', 1, 100_000);
  const cfg = connectionConfig(opts);
  const { DependencyError, openPostgres, redactUrl } = await import('../../store/connections.js');
  const { findTrackVessel } = await import('../../store/postgres/track-queries.js');
  const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
  const out = openReadOutput(undefined);
  try {
    let vessel: TrackVessel | null;
    try {
      vessel = await findTrackVessel(pool, mmsi);
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') {
        throw new DependencyError(`${redactUrl(cfg.databaseUrl)} has no aisctl schema: run \`aisctl db migrate\` (or ingest something) first`);
      }
      throw err;
    }
    if (vessel === null) {
      process.stderr.write(`aisctl: vessel ${mmsi} not found in PostgreSQL (never stored, or soft-deleted)\n`);
      return 1;
    }
    const n = await writeTrack(pool, vessel, range, format, out, pageSize);
    await out.finish();
    if (n === 0 && format === 'table') {
      process.stderr.write(`aisctl: no positions of vessel ${mmsi} from ${new Date(range.fromMs).toISOString()} to ${new Date(range.toMs).toISOString()}\n`);
    }
    return 0;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
