/**
 * Every command with its options and help. Defaults and choices come from the constants of the
 * modules that apply them, so each is written once and `--help` shows what the code does. The
 * modules imported here are small and load no driver, because `aisctl --version` loads this file
 * too; a command's own code is loaded by `execute` only when it runs.
 */
import { Argument, Command, Option } from 'commander';
import { EXIT_ERROR, EXIT_GATE_FAILED, EXIT_NOT_STORED, EXIT_OK, EXIT_SIGINT, EXIT_SIGTERM, EXIT_USAGE } from '../errors/aisctl-error.js';
import { INPUT_FORMATS } from '../formats/input-format.js';
import { DEFAULT_MAX_LINE_LENGTH } from '../formats/line-splitter.js';
import { DEFAULT_FUSION_CONFIG } from '../fusion/fusion-config.js';
import {
  DEFAULT_LOCAL_SERVERS_DIR,
  DEFAULT_MIX,
  DEFAULT_SOURCES,
  DEFAULT_STRESS_BATCH,
  DEFAULT_STRESS_CONCURRENCY,
  DEFAULT_STRESS_STRATEGY,
  DEFAULT_STRESS_VESSELS,
  DEFAULT_VESSELS,
  DEFAULT_VIA,
  DEFAULT_WARMUP_MS,
  LOAD_VIA_MODES,
  STRESS_STRATEGIES,
} from '../harness/harness-defaults.js';
import { DEFAULT_MAX_FUTURE_MS } from '../normalize/time.js';
import {
  DEFAULT_ACK_WAIT_MS,
  DEFAULT_DEDUP_WINDOW_MS,
  DEFAULT_LEASE_TTL_MS,
  DEFAULT_MAX_ACK_PENDING,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_NATS_URL,
  DEFAULT_PARTITIONS,
  DEFAULT_REPLICAS,
  DEFAULT_WORK_PORT,
} from '../log/log-defaults.js';
import { BULK_INGEST_PIPELINE, DEFAULT_PIPELINE_CONFIG } from '../pipeline/pipeline-config.js';
import { DEFAULT_SPOOL_DIR, PURGE_SCOPES } from '../resilience/dead-letter/dead-letter-queue.js';
import { DEFAULT_PARTITION_INTERVAL } from '../store/postgres/partition-interval.js';
import { DEFAULT_VESSEL_ID_CACHE_SIZE } from '../store/postgres/vessel-id-cache.js';
import { DEFAULT_LIVE_TTL_MS, PRUNE_INTERVAL_MS } from '../store/redis/live-ttl.js';
import { formatDuration } from '../utils/duration.js';

type Opts = Record<string, unknown>;

export interface CommandModule {
  run: (...args: never[]) => Promise<number>;
}

/** Runs a command: `load` imports its module, the rest are the arguments commander parsed. */
export type Execute = (load: () => Promise<CommandModule>, ...args: unknown[]) => Promise<void>;

/** Where monitoring/ scrapes `serve`: change both together. */
export const DEFAULT_SERVE_PORT = 9464;
export const DEFAULT_SERVE_HOST = '127.0.0.1';

/**
 * Repeatable single-value option: `--gate a --gate b` collects both. A variadic `<expr...>`
 * would also swallow the positional argument after it (`run --gate 'p99<20ms' FILE`).
 */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

type ExitCodeRow = readonly [code: number | string, meaning: string];

const EXIT_USAGE_ROW: ExitCodeRow = [EXIT_USAGE, 'unknown command or option, or a missing argument'];
const EXIT_SIGNAL_ROW: ExitCodeRow = [`${EXIT_SIGINT}/${EXIT_SIGTERM}`, 'a second SIGINT/SIGTERM: stopped at once'];
const EXIT_SPOOLED_ROW: ExitCodeRow = [`${EXIT_SIGINT}/${EXIT_SIGTERM}`, 'a second SIGINT/SIGTERM: what was not written yet is spooled, then it stops at once'];
const MEASURED_EXIT_CODES: readonly ExitCodeRow[] = [
  [EXIT_OK, 'the run completed and every gate passed'],
  [EXIT_ERROR, 'an error before or during the run: a flag, gate or scenario that does not parse, a server that cannot be reached'],
  EXIT_USAGE_ROW,
  [EXIT_GATE_FAILED, 'a gate failed (the summary and the report say which)'],
  EXIT_SIGNAL_ROW,
];

/** Examples and exit codes after the options, so `--help` answers "how do I call it" and "what does CI see". */
function helpAfter(cmd: Command, examples: readonly string[], exitCodes: readonly ExitCodeRow[]): Command {
  const width = Math.max(...exitCodes.map(([code]) => String(code).length));
  const lines = [
    '',
    'Examples:',
    ...examples.map((e) => `  $ ${e}`),
    '',
    'Exit codes:',
    ...exitCodes.flatMap(([code, meaning]) => hangingIndent(`  ${String(code).padEnd(width)}  `, meaning, HELP_WIDTH)),
  ];
  return cmd.addHelpText('after', lines.join('\n'));
}

/** Commander wraps its own columns at 80; text added after them is wrapped here to match. */
const HELP_WIDTH = 80;

function hangingIndent(head: string, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(' ')) {
    if (line.length > head.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(head.length) + word;
    } else line += line.length > head.length ? ` ${word}` : word;
  }
  lines.push(line);
  return lines;
}

function connectionOptions(cmd: Command): Command {
  return cmd
    .option('--redis-url <url>', 'Redis URL; redis://host:port,host:port,... for a Redis Cluster (env REDIS_URL)', undefined)
    .option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL)', undefined)
    .option('--env <name>', 'Redis key prefix / environment (env AIS_ENV)', undefined)
    .option('--redis-cluster', 'the --redis-url seed is a Redis Cluster node (implied by a comma-separated seed list; env REDIS_CLUSTER=1)')
    .option('--redis-buckets <n>', 'geo/active index buckets (default: as recorded for --env, else 64 on a cluster, 1 standalone; env REDIS_BUCKETS)')
    .option('--pgbouncer', 'PostgreSQL is behind PgBouncer (transaction pooling): no named statements (env AISCTL_PGBOUNCER=1)');
}

function reporterOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print the final summary as one JSON object on stdout')
    .option('--no-tui', 'plain line output even on a terminal')
    .option('--reports-dir <dir>', 'where JSON, Markdown and HTML reports are written', 'reports');
}

function gateOption(cmd: Command, description: string): Command {
  return cmd.option('--gate <expr>', `${description} (repeatable)`, collect);
}

function maxLineLengthOption(cmd: Command, description: string): Command {
  return cmd.option('--max-line-length <chars>', description, String(DEFAULT_MAX_LINE_LENGTH));
}

function natsOption(cmd: Command): Command {
  return cmd.option('--nats <url>', `NATS servers, comma-separated for a cluster (env NATS_URL; default ${DEFAULT_NATS_URL})`);
}

function spoolDirOption(cmd: Command, description: string): Command {
  return cmd.option('--spool-dir <dir>', description, DEFAULT_SPOOL_DIR);
}

export function buildProgram(version: string, execute: Execute): Command {
  const program = new Command();
  program
    .name('aisctl')
    .description('Run, replay and load-test an AIS ingest pipeline against real Redis and PostgreSQL')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const decode = program
    .command('decode')
    .description('decode NMEA AIS files (- for stdin) to JSON lines on stdout; summary on stderr')
    .argument('<files...>', 'NMEA files (.gz ok); - reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['gpsd', 'jsonl', 'count']).default('jsonl'))
    .option('--no-merge-type24', 'print type 24 parts A and B separately instead of merged records')
    .option('--quiet', 'no summary on stderr');
  maxLineLengthOption(decode, 'lines longer than this many characters are rejected (line_too_long)');
  decode.action((files: string[], opts: Opts) => execute(() => import('./commands/decode.js'), files, opts));

  const ingest = program
    .command('ingest')
    .description('stream files through decode, validation, fusion into Redis and PostgreSQL')
    .argument('<files...>', 'input files (.gz ok); - reads stdin')
    .addOption(new Option('--format <format>', 'input format (default: detected from content)').choices(INPUT_FORMATS))
    .option('--source <name>', 'source name for fusion weights (default: tag block station, else file name)')
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--no-progress', 'no progress bar')
    .option('--cache-size <n>', 'vessel-id LRU cache entries', String(DEFAULT_VESSEL_ID_CACHE_SIZE))
    .option('--batch-size <n>', 'largest write batch (bulk mode: batches fill up under sustained input)', String(BULK_INGEST_PIPELINE.maxBatch))
    .option('--lanes <n>', 'fusion lanes (MMSI partitions)', String(DEFAULT_PIPELINE_CONFIG.lanes))
    .option('--max-future <duration>', 'reject message times further than this in the future', formatDuration(DEFAULT_MAX_FUTURE_MS))
    .option('--lateness <duration>', 'fusion lateness window', formatDuration(DEFAULT_FUSION_CONFIG.latenessMs))
    .option('--source-weight <name=weight>', 'fusion weight of a source, 0 to 10 (repeatable)', collect)
    .option('--live-ttl <duration>', 'vessels not heard for longer leave the live state in Redis', formatDuration(DEFAULT_LIVE_TTL_MS));
  spoolDirOption(ingest, 'local dead-letter spool used while Redis is down');
  ingest.option('--dlq-wait <duration>', 'at the end, how long to keep replaying dead letters', '15s');
  maxLineLengthOption(ingest, 'lines longer than this many characters are rejected (line_too_long)');
  connectionOptions(ingest);
  helpAfter(
    ingest,
    [
      'aisctl ingest fixtures/tagblock.nm4',
      'aisctl ingest --format noaa-csv --json AIS_2024_01_01.csv.gz > summary.json',
      'nc 127.0.0.1 10110 | aisctl ingest - --source rx1 --source-weight rx1=0.9',
    ],
    [
      [EXIT_OK, 'every message read was stored or durably dead-lettered (rejected input is counted, not fatal)'],
      [
        EXIT_ERROR,
        'a server cannot be reached, a file cannot be read, or a misconfiguration (PgBouncer without --pgbouncer) left rows in the dead-letter queue',
      ],
      EXIT_USAGE_ROW,
      [EXIT_NOT_STORED, 'a batch could be neither stored nor dead-lettered: reading stopped, the summary says how many messages and why'],
      EXIT_SPOOLED_ROW,
    ],
  );
  ingest.action((files: string[], opts: Opts) => execute(() => import('./commands/ingest.js'), files, opts));

  const publish = program
    .command('publish')
    .description('decode and validate files at the edge and publish the messages to NATS JetStream, partitioned by MMSI (docs/scale-out.md)')
    .argument('<files...>', 'input files (.gz ok); - reads stdin')
    .addOption(new Option('--format <format>', 'input format (default: detected from content)').choices(INPUT_FORMATS))
    .option('--source <name>', 'source name for fusion weights (default: tag block station, else file name)')
    .option('--json', 'print the summary as one JSON object on stdout');
  natsOption(publish)
    .option('--partitions <n>', `partitions of a new stream (default ${DEFAULT_PARTITIONS}); an existing stream must have this many`)
    .addOption(new Option('--default-partitions <n>').default(String(DEFAULT_PARTITIONS)).hideHelp())
    .option('--replicas <n>', 'replicas of a new stream and lease bucket (3 on a 3-node cluster)', String(DEFAULT_REPLICAS))
    .option('--dedup-window <duration>', "a new stream's duplicate window: republishing within it adds nothing", formatDuration(DEFAULT_DEDUP_WINDOW_MS))
    .option('--max-in-flight <n>', 'appends not yet acknowledged by the stream, at most', String(DEFAULT_MAX_IN_FLIGHT))
    .option('--max-future <duration>', 'reject message times further than this in the future', formatDuration(DEFAULT_MAX_FUTURE_MS));
  maxLineLengthOption(publish, 'lines longer than this many characters are rejected (line_too_long)');
  publish.option('--env <name>', 'environment: names the stream, subjects and consumers (env AIS_ENV)', undefined);
  helpAfter(
    publish,
    ['aisctl publish --env prod AIS_2024_01_*.csv.gz', 'aisctl publish --nats nats://n1:4222,nats://n2:4222 --replicas 3 feed.nm4'],
    [
      [EXIT_OK, 'every message read was acknowledged by the stream (duplicates included)'],
      [EXIT_ERROR, 'NATS cannot be reached, a file cannot be read, or the stream disagrees with --partitions'],
      EXIT_USAGE_ROW,
      [EXIT_NOT_STORED, 'some messages were not acknowledged: publish the file again (what did land is dropped as a duplicate)'],
      EXIT_SIGNAL_ROW,
    ],
  );
  publish.action((files: string[], opts: Opts) => execute(() => import('./commands/publish.js'), files, opts));

  const work = program
    .command('work')
    .description('consume the partitions this worker leases from NATS JetStream: fusion, Redis and PostgreSQL as ingest does (docs/scale-out.md)')
    .option('--host <host>', 'listen address of /metrics and /healthz', DEFAULT_SERVE_HOST)
    .option('--port <port>', 'listen port of /metrics and /healthz (0: any free port)', String(DEFAULT_WORK_PORT))
    .option('--name <owner>', 'owner name in the leases (default: host-pid-random)')
    .option(
      '--lease-ttl <duration>',
      'a worker that stops renewing loses its partitions after this long (set when the lease bucket is created)',
      formatDuration(DEFAULT_LEASE_TTL_MS),
    )
    .option('--ack-wait <duration>', 'records not acknowledged within this long are delivered again', formatDuration(DEFAULT_ACK_WAIT_MS))
    .option('--max-ack-pending <n>', 'records of one partition delivered and not yet acknowledged, at most', String(DEFAULT_MAX_ACK_PENDING))
    .option('--batch-size <n>', 'largest write batch', String(BULK_INGEST_PIPELINE.maxBatch))
    .option('--lanes <n>', 'fusion lanes (MMSI partitions)', String(DEFAULT_PIPELINE_CONFIG.lanes));
  natsOption(work);
  spoolDirOption(work, 'local dead-letter spool used while Redis is down');
  connectionOptions(work);
  helpAfter(
    work,
    ['aisctl work --env prod', 'aisctl work --nats nats://n1:4222,nats://n2:4222,nats://n3:4222 --port 0'],
    [
      [EXIT_OK, 'stopped by SIGINT/SIGTERM: leases given up, everything read written and acknowledged'],
      [EXIT_ERROR, 'could not start: a server cannot be reached, a port is in use, a flag value is wrong'],
      EXIT_USAGE_ROW,
      EXIT_SPOOLED_ROW,
    ],
  );
  work.action((opts: Opts) => execute(() => import('./commands/work.js'), opts));

  const db = program.command('db').description('PostgreSQL schema');
  connectionOptions(
    db
      .command('migrate')
      .description('apply SQL migrations (an unpartitioned vessel_positions is converted in place)')
      .option(
        '--partition-interval <duration>',
        `time span of a vessel_positions partition, chosen when the table is first partitioned and recorded (default ${DEFAULT_PARTITION_INTERVAL})`,
      )
      .option('--json', 'JSON output'),
  ).action((opts: Opts) => execute(() => import('./commands/db-migrate.js'), opts));
  connectionOptions(
    db
      .command('retention')
      .description('drop whole vessel_positions partitions older than --keep (never a row-by-row DELETE)')
      .requiredOption('--keep <duration>', 'history to keep: partitions whose upper bound is older than now - keep are dropped')
      .option('--dry-run', 'list the partitions that would be dropped, drop nothing')
      .option('--no-compact', 'do not rebuild the primary key of partitions whose time is over (done once each, with REINDEX CONCURRENTLY)')
      .option('--json', 'JSON output'),
  ).action((opts: Opts) => execute(() => import('./commands/db-retention.js'), opts));

  connectionOptions(
    program
      .command('vessel')
      .description('state of a vessel from Redis and its last positions from PostgreSQL')
      .argument('<mmsi>')
      .option('--limit <n>', 'positions to show', '10')
      .option('--json', 'JSON output')
      .option('--soft-delete', 'hide the vessel from reads, keeping its history (seed 6.1)')
      .option('--restore', 'show a soft-deleted vessel again'),
  ).action((mmsi: string, opts: Opts) => execute(() => import('./commands/vessel.js'), mmsi, opts));

  connectionOptions(
    program
      .command('near')
      .description('vessels near a point (Redis geo index)')
      .argument('<lat>')
      .argument('<lon>')
      .option('--radius <distance>', 'search radius (m, km, nm)', '10km')
      .option('--limit <n>', 'at most this many vessels', '50')
      .option('--max-age <duration>', "only vessels heard within this long on the environment's clock (default: its live TTL)")
      .option('--json', 'JSON output'),
  ).action((lat: string, lon: string, opts: Opts) => execute(() => import('./commands/near.js'), lat, lon, opts));

  connectionOptions(
    program
      .command('prune')
      .description(
        `remove vessels not heard for longer than --older-than from the live state in Redis (serve does it every ${formatDuration(PRUNE_INTERVAL_MS)})`,
      )
      .option('--older-than <duration>', "on the environment's clock (default: its live TTL)")
      .option('--json', 'JSON output'),
  ).action((opts: Opts) => execute(() => import('./commands/prune.js'), opts));

  connectionOptions(
    program
      .command('track')
      .description("a vessel's stored positions over a time range, in time order (PostgreSQL, streamed)")
      .argument('<mmsi>')
      .option('--since <time>', 'ISO 8601 time or duration back from now (30m, 6h, 7d); default: 24 h before --until')
      .option('--until <time>', 'ISO 8601 time or duration back from now (default: now)')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'jsonl', 'csv', 'geojson']).default('table'))
      .option('--page-size <n>', 'positions per round trip', '5000'),
  ).action((mmsi: string, opts: Opts) => execute(() => import('./commands/track.js'), mmsi, opts));

  connectionOptions(
    program
      .command('export')
      .description('stored positions of a time range as NOAA or DMA CSV, aisctl JSONL or GeoJSON (streamed; ingest reads it back)')
      .requiredOption('--since <time>', 'ISO 8601 time or duration back from now (30m, 6h, 7d)')
      .option('--until <time>', 'ISO 8601 time or duration back from now (default: now)')
      .option('--bbox <W,S,E,N>', 'only positions inside this box (degrees; W > E crosses the antimeridian)')
      .option('--mmsi <list>', 'only these vessels, comma-separated')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['noaa-csv', 'noaa-csv-2023', 'noaa-csv-2024', 'dma-csv', 'jsonl', 'geojson'])
          .default('jsonl'),
      )
      .option('-o, --output <file>', 'write to this file (complete or not at all) instead of stdout')
      .option('--quiet', 'no summary on stderr'),
  ).action((opts: Opts) => execute(() => import('./commands/export.js'), opts));

  connectionOptions(
    program
      .command('search')
      .description('vessels by name, call sign, IMO number or MMSI prefix (PostgreSQL)')
      .argument('<text>')
      .option('--limit <n>', 'at most this many vessels', '20')
      .option('--json', 'JSON output'),
  ).action((text: string, opts: Opts) => execute(() => import('./commands/search.js'), text, opts));

  connectionOptions(
    program
      .command('doctor')
      .description('check Redis and PostgreSQL: reachability, versions, modules, schema; and feed URLs (--feed)')
      .option('--json', 'JSON output')
      .option('--feed <[name=]url>', 'also check a feed URL: connect for tcp:// and ws(s)://, bind for udp:// and tcp-listen:// (repeatable)', collect)
      .option('--nats <url>', "also show the environment's scale-out log: stream, partitions, lease owners, lag"),
  ).action((opts: Opts) => execute(() => import('./commands/doctor.js'), opts));

  program
    .command('up')
    .description('start throwaway local Redis and PostgreSQL servers on free ports')
    .option('--data-dir <dir>', 'where their data lives', DEFAULT_LOCAL_SERVERS_DIR)
    .option('--json', 'print the URLs as JSON')
    .action((opts: Opts) => execute(() => import('./commands/up.js'), opts));

  program
    .command('down')
    .description('stop the servers started by `aisctl up`')
    .option('--data-dir <dir>', 'their data folder', DEFAULT_LOCAL_SERVERS_DIR)
    .option('--purge', 'also delete the data folder')
    .action((opts: Opts) => execute(() => import('./commands/down.js'), opts));

  const dlq = program
    .command('dlq')
    .description('dead-letter queue: stats, replay, purge')
    .addArgument(new Argument('<action>', 'stats | replay | purge').choices(['stats', 'replay', 'purge']))
    .addOption(new Option('--which <which>', 'for purge and replay').choices(PURGE_SCOPES).default('pending'));
  spoolDirOption(dlq, 'local spool folder');
  connectionOptions(dlq.option('--json', 'JSON output'));
  dlq.action((action: string, opts: Opts) => execute(() => import('./commands/dlq.js'), action, opts));

  const load = program
    .command('load')
    .description('open-model load through the in-process pipeline (or HTTP) with latency from the intended send time')
    .option('--rate <msgs/s>', 'target rate', '10000')
    .option('--duration <duration>', 'measured duration', '60s')
    .option('--warmup <duration>', 'warm-up excluded from the figures', formatDuration(DEFAULT_WARMUP_MS))
    .option('--vessels <n>', 'distinct vessels', String(DEFAULT_VESSELS))
    .option('--sources <n>', 'receivers reporting the same vessels', String(DEFAULT_SOURCES))
    .option('--dup-rate <ratio>', 'share of cross-receiver duplicates', String(DEFAULT_MIX.dupRate))
    .option('--late-rate <ratio>', 'share of late messages', String(DEFAULT_MIX.lateRate))
    .option('--bad-rate <ratio>', 'share of corrupt lines', String(DEFAULT_MIX.badRate))
    .addOption(
      new Option('--via <mode>', 'in-process pipeline, HTTP ingest endpoint, or a live feed (udp, tcp) of an in-process serve')
        .choices(LOAD_VIA_MODES)
        .default(DEFAULT_VIA),
    )
    .option('--feed-rcvbuf <bytes>', '--via udp: SO_RCVBUF of the feed (default: the system default)');
  gateOption(load, "pass/fail threshold, e.g. 'p99<20ms' or 'deadlocks==0'")
    .option('--seed <n>', 'generator seed', '1')
    .option('--name <name>', 'report name', 'load')
    .option('--batch-size <n>', 'largest write batch', String(DEFAULT_PIPELINE_CONFIG.maxBatch))
    .option('--linger <duration>', 'longest wait of a partial batch', formatDuration(DEFAULT_PIPELINE_CONFIG.lingerMs))
    .option('--writers <n>', 'batches written concurrently (group commit beyond that)', String(DEFAULT_PIPELINE_CONFIG.maxConcurrentWrites));
  reporterOptions(connectionOptions(load));
  helpAfter(
    load,
    [
      "aisctl load --rate 5000 --duration 30s --gate 'p99<20ms' --gate 'errors==0'",
      'aisctl load --rate 2k --duration 1m --via http --json > summary.json',
      'aisctl load --rate 10k --duration 1m --via udp --gate udp_loss==0',
    ],
    MEASURED_EXIT_CODES,
  );
  load.action((opts: Opts) => execute(() => import('./commands/load.js'), opts));

  const stressExamples = [
    "aisctl stress deadlock --strategy naive --duration 10s --gate 'deadlocks>0'",
    "aisctl stress deadlock --concurrency 500 --gate 'deadlocks==0' --gate 'missing_writes==0'",
  ];
  const stress = program.command('stress').description('stress tests');
  helpAfter(stress, stressExamples, MEASURED_EXIT_CODES);
  const deadlock = stress
    .command('deadlock')
    .description('concurrent overlapping vessel upserts on PostgreSQL: naive reproduces deadlocks, safe shows none')
    .option('--concurrency <n>', 'concurrent writers', String(DEFAULT_STRESS_CONCURRENCY))
    .option('--vessels <n>', 'vessel set the writers overlap on', String(DEFAULT_STRESS_VESSELS))
    .option('--batch-size <n>', 'rows per upsert', String(DEFAULT_STRESS_BATCH))
    .option('--duration <duration>', 'how long to run', '20s')
    .addOption(new Option('--strategy <strategy>', 'writer').choices(STRESS_STRATEGIES).default(DEFAULT_STRESS_STRATEGY));
  gateOption(deadlock, "threshold, e.g. 'deadlocks==0'").option('--seed <n>', 'seed', '1').option('--name <name>', 'report name', 'stress-deadlock');
  reporterOptions(connectionOptions(deadlock));
  helpAfter(deadlock, stressExamples, MEASURED_EXIT_CODES);
  deadlock.action((opts: Opts) => execute(() => import('./commands/stress-deadlock.js'), opts));

  const run = program
    .command('run')
    .description('run a scenario file (scenarios/*.yaml)')
    .argument('<scenario>', 'path to a YAML or JSON scenario, or a bundled scenario name');
  gateOption(run, 'extra gate on top of the scenario');
  reporterOptions(connectionOptions(run));
  helpAfter(
    run,
    ['aisctl run scenarios/ci-smoke.yaml', "aisctl run ci-smoke --gate 'p99<1000ms' --json > summary.json", 'aisctl run redis-outage --reports-dir out/'],
    MEASURED_EXIT_CODES,
  );
  run.action((file: string, opts: Opts) => execute(() => import('./commands/run-scenario.js'), file, opts));

  const report = program
    .command('report')
    .description('render the HTML report again from a JSON report of load, stress or run')
    .argument('<file>', 'a JSON report (reports/<time>-<name>.json)')
    .option('--output <file>', 'where to write the page (default: FILE with .html for .json)');
  helpAfter(
    report,
    ['aisctl report reports/2025-06-01T12-30-05Z-ci-smoke.json', 'aisctl report summary.json --output public/index.html'],
    [[EXIT_OK, 'the page was written'], [EXIT_ERROR, 'the file cannot be read or is not a JSON run report'], EXIT_USAGE_ROW],
  );
  report.action((file: string, opts: Opts) => execute(() => import('./commands/report.js'), file, opts));

  const serve = program
    .command('serve')
    .description('run the pipeline as a service: POST /v1/messages, live feeds (--feed), GET /metrics, GET /healthz')
    .option('--host <host>', 'listen address', DEFAULT_SERVE_HOST)
    .option('--port <port>', 'listen port', String(DEFAULT_SERVE_PORT));
  spoolDirOption(serve, 'local spool folder')
    .option('--feed <[name=]url>', 'live input, repeatable: udp://HOST:PORT, tcp-listen://HOST:PORT, tcp://HOST:PORT, ws(s)://HOST/PATH (aisstream)', collect)
    .option('--feed-rcvbuf <bytes>', 'SO_RCVBUF of UDP feeds (default: the system default)')
    // The next three are DEFAULT_FEED_OPTIONS (feeds/feed-set.ts), which loads every transport:
    // too heavy for start-up, so they are written again here and program.test.ts holds them equal.
    .option('--feed-idle <duration>', 'no bytes for this long: a client feed reconnects, a listener closes the connection', '60s')
    .option('--feed-stale <duration>', '/healthz answers 503 when every feed has been silent this long', '5m')
    .option('--feed-max-connections <n>', 'connections served at once per tcp-listen feed', '32');
  maxLineLengthOption(serve, 'longer lines of a feed or a line body are rejected (line_too_long)')
    .option('--bbox <lat1,lon1,lat2,lon2>', 'websocket feeds: area to subscribe to, repeatable (default: the whole world)', collect)
    .option('--ws-types <types>', 'websocket feeds: aisstream message types, comma-separated (default: all)')
    .option('--token-file <file>', 'require this bearer token on every endpoint but /healthz and /metrics (required off loopback)')
    .option('--no-auth', 'serve a non-loopback --host without a token (a network you trust)')
    .option('--retention <duration>', 'drop vessel_positions partitions older than this, at start and hourly (as `aisctl db retention --keep`)')
    .option(
      '--live-ttl <duration>',
      `vessels not heard for longer leave the live state in Redis (pruned every ${formatDuration(PRUNE_INTERVAL_MS)})`,
      formatDuration(DEFAULT_LIVE_TTL_MS),
    );
  serve.option('--publish <url>', 'publish what feeds and POST /v1/messages bring to NATS JetStream, for `aisctl work` to store, instead of storing it here');
  connectionOptions(serve);
  helpAfter(
    serve,
    [
      'aisctl serve',
      'aisctl serve --feed rx1=udp://0.0.0.0:10110 --feed tcp://ais.example.org:5631',
      'aisctl serve --host 0.0.0.0 --token-file /etc/aisctl/token',
    ],
    [
      [EXIT_OK, 'stopped by SIGINT/SIGTERM after writing everything it had accepted'],
      [EXIT_ERROR, 'could not start: a server cannot be reached, a port is in use, a flag value is wrong'],
      EXIT_USAGE_ROW,
      EXIT_SPOOLED_ROW,
    ],
  );
  serve.action((opts: Opts) => execute(() => import('./commands/serve.js'), opts));

  return program;
}
