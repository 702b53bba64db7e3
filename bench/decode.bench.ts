/**
 * Decode throughput: aisctl's NmeaDecoder against the npm decoders ais-stream-decoder and
 * ggencoder, on the same in-memory lines, in the same run.
 *
 *   node --import tsx bench/decode.bench.ts [--json] [--gate] [--sentences N] [--runs N] [--compare-cli BIN]
 *
 * Inputs (1,000,000 sentences each by default):
 *   positions  types 1/2/3/18 from the traffic generator and the encoder (varied fields)
 *   corpus     every AIS sentence of the reference corpus (all 27 types, multi-sentence,
 *              real feeds), repeated; skipped with a message when the corpus is absent
 *
 * Each decoder is warmed up, then timed over the whole input `--runs` times (default 3); the
 * best run is reported, with the median beside it. Rates are per second of process CPU time
 * (user + system): on a shared CI machine wall time mostly measures the neighbours, while CPU
 * time of this single-threaded loop does not (GC helper threads count against us, so it errs
 * low). The best wall-clock rate is printed beside it. Counts are
 * checked: every complete message offered must come out decoded or as an error; anything else
 * is shown as silently skipped.
 *
 * Whole processes: the position sentences are also written to a file, and `aisctl decode --format
 * count FILE` (the built CLI, bin/aisctl) is timed as a process against ggencoder's
 * (bench/ggencoder-count.mjs), alternating, by the children's CPU time (bench/whole-process.ts):
 * start-up and reading the input count here, as they do for a user. `--compare-cli BIN` adds
 * another build's bin/aisctl to that comparison (before/after a change, in the same run).
 *
 * `--gate` exits 1 unless aisctl reaches 1,000,000 position sentences/s, 4x the fastest peer, and
 * 3x ggencoder as a whole process.
 */
import { readdirSync, readFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createTrafficGenerator } from '../src/harness/traffic-generator.js';
import { encodePayload, type EncodableMessage } from '../src/ais/payload-encoder.js';
import { toSentences } from '../src/ais/sentence-encoder.js';
import { CORPUS_DIR, CORPUS_MISSING, corpusAvailable } from '../src/testing/corpus.js';
import { allDecoders, type BenchDecoder, type DecodeCount } from './peer-decoders.js';
import { timeProcesses, type ProcessCommand } from './whole-process.js';

const GATE_SENTENCES_PER_SEC = 1_000_000;
const GATE_RATIO = 4;
const GATE_PROCESS_RATIO = 3;

interface Args {
  json: boolean;
  gate: boolean;
  sentences: number;
  runs: number;
  compareCli: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, gate: false, sentences: 1_000_000, runs: 3, compareCli: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--gate') args.gate = true;
    else if (a === '--compare-cli') {
      const v = argv[++i];
      if (v === undefined) throw new Error('--compare-cli needs the path of a bin/aisctl');
      args.compareCli = v;
    } else if (a === '--sentences' || a === '--runs') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive whole number (got ${String(argv[i])})`);
      if (a === '--sentences') args.sentences = v;
      else args.runs = v;
    } else throw new Error(`unknown option ${String(a)}; use --json, --gate, --sentences N, --runs N, --compare-cli BIN`);
  }
  return args;
}

interface Input {
  readonly name: string;
  readonly lines: string[];
  /** Complete messages offered: sentences that are the last part of their message. */
  readonly offered: number;
}

/** A sentence ends a message when its part number equals its part count. */
function isLastPart(sentence: string): boolean {
  const f = sentence.split(',', 3);
  return f[1] !== undefined && f[1] === f[2];
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

interface BuildFigures {
  seconds: number;
  encodeOnlyPerSec: number;
}

/** 1M position sentences from the traffic generator (20,000 vessels, all kinds of motion). */
function positionInput(n: number): { input: Input; build: BuildFigures } {
  const c0 = process.cpuUsage();
  const gen = createTrafficGenerator({
    vessels: 20_000,
    sources: ['bench'],
    seed: 1,
    startTimeMs: Date.UTC(2024, 0, 1),
    dupRate: 0,
    lateRate: 0,
    badRate: 0,
  });
  const lines: string[] = [];
  const sample: EncodableMessage[] = [];
  let t = Date.UTC(2024, 0, 1);
  while (lines.length < n) {
    const g = gen.next((t += 1));
    const type = g.msgType;
    if (type !== 1 && type !== 2 && type !== 3 && type !== 18) continue;
    const l = g.lines[0] as string;
    lines.push(l.slice(l.indexOf('!')));
    if (sample.length < 200_000) sample.push(g.message);
  }
  const seconds = cpuSecondsSince(c0);
  // The encoder alone (payload + sentence), on messages already built.
  const e0 = process.cpuUsage();
  let chars = 0;
  for (const m of sample) {
    const { payload, fillBits } = encodePayload(m);
    chars += (toSentences(payload, fillBits, { channel: 'A' })[0] as string).length;
  }
  const encodeSeconds = cpuSecondsSince(e0);
  if (chars === 0) throw new Error('encoder produced nothing');
  return { input: { name: 'positions', lines, offered: lines.length }, build: { seconds, encodeOnlyPerSec: sample.length / encodeSeconds } };
}

const CORPUS_FILES = [
  'gpsd/sample.aivdm',
  'libais/typeexamples.nmea',
  'libais/tagblock.nmea',
  'libais/test.aivdm',
  'ggencoder/AisHubSample.nmea',
  'formats/tagblock_nmea/test_data_20211101.nm4',
];

const SENTENCE = /![A-Z]{2}VD[MO],[^*\s]*\*[0-9A-Fa-f]{2}/;

/** Every AIS sentence of the corpus, bare (tag blocks, wrappers and trailers removed). */
function corpusSentences(): string[] {
  const files = [...CORPUS_FILES];
  const pyais = join(CORPUS_DIR, 'pyais');
  if (existsSync(pyais)) for (const f of readdirSync(pyais).sort()) files.push(`pyais/${f}`);
  const out: string[] = [];
  for (const f of files) {
    const path = join(CORPUS_DIR, f);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
      const m = SENTENCE.exec(line);
      if (m !== null) out.push(m[0]);
    }
  }
  return out;
}

function corpusInput(n: number): Input {
  const base = corpusSentences();
  const lines: string[] = [];
  // Repeat whole passes, then top up to n without splitting a multi-sentence message.
  while (lines.length < n) {
    for (const s of base) {
      if (lines.length >= n && isLastPart(lines[lines.length - 1] as string)) break;
      lines.push(s);
    }
  }
  let offered = 0;
  for (const l of lines) if (isLastPart(l)) offered++;
  return { name: 'corpus', lines, offered };
}

interface Result {
  readonly input: string;
  readonly decoder: string;
  readonly version: string;
  readonly sentences: number;
  readonly offered: number;
  readonly messages: number;
  readonly errors: number;
  /** Offered messages that came out neither decoded nor as an error. */
  readonly silentlySkipped: number;
  /** Sentences per second of process CPU time (user + system), best run: robust on a shared machine. */
  readonly bestSentencesPerSec: number;
  readonly medianSentencesPerSec: number;
  /** Sentences per second of wall-clock time, best run: what a dedicated machine would see at most. */
  readonly bestWallSentencesPerSec: number;
  readonly bestMessagesPerSec: number;
}

function measure(d: BenchDecoder, input: Input, runs: number): Result {
  // Warm-up: enough calls for the JIT to settle on the hot paths.
  d.run(input.lines.slice(0, Math.min(input.lines.length, 200_000)));
  const rates: number[] = [];
  const wallRates: number[] = [];
  let count: DecodeCount = { messages: 0, errors: 0 };
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    count = d.run(input.lines);
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    rates.push(input.lines.length / ((cpu.user + cpu.system) / 1e6));
    wallRates.push(input.lines.length / wall);
  }
  rates.sort((a, b) => b - a);
  wallRates.sort((a, b) => b - a);
  const best = rates[0] as number;
  return {
    input: input.name,
    decoder: d.name,
    version: d.version,
    sentences: input.lines.length,
    offered: input.offered,
    messages: count.messages,
    errors: count.errors,
    silentlySkipped: Math.max(0, input.offered - count.messages - count.errors),
    bestSentencesPerSec: best,
    medianSentencesPerSec: rates[Math.floor(rates.length / 2)] as number,
    bestWallSentencesPerSec: wallRates[0] as number,
    bestMessagesPerSec: (best * count.messages) / input.lines.length,
  };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ratioFor(results: readonly Result[], input: string): { ratio: number; fastestPeer: string } | null {
  const mine = results.find((r) => r.input === input && r.decoder === 'aisctl');
  const peers = results.filter((r) => r.input === input && r.decoder !== 'aisctl');
  if (mine === undefined || peers.length === 0) return null;
  const fastest = peers.reduce((a, b) => (b.bestSentencesPerSec > a.bestSentencesPerSec ? b : a));
  return { ratio: mine.bestSentencesPerSec / fastest.bestSentencesPerSec, fastestPeer: fastest.decoder };
}

interface WholeProcessFigures {
  readonly processes: Array<{ name: string; bestCpuSeconds: number; medianCpuSeconds: number; bestWallSeconds: number; sentencesPerCpuSecond: number }>;
  /** aisctl's whole process over ggencoder's, by best CPU time. */
  readonly ratio: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `aisctl decode --format count` against ggencoder, each a whole process over the same file. */
function wholeProcessFigures(input: Input, args: Args, log: (s: string) => void, notes: string[]): WholeProcessFigures | null {
  const bin = join(ROOT, 'bin', 'aisctl');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    notes.push('whole-process comparison skipped: dist/ is missing (npm run build)');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'aisctl-decode-bench-'));
  try {
    const file = join(dir, 'positions.nmea');
    writeFileSync(file, input.lines.join('\n') + '\n');
    const commands: ProcessCommand[] = [
      { name: 'aisctl', argv: [process.execPath, bin, 'decode', '--format', 'count', file] },
      { name: 'ggencoder', argv: [process.execPath, join(ROOT, 'bench', 'ggencoder-count.mjs'), file] },
    ];
    if (args.compareCli !== null)
      commands.push({ name: `aisctl (${args.compareCli})`, argv: [process.execPath, args.compareCli, 'decode', '--format', 'count', file] });
    const results = timeProcesses(commands, args.runs);
    log(`\nwhole process, ${fmt(input.lines.length)} position sentences from a file, best of ${args.runs} alternating runs (children's CPU time)`);
    const processes = results.map((r) => ({ ...r, sentencesPerCpuSecond: input.lines.length / r.bestCpuSeconds }));
    for (const r of processes) {
      log(
        `  ${r.name.padEnd(26)} ${r.bestCpuSeconds.toFixed(2).padStart(6)} CPU-s (median ${r.medianCpuSeconds.toFixed(2)}), ` +
          `${r.bestWallSeconds.toFixed(2)} s wall, ${fmt(r.sentencesPerCpuSecond)} sentences/CPU-s`,
      );
    }
    const mine = results[0] as (typeof results)[number];
    const rival = results[1] as (typeof results)[number];
    // Both must have decoded every sentence, or the times do not compare.
    const counted = (JSON.parse(mine.stdout.trim().split('\n').at(-1) as string) as { messages?: number }).messages;
    const rivalCount = (JSON.parse(rival.stdout) as { messages: number }).messages;
    if (rivalCount !== input.offered) notes.push(`ggencoder decoded ${rivalCount} of ${input.offered} in its whole process`);
    if (counted !== undefined && counted !== input.offered) notes.push(`aisctl decode counted ${counted} of ${input.offered} decoded`);
    const ratio = rival.bestCpuSeconds / mine.bestCpuSeconds;
    log(`  aisctl / ggencoder, whole process: ${ratio.toFixed(2)}x`);
    return { processes, ratio };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string): void => {
    if (!args.json) process.stdout.write(s + '\n');
  };
  const notes: string[] = [];
  log(`node ${process.version}, ${args.sentences.toLocaleString('en-US')} sentences per input, best of ${args.runs} runs after warm-up`);

  const { input: positions, build } = positionInput(args.sentences);
  log(
    `built positions input in ${build.seconds.toFixed(2)} s of CPU (traffic generator + encoder: ${fmt(args.sentences / build.seconds)} sentences/s; ` +
      `encoder alone, payload + sentence: ${fmt(build.encodeOnlyPerSec)} messages/s)`,
  );
  const inputs: Input[] = [positions];
  if (corpusAvailable()) {
    inputs.push(corpusInput(args.sentences));
  } else {
    notes.push(CORPUS_MISSING);
    log(`corpus input skipped: ${CORPUS_MISSING}`);
  }

  const decoders = allDecoders();
  const results: Result[] = [];
  for (const input of inputs) {
    log(`\n${input.name}: ${fmt(input.lines.length)} sentences, ${fmt(input.offered)} complete messages offered`);
    log(
      `  ${'decoder'.padEnd(26)} ${'sent/cpu-s'.padStart(12)} ${'(median)'.padStart(12)} ${'sent/wall-s'.padStart(12)} ` +
        `${'messages'.padStart(10)} ${'errors'.padStart(8)} ${'skipped'.padStart(8)}`,
    );
    for (const d of decoders) {
      const r = measure(d, input, args.runs);
      results.push(r);
      log(
        `  ${`${d.name} ${d.version}`.padEnd(26)} ${fmt(r.bestSentencesPerSec).padStart(12)} ${fmt(r.medianSentencesPerSec).padStart(12)} ` +
          `${fmt(r.bestWallSentencesPerSec).padStart(12)} ` +
          `${fmt(r.messages).padStart(10)} ${fmt(r.errors).padStart(8)} ${fmt(r.silentlySkipped).padStart(8)}`,
      );
      if (input.name === 'positions' && r.messages !== input.offered) {
        notes.push(`${d.name} decoded ${r.messages} of ${input.offered} position messages: its rate is not comparable`);
      }
    }
    const ratio = ratioFor(results, input.name);
    if (ratio !== null) log(`  aisctl / fastest peer (${ratio.fastestPeer}): ${ratio.ratio.toFixed(2)}x`);
  }
  if (inputs.some((i) => i.name === 'corpus')) {
    notes.push(
      'corpus: peers decode only some of the 27 types (ais-stream-decoder: 1-5, 8, 18, 24; ggencoder: 1-5, 8, 9, 11, 14, 18, 19, 21, 24, 27) ' +
        'and flag reports without a position as invalid; "skipped" counts what they dropped without an error.',
    );
  }

  const wholeProcess = wholeProcessFigures(positions, args, log, notes);

  const mine = results.find((r) => r.input === 'positions' && r.decoder === 'aisctl');
  const ratio = ratioFor(results, 'positions');
  const processRatio = wholeProcess?.ratio ?? 0;
  const gate = {
    sentencesPerSec: { target: GATE_SENTENCES_PER_SEC, actual: mine?.bestSentencesPerSec ?? 0 },
    ratioToFastestPeer: { target: GATE_RATIO, actual: ratio?.ratio ?? 0, fastestPeer: ratio?.fastestPeer ?? null },
    wholeProcessRatioToGgencoder: { target: GATE_PROCESS_RATIO, actual: processRatio },
    passed: (mine?.bestSentencesPerSec ?? 0) >= GATE_SENTENCES_PER_SEC && (ratio?.ratio ?? 0) >= GATE_RATIO && processRatio >= GATE_PROCESS_RATIO,
  };
  for (const n of notes) log(`note: ${n}`);
  log(
    `\ngate (positions): ${fmt(gate.sentencesPerSec.actual)} sentences per CPU-second (target ${fmt(GATE_SENTENCES_PER_SEC)}), ` +
      `${gate.ratioToFastestPeer.actual.toFixed(2)}x fastest peer (target ${GATE_RATIO}x), ` +
      `whole process ${processRatio.toFixed(2)}x ggencoder (target ${GATE_PROCESS_RATIO}x): ${gate.passed ? 'PASS' : 'MISS'}` +
      (args.gate ? '' : ' (informational; --gate enforces it)'),
  );
  if (args.json) {
    process.stdout.write(
      JSON.stringify({ node: process.version, sentencesPerInput: args.sentences, runs: args.runs, build, results, wholeProcess, gate, notes }, null, 2) + '\n',
    );
  }
  if (args.gate && !gate.passed) process.exitCode = 1;
}

main();
