/**
 * A dead-letter queue in process memory, with the same semantics as the Redis one (idempotent
 * add by id, leases, parking). Not durable: for unit tests only, never for a
 * pipeline that acknowledges input.
 */
import type { DeadLetterEntry, DeadLetterQueue, DeadLetterStats } from '../resilience/dead-letter/dead-letter-queue.js';

export interface MemoryDeadLetterQueue extends DeadLetterQueue {
  pendingEntries(): DeadLetterEntry[];
  parkedEntries(): DeadLetterEntry[];
}

export function createMemoryDeadLetterQueue(): MemoryDeadLetterQueue {
  const pending = new Map<string, { entry: DeadLetterEntry; due: number }>();
  const parked = new Map<string, { entry: DeadLetterEntry; at: number }>();
  const put = (e: DeadLetterEntry) => pending.set(e.id, { entry: e, due: e.nextAttemptAt });
  return {
    async enqueue(entries) {
      for (const e of entries) if (!pending.has(e.id) && !parked.has(e.id)) put(e);
      return 'redis';
    },
    async claimDue(now, limit, leaseMs) {
      const due = [...pending.values()]
        .filter((p) => p.due <= now)
        .sort((a, b) => a.due - b.due)
        .slice(0, limit);
      for (const p of due) p.due = now + leaseMs;
      return due.map((p) => p.entry);
    },
    async complete(id) {
      pending.delete(id);
    },
    async reschedule(id, next) {
      pending.delete(id);
      for (const e of next) put(e);
    },
    async park(entry, at) {
      pending.delete(entry.id);
      parked.set(entry.id, { entry, at });
    },
    async requeueParked(now) {
      const n = parked.size;
      for (const { entry } of parked.values()) put({ ...entry, attempts: 0, nextAttemptAt: now });
      parked.clear();
      return n;
    },
    async listParked(limit) {
      return [...parked.values()].slice(0, limit).map((p) => p.entry);
    },
    async purge(which) {
      let n = 0;
      if (which !== 'parked') {
        n += pending.size;
        pending.clear();
      }
      if (which !== 'pending') {
        n += parked.size;
        parked.clear();
      }
      return n;
    },
    async stats(now): Promise<DeadLetterStats> {
      let oldest: number | null = null;
      for (const { entry } of pending.values()) oldest = oldest === null ? entry.firstFailedAt : Math.min(oldest, entry.firstFailedAt);
      return { pending: pending.size, parked: parked.size, spooled: 0, oldestAgeMs: oldest === null ? null : now - oldest, corruptSpoolLines: 0 };
    },
    pendingEntries: () => [...pending.values()].map((p) => p.entry),
    parkedEntries: () => [...parked.values()].map((p) => p.entry),
  };
}
