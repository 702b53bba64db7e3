/**
 * Fusion's steady state: 10,000 vessels seen by 3 receivers (10 % cross-receiver duplicates, 1 %
 * late), event time at 10,000 reports per second, through FusionLanes alone. Reports are parsed
 * before the clock starts; the first third warms the windows up, the rest is measured: CPU per
 * report, and what the windows leave to the old generation (old-space growth per 1,000 reports,
 * major collections and their longest pause). The windows are where per-report objects used to
 * outlive the young generation; run it against an older checkout to compare.
 *
 *   node --import tsx bench/fusion-steady-state.bench.ts [--reports N] [--json]
 */
import { PerformanceObserver, performance, constants, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import { FusionLanes } from '../src/fusion/fusion-lanes.js';
import { createTrafficGenerator } from '../src/harness/traffic-generator.js';
import { createParser } from '../src/formats/create-parser.js';
import type { PositionReport } from '../src/normalize/message.js';
import type { NormalizeOutcome } from '../src/normalize/normalize-outcome.js';

function parseArgs(argv: readonly string[]): { reports: number; json: boolean } {
  const out = { reports: 600_000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--reports') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 3) throw new Error(`--reports needs a whole number of at least 3 (got ${String(argv[i])})`);
      out.reports = v;
    } else throw new Error(`unknown option ${String(a)}; use --reports N, --json`);
  }
  return out;
}

function oldSpaceUsed(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const start = Date.UTC(2024, 0, 1);
  const gen = createTrafficGenerator({
    vessels: 10_000,
    sources: ['rx1', 'rx2', 'rx3'],
    seed: 1,
    startTimeMs: start,
    dupRate: 0.1,
    lateRate: 0.01,
    badRate: 0,
    tagTimeMs: true,
    honourIntervals: true,
  });
  const parser = createParser('nmea', { file: 'bench', source: undefined, maxFutureMs: 60_000 });
  const reports: PositionReport[] = [];
  const take = (o: NormalizeOutcome): void => {
    for (const m of o.messages) if (m.kind === 'position') reports.push(m);
  };
  let t = start;
  while (reports.length < args.reports) {
    const g = gen.next((t += 0.1));
    for (const l of g.lines) parser.parseLine(l, 0, Math.max(t, gen.eventTimeMs), take);
  }

  const lanes = new FusionLanes({ lanes: 4 });
  let watermark = 0;
  let live = 0;
  const offer = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const m = reports[i] as PositionReport;
      if (m.ts > watermark) watermark = m.ts;
      if (lanes.offer(m, watermark).movesLive) live++;
      // As the pipeline does, about once per second of event time at this rate.
      if (i % 10_000 === 0) lanes.prune(watermark);
    }
  };
  const warm = Math.floor(reports.length / 3);
  offer(0, warm);
  live = 0;

  const pauses: { major: boolean; ms: number }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      pauses.push({ major: kind === constants.NODE_PERFORMANCE_GC_MAJOR, ms: e.duration });
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const old0 = oldSpaceUsed();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  offer(warm, reports.length);
  const cpu = process.cpuUsage(c0);
  const wallMs = performance.now() - w0;
  // Let the observer deliver the last entries.
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  const measured = reports.length - warm;
  const major = pauses.filter((p) => p.major);
  const minor = pauses.filter((p) => !p.major);
  const result = {
    reports: measured,
    liveDecisions: live,
    cpuUsPerReport: (cpu.user + cpu.system) / measured,
    wallMs,
    oldSpaceGrowthKiBPer1000Reports: (oldSpaceUsed() - old0) / 1024 / (measured / 1000),
    scavenges: minor.length,
    scavengeMs: minor.reduce((n, p) => n + p.ms, 0),
    majorCollections: major.length,
    longestMajorMs: major.reduce((n, p) => Math.max(n, p.ms), 0),
  };
  if (args.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    `fusion steady state, ${measured.toLocaleString('en-US')} reports after ${warm.toLocaleString('en-US')} of warm-up (${live.toLocaleString('en-US')} live decisions)\n` +
      `  CPU ${result.cpuUsPerReport.toFixed(2)} us/report, old space +${result.oldSpaceGrowthKiBPer1000Reports.toFixed(1)} KiB per 1,000 reports, ` +
      `${result.scavenges} scavenges (${result.scavengeMs.toFixed(0)} ms), ${result.majorCollections} major collections (longest ${result.longestMajorMs.toFixed(0)} ms)\n`,
  );
}

await main();
