/**
 * Reader throughput on generated 100k-line files, one per format. Prints records/s; no
 * assertions (the machine is shared). Run: npm run bench:read [-- lines]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PositionReport, StaticReport } from '../src/normalize/message.js';
import { readMessages } from '../src/formats/read-messages.js';
import { createWriter } from '../src/formats/writers/create-writer.js';
import type { OutputFormat } from '../src/formats/writers/record-writer.js';
import type { InputFormat } from '../src/formats/input-format.js';
import { splitCsvRecord } from '../src/formats/csv-record.js';

const LINES = Number(process.argv[2] ?? 100_000);
const NOW = Date.UTC(2024, 0, 2);
const origin = { file: 'bench', line: 0 };

function vessel(i: number): [PositionReport, StaticReport] {
  const mmsi = 219_000_000 + (i % 5000);
  const ts = NOW - 86_400_000 + i * 1000;
  const p: PositionReport = {
    kind: 'position',
    mmsi,
    ts,
    lat: 55 + (i % 1000) / 1000,
    lon: 10 + (i % 777) / 1000,
    sog: (i % 200) / 10,
    cog: (i % 3600) / 10,
    heading: i % 360,
    navStatus: i % 9,
    source: 'bench',
    msgType: 1,
    origin,
  };
  const s: StaticReport = {
    kind: 'static',
    mmsi,
    ts,
    name: `VESSEL ${i % 5000}`,
    callsign: `OX${i % 5000}`,
    imo: 9_000_000 + (i % 5000),
    shipType: 70,
    toBow: 100,
    toStern: 20,
    toPort: 10,
    toStarboard: 10,
    draught: 7.5,
    destination: 'AARHUS',
    source: 'bench',
    msgType: 5,
    origin,
  };
  return [p, s];
}

async function bench(out: OutputFormat, inFormat: InputFormat, dir: string): Promise<void> {
  const w = createWriter(out);
  const lines: string[] = [];
  const header = w.header();
  if (header !== null) lines.push(header);
  for (let i = 0; lines.length < LINES; i++) {
    const [p, s] = vessel(i);
    lines.push(w.line(p, s) ?? '');
  }
  const path = join(dir, `bench.${out}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  // Best of three, wall and CPU time: the machine is shared, so CPU time is the steadier figure.
  let best = { wall: Infinity, cpu: Infinity, recs: 0, messages: 0, rejected: 0 };
  for (let run = 0; run < 3; run++) {
    let rejected = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const reader = readMessages(path, { format: inFormat, nowMs: Date.now, maxFutureMs: 300_000, onRejection: () => rejected++ });
    let messages = 0;
    for await (const b of reader) messages += b.length;
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (cpu < best.cpu) best = { wall, cpu, recs: reader.stats.records, messages, rejected };
  }
  const rate = (n: number, s: number): string => Math.round(n / s).toLocaleString('en');
  console.log(
    `${out.padEnd(14)} ${best.recs} records, ${best.messages} messages, ${best.rejected} rejected: ` +
      `${rate(best.recs, best.wall)} records/s wall, ${rate(best.recs, best.cpu)} records/s per CPU-second`,
  );
}

function splitterOnly(): void {
  const w = createWriter('noaa-csv-2023');
  const rows: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const [p, s] = vessel(i);
    // Quoted names exercise the slow path of the splitter.
    rows.push(w.line(p, { ...s, name: `"${s.name ?? ''}, LTD"` }) ?? '');
  }
  let fields = 0;
  const c0 = process.cpuUsage();
  for (const r of rows) fields += splitCsvRecord(r).fields.length;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  console.log(`csv splitter   ${rows.length} quoted rows (${fields} fields): ${Math.round(rows.length / cpu).toLocaleString('en')} rows/s per CPU-second`);
}

const dir = mkdtempSync(join(tmpdir(), 'aisctl-bench-'));
try {
  splitterOnly();
  for (const [out, inFormat] of [
    ['noaa-csv-2023', 'noaa-csv'],
    ['noaa-csv-2024', 'noaa-csv'],
    ['dma-csv', 'dma-csv'],
    ['jsonl', 'jsonl'],
    ['aisstream', 'aisstream'],
    ['aishub-0', 'aishub'],
  ] as const) {
    await bench(out, inFormat, dir);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
