/**
 * The stream of one environment: created by the first publisher with P subjects
 * `<env>.ais.p.0 .. <env>.ais.p.{P-1}` (listed, not a wildcard, so P is part of the stream's own
 * configuration and a publish to a partition it does not have fails), work-queue retention (a
 * record is removed once its partition's consumer acknowledged it, so storage holds the backlog,
 * not the history), file storage, R replicas and a duplicate window for `Nats-Msg-Id`.
 */
import { nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from 'nats';
import { AisctlError } from '../errors/aisctl-error.js';
import { errorMessage } from '../errors/error-message.js';
import type { LogNames } from './log-names.js';
import { MAX_PARTITIONS } from './log-defaults.js';
import { isNoAnswerYet } from './jetstream-retry.js';

export interface StreamSettings {
  /** Only used when the stream is created; an existing stream keeps its own. */
  readonly partitions: number;
  readonly replicas: number;
  readonly dedupWindowMs: number;
}

export function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number } };
  return e.code === '404' || e.api_error?.err_code === 10059 || e.api_error?.err_code === 10014 || /not found/i.test(errorMessage(err));
}

/** P of an existing stream, from its subjects; an error when they are not this layout. */
export function streamPartitions(info: StreamInfo, names: LogNames): number {
  const subjects = info.config.subjects ?? [];
  const ks = subjects.map((s) => names.partitionOfSubject(s));
  if (ks.length === 0 || ks.some((k) => k === null) || new Set(ks).size !== ks.length || Math.max(...(ks as number[])) !== ks.length - 1) {
    throw new AisctlError(
      `stream ${names.stream} has subjects ${subjects.join(' ')}, not ${names.subject(0)}..${names.subject(ks.length - 1)}: it was not created by aisctl`,
    );
  }
  return ks.length;
}

export async function streamInfo(jsm: JetStreamManager, names: LogNames): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(names.stream);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Creates the stream when missing; returns its partition count (an existing stream's own). */
export async function ensureStream(jsm: JetStreamManager, names: LogNames, settings: StreamSettings, requestedPartitions: boolean): Promise<number> {
  if (settings.partitions < 1 || settings.partitions > MAX_PARTITIONS)
    throw new AisctlError(`--partitions must be 1..${MAX_PARTITIONS}: got ${settings.partitions}`);
  const existing = await streamInfo(jsm, names);
  if (existing !== null) {
    const p = streamPartitions(existing, names);
    if (requestedPartitions && p !== settings.partitions) {
      throw new AisctlError(
        `stream ${names.stream} already has ${p} partitions, not ${settings.partitions}: drop --partitions, or delete the stream once it is drained`,
      );
    }
    return p;
  }
  const subjects = Array.from({ length: settings.partitions }, (_, k) => names.subject(k));
  try {
    await jsm.streams.add({
      name: names.stream,
      subjects,
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: settings.replicas,
      duplicate_window: nanos(settings.dedupWindowMs),
      description: `aisctl ${names.env}: normalized AIS messages partitioned by MMSI`,
    });
  } catch (err) {
    // Another publisher created it first: use theirs.
    const now = await streamInfo(jsm, names);
    if (now === null) {
      // No answer yet is not a refusal: the caller may ask again (untilJetStreamAnswers).
      if (isNoAnswerYet(err)) throw err;
      throw new AisctlError(`cannot create stream ${names.stream}: ${errorMessage(err)}`);
    }
    return streamPartitions(now, names);
  }
  return settings.partitions;
}
