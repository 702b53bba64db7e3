import { describe, expect, it } from 'vitest';
import { cpuMeterOfProcessesNamed, cpuMsOfProcessesNamed, parseProcStat, readProcStat } from './proc-stat.js';

const onLinux = process.platform === 'linux';

describe('parseProcStat', () => {
  it('reads state and CPU ticks after a command name holding spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    const text = '4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 25 7 3 20 0 1 0 12345 1000 200\n';
    expect(parseProcStat(text)).toEqual({ comm: 'postgres: a (b) c', state: 'S', cpuMs: 1750, reapedChildrenCpuMs: 100 });
  });

  it('is null for text that is not a stat line', () => {
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('12 (x) S 1 2')).toBeNull();
  });
});

describe.skipIf(!onLinux)('reading /proc (Linux)', () => {
  it('counts this process among those of its command name, and nothing for a name no process has', () => {
    const self = readProcStat('self');
    expect(self).not.toBeNull();
    const { comm, cpuMs } = self as { comm: string; cpuMs: number };
    // Read after self: the sum holds this process's CPU at that later moment (others of the
    // same name may come and go, so only this lower bound is certain).
    expect(cpuMsOfProcessesNamed(comm)).toBeGreaterThanOrEqual(cpuMs);
    expect(cpuMsOfProcessesNamed('no-such-comm-x')).toBe(0);
    expect(cpuMeterOfProcessesNamed('no-such-comm-x')()).toBe(0);
  });

  it('is null for a process that is not there', () => {
    expect(readProcStat(2 ** 22 + 1)).toBeNull();
  });
});
