/**
 * `aisctl search TEXT [--limit 20] [--json]`: vessels by name (any part), call sign (prefix),
 * IMO number or MMSI prefix, best matches first, from PostgreSQL's vessels table.
 */
import { searchHitJson, searchMatchText } from '../../server/read-json.js';
import { parseSearchText } from '../../server/read-params.js';
import { SEARCH_MAX_RESULTS, type SearchHit } from '../../store/postgres/vessel-search.js';
import { connectionConfig, parseIntOption, type ConnectionFlags } from '../config.js';
import { formatIso, formatTable, printJson, printLines } from '../print-table.js';

interface SearchOptions extends ConnectionFlags {
  limit?: string;
  json?: boolean;
}

export async function run(text: string, opts: SearchOptions): Promise<number> {
  const q = parseSearchText('TEXT', text);
  const limit = parseIntOption('--limit', opts.limit ?? '20', 1, SEARCH_MAX_RESULTS);
  const cfg = connectionConfig(opts);
  const { DependencyError, openPostgres, redactUrl } = await import('../../store/connections.js');
  const { searchVessels } = await import('../../store/postgres/vessel-search.js');
  const pool = await openPostgres(cfg.databaseUrl, { max: 1 });
  try {
    let hits: SearchHit[];
    try {
      hits = await searchVessels(pool, q, limit);
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') {
        throw new DependencyError(`${redactUrl(cfg.databaseUrl)} has no aisctl schema: run \`aisctl db migrate\` (or ingest something) first`);
      }
      throw err;
    }
    if (opts.json) {
      printJson({ query: q, count: hits.length, vessels: hits.map(searchHitJson) });
      return 0;
    }
    if (hits.length === 0) {
      printLines([`no vessel matches '${q}' (name, call sign, IMO or MMSI prefix)`]);
      return 0;
    }
    printLines([
      `${hits.length} vessel${hits.length === 1 ? '' : 's'} matching '${q}'${hits.length === limit ? ` (--limit ${limit} reached)` : ''}:`,
      ...formatTable(
        [
          { header: 'MMSI', align: 'right' },
          { header: 'NAME' },
          { header: 'CALLSIGN' },
          { header: 'IMO', align: 'right' },
          { header: 'LAST SEEN' },
          { header: 'MATCH' },
        ],
        hits.map((h) => [String(h.mmsi), h.name ?? '-', h.callsign ?? '-', h.imo === null ? '-' : String(h.imo), formatIso(h.lastSeen), searchMatchText(h)]),
      ),
    ]);
    return 0;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
