/**
 * `aisctl run scenarios/NAME.yaml`: a load or stress scenario with its gates, and faults (stop
 * Redis or PostgreSQL for a while) against servers the run starts itself. The machine's shared
 * servers are never stopped: a scenario with faults must say `servers: local`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { connectionConfig, type SessionFlags } from '../config.js';

export async function run(file: string, flags: SessionFlags): Promise<number> {
  const [{ findScenario, scenarioScheduleShape, scenarioSettings }, { parseGates }, defaults] = await Promise.all([
    import('../../harness/scenario.js'),
    import('../../harness/gates.js'),
    import('../../harness/harness-defaults.js'),
  ]);
  const scenario = await findScenario(file);
  const gates = [...scenario.gates, ...parseGates(flags.gate ?? [])];
  const common = { name: scenario.name, gates, json: flags.json ?? false, tui: flags.tui, reportsDir: flags.reportsDir };

  let conn = connectionConfig(flags);
  let servers: import('../../harness/local-servers.js').LocalServers | null = null;
  let dataDir: string | null = null;
  if (scenario.servers === 'local') {
    const { startLocalServers } = await import('../../harness/local-servers.js');
    dataDir = await mkdtemp(join(tmpdir(), `aisctl-${scenario.name}-`));
    servers = await startLocalServers({ dataDir, redis: true, postgres: true });
    const db = new URL(servers.databaseUrl);
    db.pathname = '/aisctl';
    conn = { ...conn, redisUrl: servers.redisUrl, databaseUrl: db.toString() };
  }
  try {
    if (scenario.kind === 'stress-deadlock') {
      const { runStressSession } = await import('./stress-deadlock.js');
      const stress = scenario.stress ?? {
        concurrency: defaults.DEFAULT_STRESS_CONCURRENCY,
        strategy: defaults.DEFAULT_STRESS_STRATEGY,
        batchSize: defaults.DEFAULT_STRESS_BATCH,
      };
      return await runStressSession({
        ...common,
        databaseUrl: conn.databaseUrl,
        concurrency: stress.concurrency,
        vessels: scenario.vessels,
        batchSize: stress.batchSize,
        durationMs: scenario.durationMs,
        strategy: stress.strategy,
        seed: 1,
      });
    }
    const shape = scenarioScheduleShape(scenario);
    if (shape === null) throw new Error(`scenario ${scenario.name} has no load shape`);
    const { sourceNames } = await import('./load.js');
    const sources = scenario.sourceNames ? [...scenario.sourceNames] : sourceNames(scenario.sources);
    const load = {
      shape,
      warmupMs: scenario.warmupMs,
      vessels: scenario.vessels,
      sources,
      ...scenario.mix,
      seed: 1,
    };
    if (scenario.via === 'http') {
      const { runHttpLoadCommand } = await import('../http-load-command.js');
      return await runHttpLoadCommand(
        { ...common, conn },
        { gates, spec: scenario.load ?? shape, warmupMs: scenario.warmupMs, vessels: scenario.vessels, sources, mix: scenario.mix, seed: 1 },
      );
    }
    if (scenario.via === 'udp' || scenario.via === 'tcp') {
      const { runFeedLoadCommand } = await import('../feed-load-command.js');
      const { DEFAULT_PIPELINE_CONFIG } = await import('../../pipeline/pipeline-config.js');
      return await runFeedLoadCommand(
        { ...common, conn },
        {
          via: scenario.via,
          gates,
          spec: scenario.load ?? shape,
          warmupMs: scenario.warmupMs,
          vessels: scenario.vessels,
          sources,
          mix: scenario.mix,
          seed: 1,
          pipeline: DEFAULT_PIPELINE_CONFIG,
        },
      );
    }
    const { runLoadSession } = await import('./load.js');
    return await runLoadSession({
      ...common,
      conn,
      settings: scenarioSettings(scenario),
      plannedMs: scenario.warmupMs + scenario.durationMs,
      load,
      ...(servers ? { onTick: faultInjector(scenario.faults, servers), breakerHalfOpenAfterMs: 2000, spoolDir: join(dataDir ?? '.', 'spool') } : {}),
      faults: scenario.faults.map((f) => ({ label: f.action, fromMs: f.atMs, toMs: f.atMs + f.forMs })),
    });
  } finally {
    if (servers) await servers.stop({ removeData: true }).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Turns the scenario's fault list into actions taken as the run's clock passes their times. */
function faultInjector(
  faults: readonly import('../../harness/scenario.js').Fault[],
  servers: import('../../harness/local-servers.js').LocalServers,
): (elapsedMs: number) => void {
  const state = faults.map(() => ({ stopped: false, restarted: false }));
  return (elapsedMs) => {
    faults.forEach((f, i) => {
      const s = state[i];
      if (!s) return;
      if (!s.stopped && elapsedMs >= f.atMs) {
        s.stopped = true;
        (f.action === 'stop-redis' ? servers.stopRedis() : servers.stopPostgres()).catch((e: Error) =>
          process.stderr.write(`aisctl: fault ${f.action} failed: ${e.message}\n`),
        );
      }
      if (s.stopped && !s.restarted && elapsedMs >= f.atMs + f.forMs) {
        s.restarted = true;
        (f.action === 'stop-redis' ? servers.startRedis() : servers.startPostgres()).catch((e: Error) =>
          process.stderr.write(`aisctl: restarting after ${f.action} failed: ${e.message}\n`),
        );
      }
    });
  };
}
