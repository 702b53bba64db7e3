/**
 * The rows fusion hands to the stores, with their numbers in shared Float64Array chunks: a row is
 * one small object (its chunk and index) that reads its fields through getters.
 *
 * A row lives in its batch until both stores have acknowledged the batch, long enough in bulk
 * ingest to survive the young generation, so everything it is made of is copied by scavenges and
 * then promoted. As a plain object it was seven heap objects (the row and a box per double: V8
 * boxes every double field), about 200 bytes; here one object of 32 bytes, and the numbers sit
 * in array buffers the collector never looks into. A chunk is freed when the last of its rows is.
 *
 * Rows are read-only, like every PositionRow. `toJSON` gives the plain row, so the dead-letter
 * queue and the spool store the same JSON as before; unknown numbers are NaN in the chunk and
 * null to readers.
 */
import type { PositionReport } from '../normalize/message.js';
import type { FusedPosition } from './fusion-decision.js';
import { finiteOrNaN, nanToNull } from './nan-unknown.js';

const FIELDS = 9;
const MMSI = 0;
const TS = 1;
const LAT = 2;
const LON = 3;
const SOG = 4;
const COG = 5;
const HEADING = 6;
const NAV_STATUS = 7;
const SCORE = 8;

/** Rows per chunk: 2,048 x 72 bytes, about one bulk batch's worth in a handful of chunks. */
const CHUNK_ROWS = 2048;

class RowChunk {
  readonly values = new Float64Array(CHUNK_ROWS * FIELDS);
  readonly sources: string[] = [];
  used = 0;
}

class ChunkRow implements FusedPosition {
  constructor(
    private readonly chunk: RowChunk,
    private readonly at: number,
  ) {}

  get mmsi(): number {
    return this.chunk.values[this.at + MMSI] as number;
  }

  get ts(): number {
    return this.chunk.values[this.at + TS] as number;
  }

  get lat(): number {
    return this.chunk.values[this.at + LAT] as number;
  }

  get lon(): number {
    return this.chunk.values[this.at + LON] as number;
  }

  get sog(): number | null {
    return nanToNull(this.chunk.values[this.at + SOG] as number);
  }

  get cog(): number | null {
    return nanToNull(this.chunk.values[this.at + COG] as number);
  }

  get heading(): number | null {
    return nanToNull(this.chunk.values[this.at + HEADING] as number);
  }

  get navStatus(): number | null {
    return nanToNull(this.chunk.values[this.at + NAV_STATUS] as number);
  }

  get score(): number {
    return this.chunk.values[this.at + SCORE] as number;
  }

  get source(): string {
    return this.chunk.sources[this.at / FIELDS] as string;
  }

  /** The plain row, in PositionRow's field order. */
  toJSON(): FusedPosition {
    return {
      mmsi: this.mmsi,
      ts: this.ts,
      lat: this.lat,
      lon: this.lon,
      sog: this.sog,
      cog: this.cog,
      heading: this.heading,
      navStatus: this.navStatus,
      source: this.source,
      score: this.score,
    };
  }
}

/** Makes rows; one per fusion engine (never shared between threads: rows are not cloneable data). */
export class FusedRows {
  private chunk = new RowChunk();

  /**
   * The row of `msg` at `rowTs` with `score`. Takes the report, not its numbers one by one:
   * where V8 does not inline the call each number argument would be boxed on the way in.
   * `source` is the engine's one copy of the report's source name (equal to it), so the chunk
   * keeps no string of a single report alive.
   */
  row(msg: PositionReport, source: string, rowTs: number, score: number): FusedPosition {
    let c = this.chunk;
    if (c.used === CHUNK_ROWS) {
      c = new RowChunk();
      this.chunk = c;
    }
    const i = c.used++;
    const at = i * FIELDS;
    const v = c.values;
    v[at + MMSI] = msg.mmsi;
    v[at + TS] = rowTs;
    v[at + LAT] = msg.lat;
    v[at + LON] = msg.lon;
    v[at + SOG] = finiteOrNaN(msg.sog);
    v[at + COG] = finiteOrNaN(msg.cog);
    v[at + HEADING] = finiteOrNaN(msg.heading);
    v[at + NAV_STATUS] = finiteOrNaN(msg.navStatus);
    v[at + SCORE] = score;
    c.sources[i] = source;
    return new ChunkRow(c, at);
  }
}
