/**
 * CPU time of the calling thread (user + system, ms), from /proc/thread-self/stat: what
 * `process.cpuUsage()` cannot tell once load generation runs on a thread of its own, since it
 * counts every thread of the process. Null where /proc is not there (not Linux).
 */
import { readProcStat } from './proc-stat.js';

export function threadCpuMs(): number | null {
  return readProcStat('thread-self')?.cpuMs ?? null;
}
