/**
 * CPU time of the calling thread (user + system, ms), from /proc/thread-self/stat: what
 * `process.cpuUsage()` cannot tell once load generation runs on a thread of its own, since it
 * counts every thread of the process. Null where /proc is not there (not Linux).
 */
import { readFileSync } from 'node:fs';

/** USER_HZ is 100 on every Linux Node supports (sysconf(_SC_CLK_TCK) has no Node binding). */
const MS_PER_TICK = 10;

export function threadCpuMs(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may contain spaces) start at field 3, the state;
  // utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
}
