import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodePositionsForBinaryCopy } from './copy-binary-encoder.js';
import { encodePositionsForCopy } from './copy-text-encoder.js';
import type { KeyedPosition } from './position-batch.js';
import { loadSql } from './sql-file.js';

const COPY_STAGE = loadSql(new URL('./sql/copy-stage.sql', import.meta.url), 'aisctl_copy_stage');
const COPY_STAGE_BINARY = loadSql(new URL('./sql/copy-stage-binary.sql', import.meta.url), 'aisctl_copy_stage_binary');

/**
 * COPYs the rows into the session's staging table (create-stage.sql), in binary unless a value
 * only the text format reports properly is present (copy-binary-encoder.ts). Shared by the
 * history writer and the benchmark's ceiling, so the two measure the same COPY.
 *
 * One buffer, written and ended directly: stream.pipeline's per-call AbortController and
 * DOMException showed in profiles at hundreds of batches per second.
 */
export async function copyPositionsToStage(client: pg.ClientBase, rows: readonly KeyedPosition[]): Promise<void> {
  const binary = encodePositionsForBinaryCopy(rows);
  const copy = client.query(copyFrom((binary === null ? COPY_STAGE : COPY_STAGE_BINARY).text));
  copy.end(binary ?? encodePositionsForCopy(rows));
  await finished(copy);
}
