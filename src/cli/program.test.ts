/**
 * The command line as commander parses it, in process: which arguments and options reach a
 * command, the defaults it gets (the modules' own constants), and what `--help` adds. Nothing
 * runs: `execute` only records its arguments.
 */
import { Command, CommanderError, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { INPUT_FORMATS } from '../formats/input-format.js';
import { DEFAULT_MAX_LINE_LENGTH } from '../formats/line-splitter.js';
import { DEFAULT_FEED_OPTIONS } from '../feeds/feed-set.js';
import { DEFAULT_FUSION_CONFIG } from '../fusion/fusion-config.js';
import { DEFAULT_MIX, DEFAULT_WARMUP_MS, LOAD_VIA_MODES, STRESS_STRATEGIES } from '../harness/harness-defaults.js';
import { DEFAULT_MAX_FUTURE_MS } from '../normalize/time.js';
import { BULK_INGEST_PIPELINE, DEFAULT_PIPELINE_CONFIG } from '../pipeline/pipeline-config.js';
import { DEFAULT_SPOOL_DIR, PURGE_SCOPES } from '../resilience/dead-letter/dead-letter-queue.js';
import { DEFAULT_VESSEL_ID_CACHE_SIZE } from '../store/postgres/vessel-id-cache.js';
import { parseDuration } from '../utils/duration.js';
import { EXPORT_FORMATS } from './commands/export.js';
import { buildProgram } from './program.js';
import { TRACK_FORMATS } from './track-rows.js';

type Opts = Record<string, unknown>;

/** Commander copies output settings into each subcommand when it is created, so set them on all. */
function eachCommand(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) eachCommand(sub, fn);
}

function quietProgram(record: (args: unknown[]) => void, out: { text: string } = { text: '' }): Command {
  const program = buildProgram('0.0.0-test', (_load, ...args) => {
    record(args);
    return Promise.resolve();
  });
  eachCommand(program, (c) => c.configureOutput({ writeOut: (s) => (out.text += s), writeErr: () => undefined }));
  return program;
}

/** The arguments the command's action would run with. */
async function parse(argv: readonly string[]): Promise<unknown[]> {
  let seen: unknown[] | null = null;
  await quietProgram((args) => (seen = args)).parseAsync([...argv], { from: 'user' });
  if (seen === null) throw new Error(`no command ran for ${argv.join(' ')}`);
  return seen;
}

async function parseError(argv: readonly string[]): Promise<CommanderError> {
  try {
    await quietProgram(() => undefined).parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err;
    throw err;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

async function help(argv: readonly string[]): Promise<string> {
  const out = { text: '' };
  await expect(quietProgram(() => undefined, out).parseAsync([...argv, '--help'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
  return out.text;
}

function option(argv: readonly string[], long: string): Option {
  let cmd = buildProgram('0.0.0-test', () => Promise.resolve());
  for (const name of argv) {
    const sub = cmd.commands.find((c) => c.name() === name);
    if (sub === undefined) throw new Error(`no command ${name}`);
    cmd = sub;
  }
  const found = cmd.options.find((o) => o.long === long);
  if (found === undefined) throw new Error(`${argv.join(' ')} has no ${long}`);
  return found;
}

describe('repeatable single-value options', () => {
  it('`run --gate EXPR FILE`: the gate takes one value and the file stays the scenario', async () => {
    const [file, opts] = await parse(['run', '--gate', 'p99<20ms', 'scenarios/ci-smoke.yaml']);
    expect(file).toBe('scenarios/ci-smoke.yaml');
    expect((opts as Opts).gate).toEqual(['p99<20ms']);
  });

  it('--gate repeats on run, load and stress deadlock, in the order given', async () => {
    const [, runOpts] = await parse(['run', '--gate', 'p99<1000ms', 'ci-smoke', '--gate', 'errors==0']);
    expect((runOpts as Opts).gate).toEqual(['p99<1000ms', 'errors==0']);
    const [loadOpts] = await parse(['load', '--gate', 'p99<20ms', '--gate', 'deadlocks==0', '--rate', '100']);
    expect(loadOpts).toMatchObject({ gate: ['p99<20ms', 'deadlocks==0'], rate: '100' });
    const [stressOpts] = await parse(['stress', 'deadlock', '--gate', 'deadlocks==0', '--gate', 'missing_writes==0']);
    expect((stressOpts as Opts).gate).toEqual(['deadlocks==0', 'missing_writes==0']);
  });

  it('`ingest --source-weight NAME=W` repeats between files without taking them', async () => {
    const [files, opts] = await parse(['ingest', '--source-weight', 'rx1=0.9', 'a.nmea', '--source-weight', 'rx2=0.5', 'b.nmea']);
    expect(files).toEqual(['a.nmea', 'b.nmea']);
    expect((opts as Opts).sourceWeight).toEqual(['rx1=0.9', 'rx2=0.5']);
  });

  it('a scenario that is really missing is still a missing argument', async () => {
    expect((await parseError(['run', '--gate', 'p99<20ms'])).code).toBe('commander.missingArgument');
  });
});

describe('defaults are the modules’ constants', () => {
  it('ingest', async () => {
    const [, opts] = (await parse(['ingest', 'a.nmea'])) as [string[], Opts];
    expect(opts).toMatchObject({
      spoolDir: DEFAULT_SPOOL_DIR,
      cacheSize: String(DEFAULT_VESSEL_ID_CACHE_SIZE),
      batchSize: String(BULK_INGEST_PIPELINE.maxBatch),
      lanes: String(DEFAULT_PIPELINE_CONFIG.lanes),
      maxLineLength: String(DEFAULT_MAX_LINE_LENGTH),
    });
    expect(parseDuration(opts.maxFuture as string, 'x')).toBe(DEFAULT_MAX_FUTURE_MS);
    expect(parseDuration(opts.lateness as string, 'x')).toBe(DEFAULT_FUSION_CONFIG.latenessMs);
    expect(opts.format).toBeUndefined();
    expect(opts.sourceWeight).toBeUndefined();
  });

  it('one spool folder for ingest, dlq and serve', async () => {
    const [, ingest] = (await parse(['ingest', 'a.nmea'])) as [string[], Opts];
    const [, dlq] = (await parse(['dlq', 'stats'])) as [string, Opts];
    const [serve] = (await parse(['serve'])) as [Opts];
    expect([ingest.spoolDir, dlq.spoolDir, serve.spoolDir]).toEqual([DEFAULT_SPOOL_DIR, DEFAULT_SPOOL_DIR, DEFAULT_SPOOL_DIR]);
  });

  it('load: pipeline and traffic defaults', async () => {
    const [opts] = (await parse(['load'])) as [Opts];
    expect(opts).toMatchObject({
      batchSize: String(DEFAULT_PIPELINE_CONFIG.maxBatch),
      writers: String(DEFAULT_PIPELINE_CONFIG.maxConcurrentWrites),
      dupRate: String(DEFAULT_MIX.dupRate),
      lateRate: String(DEFAULT_MIX.lateRate),
      badRate: String(DEFAULT_MIX.badRate),
    });
    expect(parseDuration(opts.linger as string, 'x')).toBe(DEFAULT_PIPELINE_CONFIG.lingerMs);
    expect(parseDuration(opts.warmup as string, 'x')).toBe(DEFAULT_WARMUP_MS);
  });

  it('serve: the feed flags agree with DEFAULT_FEED_OPTIONS', async () => {
    const [opts] = (await parse(['serve'])) as [Opts];
    expect(parseDuration(opts.feedIdle as string, 'x')).toBe(DEFAULT_FEED_OPTIONS.idleMs);
    expect(parseDuration(opts.feedStale as string, 'x')).toBe(DEFAULT_FEED_OPTIONS.staleMs);
    expect(Number(opts.feedMaxConnections)).toBe(DEFAULT_FEED_OPTIONS.maxConnections);
    expect(Number(opts.maxLineLength)).toBe(DEFAULT_FEED_OPTIONS.maxLineLength);
  });
});

describe('choices are the modules’ lists', () => {
  it.each([
    [['ingest'], '--format', INPUT_FORMATS],
    [['load'], '--via', LOAD_VIA_MODES],
    [['stress', 'deadlock'], '--strategy', STRESS_STRATEGIES],
    [['dlq'], '--which', PURGE_SCOPES],
    [['track'], '--format', TRACK_FORMATS],
  ] as const)('%j %s', (argv, long, list) => {
    expect(option(argv, long).argChoices).toEqual([...list]);
  });

  it('export --format offers every export format', () => {
    expect([...(option(['export'], '--format').argChoices ?? [])].sort()).toEqual([...EXPORT_FORMATS].sort());
  });

  it('a value outside the list is refused by the parser', async () => {
    expect((await parseError(['ingest', '--format', 'nmea0183', 'a.nmea'])).code).toBe('commander.invalidArgument');
  });
});

describe('--help shows examples and exit codes', () => {
  it.each([[['load']], [['ingest']], [['run']], [['stress']], [['stress', 'deadlock']], [['serve']]])('%j', async (argv) => {
    const text = await help(argv);
    const examples = text.split('\n').filter((l) => l.startsWith('  $ aisctl '));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(3);
    const codes = text
      .slice(text.indexOf('Exit codes:'))
      .split('\n')
      .map((l) => /^ {2}(\S+) /.exec(l)?.[1])
      .filter((c) => c !== undefined);
    expect(codes.slice(0, 3)).toEqual(['0', '1', '2']);
    if (argv[0] === 'ingest') expect(codes).toContain('3');
    if (['load', 'run', 'stress'].includes(argv[0] ?? '')) expect(codes).toContain('99');
    expect(codes).toContain('130/143');
  });
});
