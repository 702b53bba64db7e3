import type { PositionFields, VesselStaticFields } from '../normalize/message.js';

/**
 * Contracts between the pipeline and the storage adapters. Rows are plain data; adapters own
 * SQL, Lua and connections.
 */

export interface PositionRow extends PositionFields {
  readonly mmsi: number;
  readonly source: string;
  /** Fusion score (source weight x source quality); a later duplicate with a higher score wins. */
  readonly score: number;
}

export interface VesselStaticRow extends VesselStaticFields {
  readonly mmsi: number;
  readonly ts: number;
}

export interface HistoryWriteResult {
  /** New rows in vessel_positions. */
  readonly positionsInserted: number;
  /** Existing (vessel, time) rows whose score was improved by a better-scoring duplicate. */
  readonly positionsUpdated: number;
  /** Rows that were already present (re-ingest) or duplicated inside the batch. */
  readonly positionsSkipped: number;
  readonly vesselsInserted: number;
  /** Deadlocks (SQLSTATE 40P01) seen and retried while writing this batch. */
  readonly deadlocks: number;
}

/** Durable history (PostgreSQL). A resolved promise means the rows are committed. */
export interface HistoryStore {
  writeBatch(positions: readonly PositionRow[], statics: readonly VesselStaticRow[]): Promise<HistoryWriteResult>;
  close(): Promise<void>;
}

export interface HotStateWriteResult {
  /** Vessels whose live state moved forward. */
  readonly applied: number;
  /** Reports older than the stored state, refused atomically by the script. */
  readonly stale: number;
}

/** Hot state (Redis). A resolved promise means Redis acknowledged every command. */
export interface HotStateStore {
  writeBatch(positions: readonly PositionRow[], statics: readonly VesselStaticRow[]): Promise<HotStateWriteResult>;
  close(): Promise<void>;
}
