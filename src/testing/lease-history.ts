/**
 * The lease history of an environment, as the bucket itself records it, and the check that no
 * partition ever had two live owners: the proof the scale-out tests ask of the leases.
 */
import type { KV } from 'nats';

export interface LeaseHistoryEntry {
  readonly key: string;
  readonly revision: number;
  readonly operation: string;
  readonly owner: string | null;
  readonly createdMs: number;
}

/** Records every write of a lease bucket (watch from before the first worker writes). */
export async function recordLeaseHistory(kv: KV): Promise<{ entries: LeaseHistoryEntry[]; stop(): void }> {
  const entries: LeaseHistoryEntry[] = [];
  const watch = await kv.watch({ key: 'p.>' });
  void (async () => {
    for await (const e of watch) {
      let owner: string | null = null;
      if (e.operation === 'PUT') owner = (JSON.parse(new TextDecoder().decode(e.value)) as { owner: string }).owner;
      entries.push({ key: e.key, revision: e.revision, operation: e.operation, owner, createdMs: e.created.getTime() });
    }
  })();
  return { entries, stop: () => watch.stop() };
}

/**
 * Two live owners of one partition: a PUT by another owner while the previous owner's lease was
 * neither deleted nor expired (its last write less than `ttlMs` before). Returns the violations
 * and how many takeovers happened by expiry (so a test can see the check had work to do).
 */
export function leaseViolations(entries: readonly LeaseHistoryEntry[], ttlMs: number): { violations: string[]; expiryTakeovers: number; acquisitions: number } {
  const byKey = new Map<string, LeaseHistoryEntry[]>();
  for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  const violations: string[] = [];
  let expiryTakeovers = 0;
  let acquisitions = 0;
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.revision - b.revision);
    let holder: LeaseHistoryEntry | null = null;
    for (const e of list) {
      if (e.operation !== 'PUT') {
        holder = null;
        continue;
      }
      if (holder === null || holder.owner !== e.owner) acquisitions++;
      if (holder !== null && holder.owner !== e.owner) {
        if (e.createdMs - holder.createdMs < ttlMs) {
          violations.push(
            `${key}: ${e.owner} wrote revision ${e.revision} ${e.createdMs - holder.createdMs} ms after ${holder.owner}'s revision ${holder.revision} (TTL ${ttlMs} ms)`,
          );
        } else expiryTakeovers++;
      }
      holder = e;
    }
  }
  return { violations, expiryTakeovers, acquisitions };
}
