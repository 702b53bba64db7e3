/**
 * The local spool: an append-only JSON-lines file that holds dead-letter entries while Redis
 * (the normal home of the dead-letter queue) is itself down, so dead-lettering never depends on
 * the dependency that failed. An append resolves only after write + fsync, so a resolved append
 * survives kill -9 and power loss; concurrent appends share one write and one fsync (group commit).
 *
 * Files: `<dir>/seg-<pid>-<ms>-<seq>.jsonl`, one writer process per file. Each line is
 * `{"v":1,"sum":"<sha256 of entry JSON, 16 hex>","entry":{...}}`. A line cut short by a crash
 * mid-write, or damaged later, fails to parse or to match its sum: it is skipped and counted,
 * never fatal. After a write error the segment is abandoned (a new one is started), so nothing
 * is ever appended behind a half-written line.
 *
 * Hand-off (drain): the active segment is sealed, each sealed segment is read and passed to a
 * handler (e.g. "add to the Redis queue"), and the file is deleted only after the handler
 * resolved. A crash between the two re-delivers the segment next time; entries keep their ids,
 * and the Redis queue adds by id idempotently, so re-delivery duplicates nothing.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeEntryValue, encodeEntry } from './dead-letter-codec.js';
import type { DecodeResult } from './dead-letter-codec.js';
import { DEFAULT_SPOOL_DIR, type DeadLetterEntry } from './dead-letter-queue.js';

export interface DeadLetterSpoolOptions {
  /** Default DEFAULT_SPOOL_DIR. */
  readonly dir?: string;
  /** Start a new segment once the active one exceeds this many bytes. Default 64 MiB. */
  readonly maxSegmentBytes?: number;
  /** Entries per handler call during a drain. Default 500. */
  readonly drainChunk?: number;
  /** Called once per skipped line during a drain. */
  readonly onCorruptLine?: (file: string, line: number, reason: string) => void;
  /** Injected for tests; default process.pid and a signal-0 probe. */
  readonly pid?: number;
  readonly isProcessAlive?: (pid: number) => boolean;
  readonly clock?: () => number;
}

export interface SpoolStats {
  readonly spooled: number;
  readonly oldestFirstFailedAt: number | null;
  /** Lines skipped (corrupt or partially written) by drains of this instance. */
  readonly corruptLines: number;
  readonly segments: number;
}

export interface SpoolDrainResult {
  readonly handedOff: number;
  readonly corrupt: number;
  readonly segments: number;
}

export interface DeadLetterSpool {
  readonly dir: string;
  /** Resolves once the entries are written and fsynced. */
  append(entries: readonly DeadLetterEntry[]): Promise<void>;
  /**
   * Hands every sealed segment (this process's, or one left by a process that is gone) to
   * `handler` in chunks and deletes a segment once all its chunks were accepted. A handler
   * failure stops the drain and leaves that segment for the next one; it is rethrown.
   */
  drain(handler: (entries: DeadLetterEntry[]) => Promise<void>): Promise<SpoolDrainResult>;
  stats(): Promise<SpoolStats>;
  /** Deletes every drainable segment; returns the number of entries they held. */
  purge(): Promise<number>;
  close(): Promise<void>;
}

export function encodeSpoolLine(entry: DeadLetterEntry): string {
  const json = encodeEntry(entry);
  return `{"v":1,"sum":"${checksum(json)}","entry":${json}}\n`;
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export function decodeSpoolLine(line: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'unparseable (partially written?)' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, reason: 'not an object' };
  const rec = parsed as Record<string, unknown>;
  if (rec.v !== 1) return { ok: false, reason: `unknown spool line version ${String(rec.v)}` };
  // JSON.stringify(JSON.parse(s)) === s for text JSON.stringify produced, so the sum can be
  // checked against the re-encoded entry without keeping the raw substring.
  const decoded = decodeEntryValue(rec.entry);
  if (!decoded.ok) return decoded;
  if (typeof rec.sum !== 'string' || checksum(encodeEntry(decoded.entry)) !== rec.sum) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  return decoded;
}

export interface SegmentContents {
  readonly entries: DeadLetterEntry[];
  readonly corrupt: { readonly line: number; readonly reason: string }[];
}

export async function readSpoolSegment(path: string): Promise<SegmentContents> {
  const text = await readFile(path, 'utf8');
  const entries: DeadLetterEntry[] = [];
  const corrupt: { line: number; reason: string }[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '') return;
    const d = decodeSpoolLine(line);
    if (d.ok) entries.push(d.entry);
    else corrupt.push({ line: i + 1, reason: i === lines.length - 1 ? `${d.reason}; no trailing newline` : d.reason });
  });
  return { entries, corrupt };
}

const SEGMENT_RE = /^seg-(\d+)-(\d+)-(\d+)\.jsonl$/;

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface SegmentInfo {
  readonly pid: number;
  count: number;
  oldest: number | null;
}

interface Waiter {
  readonly data: string;
  readonly entries: readonly DeadLetterEntry[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export function openDeadLetterSpool(options: DeadLetterSpoolOptions = {}): DeadLetterSpool {
  const dir = resolve(options.dir ?? DEFAULT_SPOOL_DIR);
  const maxBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024;
  const chunk = options.drainChunk ?? 500;
  const pid = options.pid ?? process.pid;
  const isAlive = options.isProcessAlive ?? defaultIsAlive;
  const clock = options.clock ?? Date.now;

  const segments = new Map<string, SegmentInfo>();
  let active: { path: string; handle: FileHandle; bytes: number } | null = null;
  let seq = 0;
  let corruptLines = 0;
  let queue: Waiter[] = [];
  let flushScheduled = false;
  let chain: Promise<unknown> = Promise.resolve();
  let draining: Promise<SpoolDrainResult> | null = null;

  /** Runs mutations of the file set one at a time (appends, seals, deletions). */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  }

  const ready = (async () => {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      const m = SEGMENT_RE.exec(name);
      if (!m) continue;
      const { entries } = await readSpoolSegment(join(dir, name));
      segments.set(join(dir, name), { pid: Number(m[1]), count: entries.length, oldest: oldestOf(entries) });
    }
  })();
  // Surfaced to whoever awaits `ready`; without this an early failure would be an unhandled rejection.
  ready.catch(() => undefined);

  async function syncDir(): Promise<void> {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  }

  async function closeActive(): Promise<void> {
    const a = active;
    active = null;
    if (a) await a.handle.close().catch(() => undefined);
  }

  async function activeSegment(): Promise<{ path: string; handle: FileHandle; bytes: number }> {
    if (active && active.bytes < maxBytes) return active;
    await closeActive();
    const path = join(dir, `seg-${pid}-${clock()}-${seq++}.jsonl`);
    const handle = await open(path, 'a');
    // The file's directory entry must be durable too, or an fsynced file can vanish on power loss.
    await syncDir();
    segments.set(path, { pid, count: 0, oldest: null });
    active = { path, handle, bytes: 0 };
    return active;
  }

  async function flush(): Promise<void> {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      await ready;
      const seg = await activeSegment();
      const buf = Buffer.from(batch.map((w) => w.data).join(''), 'utf8');
      let off = 0;
      while (off < buf.length) {
        const { bytesWritten } = await seg.handle.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
      await seg.handle.datasync();
      seg.bytes += buf.length;
      const info = segments.get(seg.path);
      if (info) {
        for (const w of batch) {
          info.count += w.entries.length;
          info.oldest = minOrNull(info.oldest, oldestOf(w.entries));
        }
      }
      for (const w of batch) w.resolve();
    } catch (err) {
      // Part of the batch may be on disk as a torn line: abandon this segment so the next
      // append starts clean; the torn line is skipped (and counted) when the segment is drained.
      await closeActive();
      for (const w of batch) w.reject(err);
    }
  }

  function drainable(path: string, info: SegmentInfo): boolean {
    if (active && active.path === path) return false;
    return info.pid === pid || !isAlive(info.pid);
  }

  async function drainOnce(handler: (entries: DeadLetterEntry[]) => Promise<void>): Promise<SpoolDrainResult> {
    await ready;
    await serial(closeActive);
    let handedOff = 0;
    let corrupt = 0;
    let done = 0;
    const paths = [...segments.entries()]
      .filter(([p, i]) => drainable(p, i))
      .map(([p]) => p)
      .sort(bySegmentOrder);
    for (const path of paths) {
      const contents = await readSpoolSegment(path);
      for (let i = 0; i < contents.entries.length; i += chunk) {
        await handler(contents.entries.slice(i, i + chunk));
      }
      for (const c of contents.corrupt) options.onCorruptLine?.(path, c.line, c.reason);
      corrupt += contents.corrupt.length;
      corruptLines += contents.corrupt.length;
      await serial(async () => {
        await unlink(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        await syncDir();
        segments.delete(path);
      });
      handedOff += contents.entries.length;
      done++;
    }
    return { handedOff, corrupt, segments: done };
  }

  return {
    dir,
    append(entries) {
      if (entries.length === 0) return Promise.resolve();
      const data = entries.map(encodeSpoolLine).join('');
      return new Promise<void>((res, rej) => {
        queue.push({ data, entries, resolve: res, reject: rej });
        if (!flushScheduled) {
          flushScheduled = true;
          void serial(flush);
        }
      });
    },
    drain(handler) {
      if (!draining) {
        draining = drainOnce(handler).finally(() => {
          draining = null;
        });
      }
      return draining;
    },
    async stats() {
      await ready;
      let spooled = 0;
      let oldest: number | null = null;
      for (const info of segments.values()) {
        spooled += info.count;
        oldest = minOrNull(oldest, info.oldest);
      }
      return { spooled, oldestFirstFailedAt: oldest, corruptLines, segments: segments.size };
    },
    async purge() {
      await ready;
      return serial(async () => {
        await closeActive();
        let removed = 0;
        for (const [path, info] of [...segments.entries()]) {
          if (!drainable(path, info)) continue;
          await unlink(path).catch(() => undefined);
          segments.delete(path);
          removed += info.count;
        }
        await syncDir();
        return removed;
      });
    },
    async close() {
      await ready.catch(() => undefined);
      await serial(closeActive);
    },
  };
}

function oldestOf(entries: readonly DeadLetterEntry[]): number | null {
  let m: number | null = null;
  for (const e of entries) m = minOrNull(m, e.firstFailedAt);
  return m;
}

function minOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** Oldest first: by creation time, then sequence. */
function bySegmentOrder(a: string, b: string): number {
  const ma = SEGMENT_RE.exec(a.split('/').pop() ?? '');
  const mb = SEGMENT_RE.exec(b.split('/').pop() ?? '');
  if (!ma || !mb) return a.localeCompare(b);
  return Number(ma[2]) - Number(mb[2]) || Number(ma[3]) - Number(mb[3]);
}
