/**
 * Whole processes timed from outside: start-up, reading the file, splitting lines and decoding,
 * as a user runs them. CPU time is the children's user + system time from /proc/self/stat
 * (cutime + cstime of waited-for children, in clock ticks), which a loaded machine moves far less
 * than wall time; commands alternate run by run so drift in the machine's speed hits each alike.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface ProcessCommand {
  readonly name: string;
  readonly argv: readonly string[];
}

export interface ProcessResult {
  readonly name: string;
  /** Best (lowest) CPU seconds of a run, then the median. */
  readonly bestCpuSeconds: number;
  readonly medianCpuSeconds: number;
  readonly bestWallSeconds: number;
  /** The last run's stdout, for the caller to check the counts. */
  readonly stdout: string;
}

/** USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) has no Node binding). */
const TICKS_PER_SECOND = 100;

function childCpuTicks(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may contain spaces) start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

export function timeProcesses(commands: readonly ProcessCommand[], runs: number): ProcessResult[] {
  const cpu = commands.map((): number[] => []);
  const wall = commands.map((): number[] => []);
  const out = commands.map(() => '');
  for (let r = 0; r < runs; r++) {
    commands.forEach((c, i) => {
      const t0 = childCpuTicks();
      const w0 = performance.now();
      const res = spawnSync(c.argv[0] as string, c.argv.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const w = (performance.now() - w0) / 1000;
      const t1 = childCpuTicks();
      if (res.status !== 0) throw new Error(`${c.name} exited ${String(res.status)}: ${res.stderr}`);
      wall[i]?.push(w);
      // Without /proc, wall time is the only measure.
      cpu[i]?.push(t0 === null || t1 === null ? w : (t1 - t0) / TICKS_PER_SECOND);
      out[i] = res.stdout;
    });
  }
  return commands.map((c, i) => {
    const cs = [...(cpu[i] as number[])].sort((a, b) => a - b);
    const ws = [...(wall[i] as number[])].sort((a, b) => a - b);
    return {
      name: c.name,
      bestCpuSeconds: cs[0] as number,
      medianCpuSeconds: cs[Math.floor(cs.length / 2)] as number,
      bestWallSeconds: ws[0] as number,
      stdout: out[i] as string,
    };
  });
}
