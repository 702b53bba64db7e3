/**
 * `aisctl export --since T [--until T] [--bbox W,S,E,N] [--mmsi LIST]
 *  --format noaa-csv|noaa-csv-2023|dma-csv|jsonl|geojson [--output FILE]`: stored positions of a
 * time range, streamed from PostgreSQL in constant memory, written by the same writers the
 * fixtures are made with, so `aisctl ingest` reads an export back into the same rows.
 *
 * Row formats are in time order (then MMSI), as a live feed delivers them: re-ingesting an
 * export then sees each vessel's reports in order, and the live state ends at each vessel's
 * newest position. GeoJSON is one track per vessel (MMSI order), built by the same writer as
 * `aisctl track --format geojson`.
 */
import type pg from 'pg';
import { GeoJsonTrackWriter } from '../../formats/writers/geojson-track-writer.js';
import { createWriter } from '../../formats/writers/create-writer.js';
import type { OutputFormat } from '../../formats/writers/record-writer.js';
import type { StaticReport } from '../../normalize/message.js';
import { parseBBoxParam, parseMmsiList, parseTimeRange } from '../../server/read-params.js';
import type { ExportFilter, ExportRow } from '../../store/postgres/export-queries.js';
import { connectionConfig, UsageError, type ConnectionFlags } from '../config.js';
import { openReadOutput, type ReadOutput } from '../read-output.js';
import { positionReport } from '../track-rows.js';

interface ExportOptions extends ConnectionFlags {
  since?: string;
  until?: string;
  bbox?: string;
  mmsi?: string;
  format?: string;
  output?: string;
  quiet?: boolean;
}

/** `noaa-csv` is MarineCadastre's current (2024+) layout. */
const ROW_FORMATS: Readonly<Record<string, OutputFormat>> = {
  'noaa-csv': 'noaa-csv-2024',
  'noaa-csv-2024': 'noaa-csv-2024',
  'noaa-csv-2023': 'noaa-csv-2023',
  'dma-csv': 'dma-csv',
  jsonl: 'jsonl',
};
export const EXPORT_FORMATS = [...Object.keys(ROW_FORMATS), 'geojson'] as const;

export interface ExportStats {
  positions: number;
  vessels: number;
}

function staticReport(row: ExportRow): StaticReport {
  const s = row.statics;
  return {
    kind: 'static',
    mmsi: row.mmsi,
    ts: s.updatedMs ?? row.ts,
    name: s.name,
    callsign: s.callsign,
    imo: s.imo,
    shipType: s.shipType,
    toBow: s.toBow,
    toStern: s.toStern,
    toPort: s.toPort,
    toStarboard: s.toStarboard,
    draught: s.draught,
    destination: s.destination,
    source: row.source,
    msgType: 0,
    origin: { file: 'export', line: 0 },
  };
}

function hasStatics(row: ExportRow): boolean {
  const { updatedMs: _updated, ...fields } = row.statics;
  return Object.values(fields).some((v) => v !== null);
}

async function writeRows(pool: pg.Pool, filter: ExportFilter, format: OutputFormat, out: ReadOutput): Promise<ExportStats> {
  const { positionsByTime } = await import('../../store/postgres/export-queries.js');
  const writer = createWriter(format);
  const header = writer.header();
  if (header !== null) await out.line(header);
  // JSONL carries static data as messages of their own: one per vessel, before its first
  // position. The set grows with the vessels of the export, not with its rows.
  const seen = new Set<number>();
  const jsonl = format === 'jsonl';
  let positions = 0;
  for await (const page of positionsByTime(pool, filter)) {
    for (const row of page) {
      if (!seen.has(row.mmsi)) {
        seen.add(row.mmsi);
        if (jsonl && hasStatics(row)) await out.line(writer.line(staticReport(row)) ?? '');
      }
      const text = writer.line(positionReport(row.mmsi, row, 'export'), jsonl ? null : staticReport(row));
      if (text !== null) {
        const pending = out.line(text);
        if (pending) await pending;
      }
    }
    positions += page.length;
    if (out.broken) break;
  }
  return { positions, vessels: seen.size };
}

async function writeGeoJson(pool: pg.Pool, filter: ExportFilter, out: ReadOutput): Promise<ExportStats> {
  const { vesselsWithPositions } = await import('../../store/postgres/export-queries.js');
  const { trackPages } = await import('../../store/postgres/track-queries.js');
  const w = new GeoJsonTrackWriter();
  await out.line(w.begin());
  const stats: ExportStats = { positions: 0, vessels: 0 };
  for await (const vessels of vesselsWithPositions(pool, filter)) {
    for (const v of vessels) {
      let n = 0;
      w.startVessel(v.mmsi, { name: v.name });
      for await (const page of trackPages(pool, v.id, filter, { bbox: filter.bbox ?? null })) {
        for (const p of page) {
          const text = w.point(p);
          if (text !== '') await out.line(text);
        }
        n += page.length;
        if (out.broken) return stats;
      }
      const last = w.endVessel();
      if (last !== '') await out.line(last);
      stats.positions += n;
      if (n > 0) stats.vessels++;
    }
  }
  await out.line(w.end());
  return stats;
}

export async function run(opts: ExportOptions): Promise<number> {
  const format = opts.format ?? 'jsonl';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}: got '${format}'`);
  const range = parseTimeRange({ since: opts.since, until: opts.until }, Date.now());
  const filter: ExportFilter = {
    ...range,
    mmsis: opts.mmsi === undefined ? null : parseMmsiList('--mmsi', opts.mmsi),
    bbox: opts.bbox === undefined ? null : parseBBoxParam('--bbox', opts.bbox),
  };
  const cfg = connectionConfig(opts);
  const { DependencyError, openPostgres, redactUrl } = await import('../../store/connections.js');
  const pool = await openPostgres(cfg.databaseUrl, { max: 2 });
  const out = openReadOutput(opts.output);
  const started = performance.now();
  try {
    let stats: ExportStats;
    try {
      const rowFormat = ROW_FORMATS[format];
      stats = rowFormat === undefined ? await writeGeoJson(pool, filter, out) : await writeRows(pool, filter, rowFormat, out);
    } catch (err) {
      await out.abandon();
      if ((err as { code?: string }).code === '42P01') {
        throw new DependencyError(`${redactUrl(cfg.databaseUrl)} has no aisctl schema: run \`aisctl db migrate\` (or ingest something) first`);
      }
      throw err;
    }
    await out.finish();
    if (!opts.quiet) {
      const s = (performance.now() - started) / 1000;
      process.stderr.write(
        `aisctl export: ${stats.positions} positions of ${stats.vessels} vessels from ${new Date(range.fromMs).toISOString()} to ${new Date(range.toMs).toISOString()} ` +
          `as ${format}${opts.output === undefined ? '' : ` to ${opts.output}`} in ${s.toFixed(1)} s (${Math.round(stats.positions / Math.max(s, 0.001))} positions/s)\n`,
      );
    }
    return 0;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
