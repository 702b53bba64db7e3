/**
 * `aisctl vessel MMSI [--limit 10] [--json]`: what aisctl knows about one vessel, from both
 * stores: the live state in Redis (the fused "where is it now") and the last positions in
 * PostgreSQL (the durable history). Showing both side by side is what tells an engineer whether
 * the two agree, e.g. after an outage replayed from the dead-letter queue.
 */
import { DMA_NAV_STATUS } from '../../formats/dma-vocabulary.js';
import type { VesselState } from '../../store/redis/hot-state-reader.js';
import type { StoredPosition, VesselRecord } from '../../store/postgres/vessel-queries.js';
import { connectionConfig, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { formatAge, formatIso, formatNumber, formatTable, printJson, printLines } from '../print-table.js';
import { clockJson, readLiveAge, type LiveAge } from '../live-age.js';
import { describeClock } from '../../store/redis/env-clock.js';
import { formatDuration } from '../../utils/duration.js';

interface VesselOptions extends ConnectionFlags {
  limit?: string;
  json?: boolean;
  softDelete?: boolean;
  restore?: boolean;
}

const MMSI = /^\d{1,9}$/;

export function parseMmsi(value: string): number {
  const text = value.trim();
  const n = Number(text);
  if (!MMSI.test(text) || n <= 0) throw new UsageError(`MMSI must be an integer of up to 9 digits (e.g. 244660000): got '${value}'`);
  return n;
}

export function navStatusText(code: number | null): string {
  if (code === null) return '-';
  return `${code} (${DMA_NAV_STATUS[code] ?? 'unknown'})`;
}

interface PositionJson {
  ts: string;
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  navStatus: number | null;
  source: string;
  score: number;
}

function positionJson(p: StoredPosition | NonNullable<VesselState['position']>): PositionJson {
  return { ts: formatIso(p.ts), lat: p.lat, lon: p.lon, sog: p.sog, cog: p.cog, heading: p.heading, navStatus: p.navStatus, source: p.source, score: p.score };
}

export interface VesselView {
  readonly mmsi: number;
  readonly env: string;
  /** The clock live ages count against (wall, or replay for old data) and the live TTL. */
  readonly clock: ReturnType<typeof clockJson>;
  readonly liveTtlSeconds: number;
  /** Soft-deleted: hidden from reads, so live, vessel and positions are empty. */
  readonly softDeleted: boolean;
  /** Redis hot state; null when Redis holds nothing live for this vessel (never seen, or not heard within the live TTL). */
  readonly live: {
    readonly position: (PositionJson & { ageSeconds: number }) | null;
    readonly static: Omit<VesselState['static'], 'ts'> & { ts: string | null };
  } | null;
  /** PostgreSQL vessel row; null when unknown there (or soft-deleted). */
  readonly vessel:
    | (Omit<VesselRecord, 'firstSeen' | 'lastSeen' | 'staticUpdatedAt' | 'deletedAt'> & {
        firstSeen: string;
        lastSeen: string;
        staticUpdatedAt: string | null;
      })
    | null;
  readonly positions: PositionJson[];
}

export function buildVesselView(
  mmsi: number,
  env: string,
  state: VesselState | null,
  record: VesselRecord | null,
  positions: readonly StoredPosition[],
  age: LiveAge,
): VesselView {
  const nowMs = age.clock.nowMs;
  return {
    mmsi,
    env,
    clock: clockJson(age.clock),
    liveTtlSeconds: age.liveTtlMs / 1000,
    softDeleted: false,
    live:
      state === null
        ? null
        : {
            position: state.position === null ? null : { ...positionJson(state.position), ageSeconds: Math.round((nowMs - state.position.ts) / 1000) },
            static: { ...state.static, ts: state.static.ts === null ? null : formatIso(state.static.ts) },
          },
    vessel:
      record === null
        ? null
        : (() => {
            const { firstSeen, lastSeen, staticUpdatedAt, deletedAt: _deleted, ...rest } = record;
            return {
              ...rest,
              firstSeen: formatIso(firstSeen),
              lastSeen: formatIso(lastSeen),
              staticUpdatedAt: staticUpdatedAt === null ? null : formatIso(staticUpdatedAt),
            };
          })(),
    positions: positions.map(positionJson),
  };
}

function orDash(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === '' ? '-' : String(v);
}

export function renderVessel(view: VesselView, state: VesselState | null, age: LiveAge): string[] {
  const nowMs = age.clock.nowMs;
  const st = state?.static;
  const rec = view.vessel;
  const name = st?.name ?? rec?.name ?? null;
  const lines = [`vessel ${view.mmsi}${name ? `  ${name}` : ''}`];
  type Shared = 'callsign' | 'imo' | 'shipType' | 'toBow' | 'toStern' | 'toPort' | 'toStarboard' | 'draught' | 'destination';
  const pick = (k: Shared): string | number | null => st?.[k] ?? rec?.[k] ?? null;
  lines.push(
    `  callsign ${orDash(pick('callsign'))}   IMO ${orDash(pick('imo'))}   ship type ${orDash(pick('shipType'))}   ` +
      `dimensions A/B/C/D ${[pick('toBow'), pick('toStern'), pick('toPort'), pick('toStarboard')].map(orDash).join('/')} m   ` +
      `draught ${formatNumber(st?.draught ?? rec?.draught ?? null, 1)} m   destination ${orDash(pick('destination'))}`,
  );

  lines.push('', `live state (Redis, env ${view.env}; ages on the ${describeClock(age.clock)}):`);
  const p = state?.position ?? null;
  if (state === null) lines.push(`  none: not heard within the live TTL (${formatDuration(age.liveTtlMs)}), or never seen`);
  else if (p === null) lines.push('  no position yet (static data only)');
  else {
    lines.push(
      `  position   ${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`,
      `  speed      ${formatNumber(p.sog, 1)} kn   course ${formatNumber(p.cog, 1)}°   heading ${orDash(p.heading)}°`,
      `  status     ${navStatusText(p.navStatus)}`,
      `  source     ${p.source}   score ${formatNumber(p.score, 3)}`,
      `  reported   ${formatIso(p.ts)} (${formatAge(nowMs - p.ts)} ago on the ${age.clock.kind} clock)`,
    );
  }

  lines.push('', 'history (PostgreSQL):');
  if (rec === null) lines.push('  none: PostgreSQL has no record of this vessel');
  else {
    lines.push(`  first seen ${rec.firstSeen}   last seen ${rec.lastSeen}`);
    if (view.positions.length === 0) lines.push('  no stored positions');
    else {
      lines.push(`  last ${view.positions.length} position${view.positions.length === 1 ? '' : 's'}, newest first:`);
      lines.push(
        ...formatTable(
          [
            { header: 'TIME (UTC)' },
            { header: 'LAT', align: 'right' },
            { header: 'LON', align: 'right' },
            { header: 'SOG', align: 'right' },
            { header: 'COG', align: 'right' },
            { header: 'HDG', align: 'right' },
            { header: 'STATUS', align: 'right' },
            { header: 'SOURCE' },
            { header: 'SCORE', align: 'right' },
          ],
          view.positions.map((q) => [
            q.ts,
            q.lat.toFixed(5),
            q.lon.toFixed(5),
            formatNumber(q.sog, 1),
            formatNumber(q.cog, 1),
            orDash(q.heading),
            orDash(q.navStatus),
            q.source,
            formatNumber(q.score, 3),
          ]),
          '  ',
        ),
      );
    }
  }
  return lines;
}

export async function run(mmsiArg: string, opts: VesselOptions): Promise<number> {
  const mmsi = parseMmsi(mmsiArg);
  if (opts.softDelete || opts.restore) {
    if (opts.softDelete && opts.restore) throw new UsageError('--soft-delete and --restore exclude each other');
    const { runLifecycle } = await import('./vessel-lifecycle.js');
    return runLifecycle(mmsi, opts.softDelete ? 'soft-delete' : 'restore', opts);
  }
  const limit = parseIntOption('--limit', opts.limit ?? '10', 0, 10_000);
  const cfg = connectionConfig(opts);
  const { DependencyError, openPostgres, openRedis, redactUrl } = await import('../../store/connections.js');
  const { getVesselState } = await import('../../store/redis/hot-state-reader.js');
  const { resolveBuckets } = await import('../../store/redis/layout-meta.js');
  const { getVessel, lastPositions } = await import('../../store/postgres/vessel-queries.js');

  const redis = await openRedis(cfg.redisUrl, { cluster: cfg.redisCluster });
  let pool;
  try {
    pool = await openPostgres(cfg.databaseUrl, { max: 2 });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  try {
    let record: VesselRecord | null;
    let positions: StoredPosition[];
    const buckets = await resolveBuckets(redis, cfg.env, { requested: cfg.redisBuckets, cluster: redis.isCluster, record: false });
    const age = await readLiveAge(redis, cfg.env, buckets);
    const live = await getVesselState(redis, cfg.env, mmsi, { buckets, includeDeleted: true, sinceMs: age.clock.nowMs - age.liveTtlMs });
    try {
      [record, positions] = await Promise.all([getVessel(pool, mmsi, { includeDeleted: true }), lastPositions(pool, mmsi, limit)]);
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') {
        throw new DependencyError(`${redactUrl(cfg.databaseUrl)} has no aisctl schema: run \`aisctl db migrate\` (or ingest something) first`);
      }
      throw err;
    }
    // Hidden from every read when either store says so: PostgreSQL is the record, Redis' mark
    // is what Redis-only readers (near, the live map) go by.
    if ((record !== null && record.deletedAt !== null) || live?.deleted === true) {
      if (opts.json) printJson({ ...buildVesselView(mmsi, cfg.env, null, null, [], age), softDeleted: true });
      else printLines([`vessel ${mmsi} is soft-deleted: hidden from reads, its live state included (show it again with \`aisctl vessel ${mmsi} --restore\`)`]);
      return 0;
    }
    const state = live;
    if (state === null && record === null) {
      process.stderr.write(`aisctl: vessel ${mmsi} not found: no live state in Redis (env ${cfg.env}) and no record in PostgreSQL\n`);
      return 1;
    }
    const view = buildVesselView(mmsi, cfg.env, state, record, positions, age);
    if (opts.json) printJson(view);
    else printLines(renderVessel(view, state, age));
    return 0;
  } finally {
    redis.disconnect();
    await pool.end().catch(() => undefined);
  }
}
