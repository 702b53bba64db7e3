/**
 * Partition ownership through leases in a JetStream KV bucket (`aisctl_leases_<env>`), whose TTL
 * is the lease time: an entry not rewritten within it is removed by the server.
 *
 * - `w.<owner>`: a worker's membership, rewritten on every tick; the live members decide the
 *   fair share ceil(P / members).
 * - `p.<k>`: the lease of partition k, `{owner}`. Taken with `create` (succeeds only when the key
 *   is absent or deleted), renewed with `update` on the revision the owner last wrote
 *   (compare-and-set: a renewal after someone else took it fails), given up with a delete on that
 *   revision.
 *
 * A worker considers a lease its own until `sent + TTL - margin`, where `sent` is when its last
 * successful renewal left: the server's entry was written after that, so it expires after, and
 * nobody else can `create` the key before the holder has stopped reading. A renewal refused on
 * the revision (someone else holds it) revokes the partition at once; one that cannot reach the
 * server leaves the lease running until that deadline.
 */
import { hostname } from 'node:os';
import type { JetStreamClient, KV } from 'nats';
import { errorMessage } from '../errors/error-message.js';
import type { LogNames } from './log-names.js';
import type { LeaseEvent, OwnershipListener, PartitionOwnership, RevokeReason } from './partitioned-log.js';

/** Renewals per TTL: two may fail before the lease is lost. */
const TICKS_PER_TTL = 3;
/** Of the TTL, kept as a margin against the two clocks' rates. */
const MARGIN = 0.1;

interface Held {
  revision: number;
  /** performance.now() after which the lease may be someone else's. */
  deadline: number;
  timer: NodeJS.Timeout;
}

export interface LeaseOptions {
  readonly partitions: number;
  /** Default: host-pid-random; only [A-Za-z0-9_-] are kept. */
  readonly owner?: string;
  readonly onEvent?: (event: LeaseEvent) => void;
  readonly onWarning?: (message: string) => void;
}

export async function openLeaseBucket(js: JetStreamClient, names: LogNames, ttlMs: number, replicas: number): Promise<{ kv: KV; ttlMs: number }> {
  const kv = await js.views.kv(names.leaseBucket, { ttl: ttlMs, history: 1, replicas });
  const status = await kv.status();
  return { kv, ttlMs: status.ttl > 0 ? status.ttl : ttlMs };
}

export function defaultOwner(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 40);
  return `${host}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

const leaseKey = (p: number): string => `p.${p}`;
const memberKey = (owner: string): string => `w.${owner}`;
const encoder = new TextEncoder();

export class JetStreamLeases implements PartitionOwnership {
  readonly owner: string;
  private readonly held = new Map<number, Held>();
  private listener: OwnershipListener | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  /** The lease's value: who holds it, for `doctor --nats`. */
  private readonly value: Uint8Array;

  constructor(
    private readonly kv: KV,
    private readonly ttlMs: number,
    private readonly opts: LeaseOptions,
  ) {
    this.owner = (opts.owner ?? defaultOwner()).replace(/[^A-Za-z0-9_-]/g, '_');
    this.value = encoder.encode(JSON.stringify({ owner: this.owner, host: hostname(), pid: process.pid }));
  }

  owned(): readonly number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async start(listener: OwnershipListener): Promise<void> {
    this.listener = listener;
    // A failed tick (a replicated bucket still electing its leader answers 503) is retried by
    // the next one; the worker keeps running.
    await this.tick().catch((err: unknown) => this.opts.onWarning?.(`leases: ${errorMessage(err)}; trying again`));
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.tickTimer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((err: unknown) => this.opts.onWarning?.(`leases: ${errorMessage(err)}`))
        .finally(() => {
          this.ticking = null;
          this.schedule();
        });
    }, this.ttlMs / TICKS_PER_TTL);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    await this.kv.put(memberKey(this.owner), this.value);
    await this.renewAll();
    if (this.stopped) return;
    const { members, leased } = await this.survey();
    const share = Math.ceil(this.opts.partitions / Math.max(1, members));
    if (this.held.size > share) {
      // Give back the highest-numbered ones: deterministic, so the others know what to expect.
      const extra = this.owned().slice(share);
      for (const p of extra) await this.release(p, 'rebalanced');
      return;
    }
    if (this.held.size >= share) return;
    const free = [];
    for (let k = 0; k < this.opts.partitions; k++) if (!leased.has(k)) free.push(k);
    // Start at an owner-dependent point so newcomers do not all race for partition 0.
    const offset = free.length === 0 ? 0 : hashOwner(this.owner) % free.length;
    const order = [...free.slice(offset), ...free.slice(0, offset)];
    for (const p of order) {
      if (this.held.size >= share || this.stopped) break;
      await this.acquire(p);
    }
  }

  private async survey(): Promise<{ members: number; leased: Set<number> }> {
    let members = 0;
    const leased = new Set<number>();
    for await (const _key of await this.kv.keys('w.>')) members++;
    // Each lease read directly: P is known, and a key listing was seen to miss keys of a bucket with a TTL.
    await Promise.all(
      Array.from({ length: this.opts.partitions }, async (_, k) => {
        const e = await this.kv.get(leaseKey(k));
        if (e !== null && e.operation === 'PUT') leased.add(k);
      }),
    );
    return { members, leased };
  }

  private async acquire(p: number): Promise<void> {
    const sent = performance.now();
    let revision: number;
    try {
      revision = await this.kv.create(leaseKey(p), this.value);
    } catch {
      return; // someone else was faster
    }
    if (this.stopped) {
      await this.kv.delete(leaseKey(p), { previousSeq: revision }).catch(() => undefined);
      return;
    }
    this.hold(p, revision, sent);
    this.opts.onEvent?.({ type: 'acquired', partition: p, owner: this.owner, revision });
    try {
      await this.listener?.assigned(p);
    } catch (err) {
      this.opts.onWarning?.(`partition ${p}: cannot start reading (${errorMessage(err)}); giving it up`);
      await this.release(p, 'released');
    }
  }

  private hold(p: number, revision: number, sent: number): void {
    const prev = this.held.get(p);
    if (prev) clearTimeout(prev.timer);
    const deadline = sent + this.ttlMs * (1 - MARGIN);
    const timer = setTimeout(() => void this.revoke(p, 'expired'), Math.max(0, deadline - performance.now()));
    this.held.set(p, { revision, deadline, timer });
  }

  private async renewAll(): Promise<void> {
    for (const [p, h] of [...this.held]) {
      const sent = performance.now();
      try {
        const revision = await this.kv.update(leaseKey(p), this.value, h.revision);
        if (this.held.get(p) === h) this.hold(p, revision, sent);
      } catch (err) {
        if (/wrong last sequence/i.test(errorMessage(err))) await this.revoke(p, 'lost');
        else
          this.opts.onWarning?.(`partition ${p}: lease renewal failed (${errorMessage(err)}); it expires in ${Math.max(0, Math.round(h.deadline - sent))} ms`);
      }
    }
  }

  /** Stops reading `p` and forgets the lease without touching the key (it is not ours any more). */
  private async revoke(p: number, reason: RevokeReason): Promise<void> {
    const h = this.held.get(p);
    if (!h) return;
    clearTimeout(h.timer);
    this.held.delete(p);
    this.opts.onEvent?.({ type: reason === 'lost' ? 'lost' : 'expired', partition: p, owner: this.owner, revision: h.revision });
    await this.listener?.revoked(p, reason);
  }

  /** Stops reading `p`, then deletes the lease on the revision we hold, so the next owner can take it at once. */
  private async release(p: number, reason: RevokeReason): Promise<void> {
    const h = this.held.get(p);
    if (!h) return;
    clearTimeout(h.timer);
    this.held.delete(p);
    await this.listener?.revoked(p, reason);
    try {
      await this.kv.delete(leaseKey(p), { previousSeq: h.revision });
      this.opts.onEvent?.({ type: 'released', partition: p, owner: this.owner, revision: h.revision });
    } catch (err) {
      this.opts.onWarning?.(`partition ${p}: lease not released (${errorMessage(err)}); it expires by itself`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    await this.ticking;
    await Promise.all(this.owned().map((p) => this.release(p, 'released')));
    await this.kv.delete(memberKey(this.owner)).catch(() => undefined);
  }
}

function hashOwner(owner: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < owner.length; i++) h = Math.imul(h ^ owner.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
