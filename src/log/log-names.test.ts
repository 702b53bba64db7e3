import { describe, expect, it } from 'vitest';
import { logNames } from './log-names.js';

describe('logNames', () => {
  it('derives every name from the environment', () => {
    const n = logNames('prod-eu');
    expect(n.stream).toBe('AIS_prod-eu');
    expect(n.subject(7)).toBe('prod-eu.ais.p.7');
    expect(n.consumer(7)).toBe('p7');
    expect(n.leaseBucket).toBe('aisctl_leases_prod-eu');
    expect(n.partitionOfSubject('prod-eu.ais.p.31')).toBe(31);
    expect(n.partitionOfSubject('other.ais.p.1')).toBeNull();
    expect(n.partitionOfSubject('prod-eu.ais.p.01')).toBeNull();
  });

  it('refuses environments that cannot name a stream, saying which', () => {
    expect(() => logNames('a.b')).toThrow(/'a.b' cannot name a NATS stream/);
  });
});
