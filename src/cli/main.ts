/**
 * Entry point. Only commander (and the import-free error base class) is imported eagerly: every
 * command lives in its own module and is imported when it runs, so `aisctl --version` does not
 * pay for Ink, React or the drivers.
 */
import { readFileSync } from 'node:fs';
import { Argument, Command, CommanderError, Option } from 'commander';
import { AisctlError, EXIT_ERROR } from '../errors/aisctl-error.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

type Opts = Record<string, unknown>;

/**
 * Exit codes: 0 success, 1 error (arguments, dependency, I/O, a misconfiguration that left data
 * in the dead-letter queue), 2 unknown command or option, 3 ingest could neither store nor
 * dead-letter some messages, 99 a gate failed.
 */
async function runCommand(load: () => Promise<{ run: (...args: never[]) => Promise<number> }>, ...args: unknown[]): Promise<void> {
  try {
    const mod = await load();
    const code = await (mod.run as (...a: unknown[]) => Promise<number>)(...args);
    process.exitCode = code;
  } catch (err) {
    // Mistakes in arguments, gates, scenarios and shapes, and unreachable servers, are
    // AisctlErrors, reported as one line; anything else is a bug and keeps its stack. Both exit
    // 1 today, so CI tells an error apart from a failed gate (99).
    const expected = err instanceof AisctlError;
    const text = expected ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`aisctl: ${text}\n`);
    const code = expected ? err.exitCode : EXIT_ERROR;
    process.exitCode = code;
    // A driver that failed to connect can leave a reconnect or connect-timeout timer behind
    // (ioredis keeps one for seconds); the error is reported, so do not wait for it. The timer
    // is unref'd, so a process that is already done exits at once.
    setTimeout(() => process.exit(code), 200).unref();
  }
}

/** Repeatable option: `--feed a --feed b` collects both, without swallowing later arguments. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
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
    .option('--reports-dir <dir>', 'where JSON and Markdown reports are written', 'reports');
}

const program = new Command();
program
  .name('aisctl')
  .description('Run, replay and load-test an AIS ingest pipeline against real Redis and PostgreSQL')
  .version(pkg.version, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('decode')
  .description('decode NMEA AIS files (- for stdin) to JSON lines on stdout; summary on stderr')
  .argument('<files...>', 'NMEA files (.gz ok); - reads stdin')
  .addOption(new Option('--format <format>', 'output format').choices(['gpsd', 'jsonl', 'count']).default('jsonl'))
  .option('--no-merge-type24', 'print type 24 parts A and B separately instead of merged records')
  .option('--quiet', 'no summary on stderr')
  .option('--max-line-length <chars>', 'lines longer than this many characters are rejected (line_too_long)', '65536')
  .action((files: string[], opts: Opts) => runCommand(() => import('./commands/decode.js'), files, opts));

connectionOptions(
  program
    .command('ingest')
    .description('stream files through decode, validation, fusion into Redis and PostgreSQL')
    .argument('<files...>', 'input files (.gz ok); - reads stdin')
    .addOption(
      new Option('--format <format>', 'input format (default: detected from content)').choices(['nmea', 'jsonl', 'aisstream', 'aishub', 'noaa-csv', 'dma-csv']),
    )
    .option('--source <name>', 'source name for fusion weights (default: tag block station, else file name)')
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--no-progress', 'no progress bar')
    .option('--cache-size <n>', 'vessel-id LRU cache entries', '10000')
    .option('--batch-size <n>', 'largest write batch (bulk mode: batches fill up under sustained input)', '20000')
    .option('--lanes <n>', 'fusion lanes (MMSI partitions)', '8')
    .option('--max-future <duration>', 'reject message times further than this in the future', '5m')
    .option('--lateness <duration>', 'fusion lateness window', '60s')
    .option('--source-weight <source=weight...>', 'fusion weight of a source (repeatable)')
    .option('--spool-dir <dir>', 'local dead-letter spool used while Redis is down', '.aisctl/spool')
    .option('--dlq-wait <duration>', 'at the end, how long to keep replaying dead letters', '15s')
    .option('--max-line-length <chars>', 'lines longer than this many characters are rejected (line_too_long)', '65536'),
).action((files: string[], opts: Opts) => runCommand(() => import('./commands/ingest.js'), files, opts));

const db = program.command('db').description('PostgreSQL schema');
connectionOptions(db.command('migrate').description('apply SQL migrations')).action((opts: Opts) => runCommand(() => import('./commands/db-migrate.js'), opts));

connectionOptions(
  program
    .command('vessel')
    .description('state of a vessel from Redis and its last positions from PostgreSQL')
    .argument('<mmsi>')
    .option('--limit <n>', 'positions to show', '10')
    .option('--json', 'JSON output')
    .option('--soft-delete', 'hide the vessel from reads, keeping its history (seed 6.1)')
    .option('--restore', 'show a soft-deleted vessel again'),
).action((mmsi: string, opts: Opts) => runCommand(() => import('./commands/vessel.js'), mmsi, opts));

connectionOptions(
  program
    .command('near')
    .description('vessels near a point (Redis geo index)')
    .argument('<lat>')
    .argument('<lon>')
    .option('--radius <distance>', 'search radius (m, km, nm)', '10km')
    .option('--limit <n>', 'at most this many vessels', '50')
    .option('--json', 'JSON output'),
).action((lat: string, lon: string, opts: Opts) => runCommand(() => import('./commands/near.js'), lat, lon, opts));

connectionOptions(
  program
    .command('track')
    .description("a vessel's stored positions over a time range, in time order (PostgreSQL, streamed)")
    .argument('<mmsi>')
    .option('--since <time>', 'ISO 8601 time or duration back from now (30m, 6h, 7d); default: 24 h before --until')
    .option('--until <time>', 'ISO 8601 time or duration back from now (default: now)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'jsonl', 'csv', 'geojson']).default('table'))
    .option('--page-size <n>', 'positions per round trip', '5000'),
).action((mmsi: string, opts: Opts) => runCommand(() => import('./commands/track.js'), mmsi, opts));

connectionOptions(
  program
    .command('export')
    .description('stored positions of a time range as NOAA or DMA CSV, aisctl JSONL or GeoJSON (streamed; ingest reads it back)')
    .requiredOption('--since <time>', 'ISO 8601 time or duration back from now (30m, 6h, 7d)')
    .option('--until <time>', 'ISO 8601 time or duration back from now (default: now)')
    .option('--bbox <W,S,E,N>', 'only positions inside this box (degrees; W > E crosses the antimeridian)')
    .option('--mmsi <list>', 'only these vessels, comma-separated')
    .addOption(
      new Option('--format <format>', 'output format').choices(['noaa-csv', 'noaa-csv-2023', 'noaa-csv-2024', 'dma-csv', 'jsonl', 'geojson']).default('jsonl'),
    )
    .option('-o, --output <file>', 'write to this file (complete or not at all) instead of stdout')
    .option('--quiet', 'no summary on stderr'),
).action((opts: Opts) => runCommand(() => import('./commands/export.js'), opts));

connectionOptions(
  program
    .command('search')
    .description('vessels by name, call sign, IMO number or MMSI prefix (PostgreSQL)')
    .argument('<text>')
    .option('--limit <n>', 'at most this many vessels', '20')
    .option('--json', 'JSON output'),
).action((text: string, opts: Opts) => runCommand(() => import('./commands/search.js'), text, opts));

connectionOptions(
  program
    .command('doctor')
    .description('check Redis and PostgreSQL: reachability, versions, modules, schema; and feed URLs (--feed)')
    .option('--json', 'JSON output')
    .option('--feed <[name=]url>', 'also check a feed URL: connect for tcp:// and ws(s)://, bind for udp:// and tcp-listen:// (repeatable)', collect),
).action((opts: Opts) => runCommand(() => import('./commands/doctor.js'), opts));

program
  .command('up')
  .description('start throwaway local Redis and PostgreSQL servers on free ports')
  .option('--data-dir <dir>', 'where their data lives', '.aisctl/servers')
  .option('--json', 'print the URLs as JSON')
  .action((opts: Opts) => runCommand(() => import('./commands/up.js'), opts));

program
  .command('down')
  .description('stop the servers started by `aisctl up`')
  .option('--data-dir <dir>', 'their data folder', '.aisctl/servers')
  .option('--purge', 'also delete the data folder')
  .action((opts: Opts) => runCommand(() => import('./commands/down.js'), opts));

connectionOptions(
  program
    .command('dlq')
    .description('dead-letter queue: stats, replay, purge')
    .addArgument(new Argument('<action>', 'stats | replay | purge').choices(['stats', 'replay', 'purge']))
    .addOption(new Option('--which <which>', 'for purge').choices(['pending', 'parked', 'all']).default('pending'))
    .option('--spool-dir <dir>', 'local spool folder', '.aisctl/spool')
    .option('--json', 'JSON output'),
).action((action: string, opts: Opts) => runCommand(() => import('./commands/dlq.js'), action, opts));

reporterOptions(
  connectionOptions(
    program
      .command('load')
      .description('open-model load through the in-process pipeline (or HTTP) with latency from the intended send time')
      .option('--rate <msgs/s>', 'target rate', '10000')
      .option('--duration <duration>', 'measured duration', '60s')
      .option('--warmup <duration>', 'warm-up excluded from the figures', '5s')
      .option('--vessels <n>', 'distinct vessels', '10000')
      .option('--sources <n>', 'receivers reporting the same vessels', '3')
      .option('--dup-rate <ratio>', 'share of cross-receiver duplicates', '0.1')
      .option('--late-rate <ratio>', 'share of late messages', '0.01')
      .option('--bad-rate <ratio>', 'share of corrupt lines', '0.001')
      .addOption(new Option('--via <mode>', 'in-process pipeline or HTTP ingest endpoint').choices(['inprocess', 'http']).default('inprocess'))
      .option('--gate <expr...>', "pass/fail thresholds, e.g. 'p99<20ms' 'deadlocks==0'")
      .option('--seed <n>', 'generator seed', '1')
      .option('--name <name>', 'report name', 'load')
      .option('--batch-size <n>', 'largest write batch', '2000')
      .option('--linger <duration>', 'longest wait of a partial batch', '5ms')
      .option('--writers <n>', 'batches written concurrently (group commit beyond that)', '4'),
  ),
).action((opts: Opts) => runCommand(() => import('./commands/load.js'), opts));

const stress = program.command('stress').description('stress tests');
reporterOptions(
  connectionOptions(
    stress
      .command('deadlock')
      .description('concurrent overlapping vessel upserts on PostgreSQL: naive reproduces deadlocks, safe shows none')
      .option('--concurrency <n>', 'concurrent writers', '1000')
      .option('--vessels <n>', 'vessel set the writers overlap on', '2000')
      .option('--batch-size <n>', 'rows per upsert', '50')
      .option('--duration <duration>', 'how long to run', '20s')
      .addOption(new Option('--strategy <strategy>', 'writer').choices(['safe', 'naive']).default('safe'))
      .option('--gate <expr...>', "thresholds, e.g. 'deadlocks==0'")
      .option('--seed <n>', 'seed', '1')
      .option('--name <name>', 'report name', 'stress-deadlock'),
  ),
).action((opts: Opts) => runCommand(() => import('./commands/stress-deadlock.js'), opts));

reporterOptions(
  connectionOptions(
    program
      .command('run')
      .description('run a scenario file (scenarios/*.yaml)')
      .argument('<scenario>', 'path to a YAML or JSON scenario')
      .option('--gate <expr...>', 'extra gates on top of the scenario'),
  ),
).action((file: string, opts: Opts) => runCommand(() => import('./commands/run-scenario.js'), file, opts));

connectionOptions(
  program
    .command('serve')
    .description('run the pipeline as a service: POST /v1/messages, live feeds (--feed), GET /metrics, GET /healthz')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port', '9464')
    .option('--spool-dir <dir>', 'local spool folder', '.aisctl/spool')
    .option('--feed <[name=]url>', 'live input, repeatable: udp://HOST:PORT, tcp-listen://HOST:PORT, tcp://HOST:PORT, ws(s)://HOST/PATH (aisstream)', collect)
    .option('--feed-rcvbuf <bytes>', 'SO_RCVBUF of UDP feeds (default: the system default)')
    .option('--feed-idle <duration>', 'no bytes for this long: a client feed reconnects, a listener closes the connection', '60s')
    .option('--feed-stale <duration>', '/healthz answers 503 when every feed has been silent this long', '5m')
    .option('--feed-max-connections <n>', 'connections served at once per tcp-listen feed', '32')
    .option('--max-line-length <chars>', 'longer lines of a feed or a line body are rejected (line_too_long)', '65536')
    .option('--bbox <lat1,lon1,lat2,lon2>', 'websocket feeds: area to subscribe to, repeatable (default: the whole world)', collect)
    .option('--ws-types <types>', 'websocket feeds: aisstream message types, comma-separated (default: all)')
    .option('--token-file <file>', 'require this bearer token on every endpoint but /healthz and /metrics (required off loopback)')
    .option('--no-auth', 'serve a non-loopback --host without a token (a network you trust)'),
).action((opts: Opts) => runCommand(() => import('./commands/serve.js'), opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
  } else {
    throw err;
  }
}
