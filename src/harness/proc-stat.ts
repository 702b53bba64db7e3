/**
 * Linux's /proc/PID/stat (and /proc/thread-self/stat): a process's state and CPU time, read by
 * the harness to measure its own threads and the local servers beside it. Every reader returns
 * null where /proc is not there (other systems) or the process is gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ is 100 on every Linux Node supports (sysconf(_SC_CLK_TCK) has no Node binding). */
export const MS_PER_TICK = 10;

export interface ProcStat {
  /** The command name, at most 15 bytes (the kernel truncates it). */
  readonly comm: string;
  /** R, S, D, Z, X, ... */
  readonly state: string;
  /** Own CPU time, user + system, ms. */
  readonly cpuMs: number;
  /** CPU time of the children this process has waited for (reaped), user + system, ms. */
  readonly reapedChildrenCpuMs: number;
}

/** Parses the text of a stat file; null when it is not one. */
export function parseProcStat(text: string): ProcStat | null {
  // The command name sits in parentheses and may itself hold spaces and parentheses: the
  // fields after it start after the last ')', with the state (field 3).
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17, so 11-14 counted from the state.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  if (![utime, stime, cutime, cstime].every(Number.isFinite)) return null;
  return {
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '',
    cpuMs: ((utime as number) + (stime as number)) * MS_PER_TICK,
    reapedChildrenCpuMs: ((cutime as number) + (cstime as number)) * MS_PER_TICK,
  };
}

/** The stat of /proc/`pid` (a number, or 'self' / 'thread-self'). */
export function readProcStat(pid: number | 'self' | 'thread-self'): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Starts measuring the CPU of the processes named `comm` (cpuMsOfProcessesNamed): the returned
 * function gives the ms they used since, or null where /proc cannot tell.
 */
export function cpuMeterOfProcessesNamed(comm: string): () => number | null {
  const start = cpuMsOfProcessesNamed(comm);
  return () => {
    const now = cpuMsOfProcessesNamed(comm);
    return start === null || now === null ? null : now - start;
  };
}

/**
 * CPU time, ms, of every process on this machine whose command name is `comm` (e.g. 'postgres':
 * the postmaster, its backends and workers), with what those processes reaped from children
 * that exited (a PostgreSQL backend's CPU moves into the postmaster's when its connection ends).
 * Null where /proc cannot be listed. Other instances of the same program count too.
 */
export function cpuMsOfProcessesNamed(comm: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let total = 0;
  for (const e of entries) {
    const pid = Number(e);
    if (!Number.isInteger(pid)) continue;
    const s = readProcStat(pid);
    if (s !== null && s.comm === comm) total += s.cpuMs + s.reapedChildrenCpuMs;
  }
  return total;
}
