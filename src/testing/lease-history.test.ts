import { describe, expect, it } from 'vitest';
import { leaseViolations, type LeaseHistoryEntry } from './lease-history.js';

const put = (revision: number, owner: string, createdMs: number, key = 'p.0'): LeaseHistoryEntry => ({ key, revision, operation: 'PUT', owner, createdMs });
const del = (revision: number, createdMs: number, key = 'p.0'): LeaseHistoryEntry => ({ key, revision, operation: 'DEL', owner: null, createdMs });

describe('leaseViolations', () => {
  it('accepts renewals, releases and takeovers after the TTL', () => {
    const r = leaseViolations([put(1, 'a', 0), put(2, 'a', 600), del(3, 900), put(4, 'b', 950), put(5, 'c', 3_000)], 2_000);
    expect(r).toEqual({ violations: [], expiryTakeovers: 1, acquisitions: 3 });
  });

  it("finds a second owner writing while the first one's lease was still live", () => {
    const r = leaseViolations([put(2, 'b', 1_500), put(1, 'a', 0)], 2_000);
    expect(r.violations).toEqual(["p.0: b wrote revision 2 1500 ms after a's revision 1 (TTL 2000 ms)"]);
  });

  it('keeps partitions apart', () => {
    expect(leaseViolations([put(1, 'a', 0, 'p.0'), put(2, 'b', 10, 'p.1')], 2_000).violations).toEqual([]);
  });
});
