/**
 * JSON encoding of dead-letter entries, shared by the Redis queue and the spool. Decoding
 * checks the shape, so a foreign or damaged record is refused with a reason instead of
 * reaching a writer as half-typed data.
 */
import type { PositionRow, VesselStaticRow } from '../../store/store-types.js';
import type { DeadLetterEntry } from './dead-letter-queue.js';
import { errorMessage } from '../../errors/error-message.js';

export function encodeEntry(e: DeadLetterEntry): string {
  return JSON.stringify({
    id: e.id,
    target: e.target,
    attempts: e.attempts,
    firstFailedAt: e.firstFailedAt,
    nextAttemptAt: e.nextAttemptAt,
    lastError: e.lastError,
    positions: e.positions,
    statics: e.statics,
  });
}

export type DecodeResult = { readonly ok: true; readonly entry: DeadLetterEntry } | { readonly ok: false; readonly reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isStrOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

function isPositionRow(v: unknown): v is PositionRow {
  return (
    isRecord(v) &&
    isNum(v.mmsi) &&
    isNum(v.ts) &&
    isNum(v.lat) &&
    isNum(v.lon) &&
    isNumOrNull(v.sog) &&
    isNumOrNull(v.cog) &&
    isNumOrNull(v.heading) &&
    isNumOrNull(v.navStatus) &&
    typeof v.source === 'string' &&
    isNum(v.score)
  );
}

function isStaticRow(v: unknown): v is VesselStaticRow {
  return (
    isRecord(v) &&
    isNum(v.mmsi) &&
    isNum(v.ts) &&
    isStrOrNull(v.name) &&
    isStrOrNull(v.callsign) &&
    isNumOrNull(v.imo) &&
    isNumOrNull(v.shipType) &&
    isNumOrNull(v.toBow) &&
    isNumOrNull(v.toStern) &&
    isNumOrNull(v.toPort) &&
    isNumOrNull(v.toStarboard) &&
    isNumOrNull(v.draught) &&
    isStrOrNull(v.destination)
  );
}

export function decodeEntryValue(v: unknown): DecodeResult {
  if (!isRecord(v)) return { ok: false, reason: 'not an object' };
  if (typeof v.id !== 'string' || v.id === '') return { ok: false, reason: 'missing id' };
  if (v.target !== 'postgres' && v.target !== 'redis') return { ok: false, reason: `bad target ${String(v.target)}` };
  if (!isNum(v.attempts) || !isNum(v.firstFailedAt) || !isNum(v.nextAttemptAt)) return { ok: false, reason: 'bad counters' };
  if (typeof v.lastError !== 'string') return { ok: false, reason: 'bad lastError' };
  if (!Array.isArray(v.positions) || !v.positions.every(isPositionRow)) return { ok: false, reason: 'bad positions' };
  if (!Array.isArray(v.statics) || !v.statics.every(isStaticRow)) return { ok: false, reason: 'bad statics' };
  return {
    ok: true,
    entry: {
      id: v.id,
      target: v.target,
      attempts: v.attempts,
      firstFailedAt: v.firstFailedAt,
      nextAttemptAt: v.nextAttemptAt,
      lastError: v.lastError,
      positions: v.positions,
      statics: v.statics,
    },
  };
}

export function decodeEntry(json: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${errorMessage(err)}` };
  }
  return decodeEntryValue(parsed);
}
