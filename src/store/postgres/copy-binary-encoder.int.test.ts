import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/services.js';
import { encodePositionsForBinaryCopy } from './copy-binary-encoder.js';
import { encodePositionsForCopy } from './copy-text-encoder.js';
import type { KeyedPosition } from './position-batch.js';
import { loadSql } from './sql-file.js';

const sql = (f: string): string => loadSql(new URL(`./sql/${f}`, import.meta.url), f).text;

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase('copybin');
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(sql('create-stage.sql'));
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

const rows: KeyedPosition[] = [
  {
    vesselId: 1,
    sourceId: 1,
    row: {
      mmsi: 1,
      ts: 1_700_000_000_123,
      lat: 51.123456789,
      lon: -0.987654321,
      sog: 12.3,
      cog: 231.7,
      heading: 230,
      navStatus: 0,
      source: 'rx-north',
      score: 0.7 * 0.9137,
    },
  },
  {
    vesselId: 2 ** 31 - 1,
    sourceId: 32_767,
    row: { mmsi: 2, ts: 1, lat: -90, lon: 180, sog: null, cog: null, heading: null, navStatus: null, source: 'a\tb|ø', score: 1 },
  },
];

async function copyAndRead(body: Buffer | string, statement: string): Promise<unknown[]> {
  await client.query('BEGIN');
  try {
    await pipeline(Readable.from([body]), client.query(copyFrom(statement)));
    const r = await client.query(
      'SELECT vessel_id, ts_ms::text, lat, lon, score, sog, cog, heading_status, source_id FROM aisctl_stage_positions ORDER BY vessel_id',
    );
    return r.rows;
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('binary COPY into the staging table', () => {
  it('stores exactly what the text format stores', async () => {
    const binary = await copyAndRead(encodePositionsForBinaryCopy(rows) as Buffer, sql('copy-stage-binary.sql'));
    const text = await copyAndRead(encodePositionsForCopy(rows), sql('copy-stage.sql'));
    expect(binary).toEqual(text);
    expect(binary[0]).toMatchObject({ lat: Math.round(51.123456789 * 600_000), sog: 123, cog: 2317, heading_status: 230 });
    expect(binary[1]).toMatchObject({
      vessel_id: 2 ** 31 - 1,
      lat: -54_000_000,
      lon: 108_000_000,
      sog: 1023,
      cog: 3600,
      heading_status: 511 + 512 * 15,
      source_id: 32_767,
      score: 1,
    });
  });
});
