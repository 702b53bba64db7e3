/**
 * The wire form of a normalized message on the log: the message model as UTF-8 JSON, origin and
 * `timeFromReceipt` included (aisctl JSONL drops both, and its reader would validate again
 * against the worker's clock what the edge already validated against the receive time).
 * Decoding checks the shape only; a record that fails is a poison message the worker counts
 * and terminates rather than retrying forever.
 */
import type { NormalizedMessage } from '../normalize/message.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMessage(msg: NormalizedMessage): Uint8Array {
  return encoder.encode(JSON.stringify(msg));
}

export type DecodeResult = { readonly ok: true; readonly message: NormalizedMessage } | { readonly ok: false; readonly detail: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function decodeMessage(data: Uint8Array): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (err) {
    return { ok: false, detail: `not JSON: ${(err as Error).message}` };
  }
  if (!isRecord(value)) return { ok: false, detail: 'not a JSON object' };
  const { kind, mmsi, ts, source, msgType, origin } = value;
  if (kind !== 'position' && kind !== 'static') return { ok: false, detail: `kind must be "position" or "static": got ${JSON.stringify(kind)}` };
  if (!Number.isInteger(mmsi) || !Number.isFinite(ts) || typeof source !== 'string' || !Number.isInteger(msgType)) {
    return { ok: false, detail: 'mmsi, ts, source and msgType are required' };
  }
  if (!isRecord(origin) || typeof origin['file'] !== 'string' || !Number.isInteger(origin['line']))
    return { ok: false, detail: 'origin {file, line} is required' };
  if (kind === 'position' && (!Number.isFinite(value['lat']) || !Number.isFinite(value['lon']))) return { ok: false, detail: 'a position needs lat and lon' };
  // The edge built it through normalize/report-builder; the checks above guard against another
  // producer or a corrupt record, not against a field-by-field difference of the model.
  return { ok: true, message: value as unknown as NormalizedMessage };
}
