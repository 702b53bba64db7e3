/**
 * `aisctl up [--data-dir .aisctl/servers] [--json]`: throwaway Redis and PostgreSQL on free
 * ports with their data in one folder, for trying aisctl without touching shared servers. The
 * servers outlive this command; `aisctl down` stops them. Running `up` again restarts whatever
 * stopped, says so, and prints the same URLs.
 */
import { printJson, printLines } from '../print-table.js';
import { errorMessage } from '../../errors/error-message.js';
import type { ServerStart } from '../../harness/local-servers.js';
import { DEFAULT_LOCAL_SERVERS_DIR } from '../../harness/harness-defaults.js';

interface UpOptions {
  dataDir?: string;
  json?: boolean;
}

export function exportLine(redisUrl: string, databaseUrl: string): string {
  return `export REDIS_URL=${redisUrl} DATABASE_URL=${databaseUrl}`;
}

interface ServerLine {
  readonly name: string;
  readonly start: ServerStart | null;
  readonly url: string;
  readonly port: number | null;
}

/**
 * One line when both servers fared alike, else one per server: a server that was recorded but
 * found dead is named as restarted, so that a crash between two `up`s does not go unnoticed.
 */
export function startLines(redis: ServerLine, postgres: ServerLine): string[] {
  if (redis.start === postgres.start && redis.start !== 'restarted') {
    const what = redis.start === 'running' ? 'running (already started earlier)' : 'started';
    return [`${what}: ${redis.name} ${redis.url}, ${postgres.name} ${postgres.url}`];
  }
  return [redis, postgres].map((s) => {
    switch (s.start) {
      case 'restarted':
        return `${s.name} was not running: restarted on 127.0.0.1:${s.port ?? '?'}`;
      case 'running':
        return `${s.name} running (already started earlier): ${s.url}`;
      default:
        return `${s.name} started: ${s.url}`;
    }
  });
}

export async function run(opts: UpOptions): Promise<number> {
  const { resolve } = await import('node:path');
  const { readLocalServersState, startLocalServers } = await import('../../harness/local-servers.js');
  const { DependencyError } = await import('../../store/connections.js');
  const dataDir = opts.dataDir ?? DEFAULT_LOCAL_SERVERS_DIR;
  const before = await readLocalServersState(dataDir);
  let servers;
  try {
    servers = await startLocalServers({ dataDir });
  } catch (err) {
    // LocalServerError messages already say what is missing and what to do.
    throw new DependencyError(`aisctl up: ${errorMessage(err)}`);
  }
  const { redisUrl, databaseUrl } = servers;
  const wasRecorded = before !== null && before.redisUrl === redisUrl && before.databaseUrl === databaseUrl;
  const downCmd = opts.dataDir === undefined || resolve(dataDir) === resolve(DEFAULT_LOCAL_SERVERS_DIR) ? 'aisctl down' : `aisctl down --data-dir ${dataDir}`;
  if (opts.json) {
    printJson({
      dataDir: servers.dataDir,
      redisUrl,
      databaseUrl,
      alreadyRecorded: wasRecorded,
      start: servers.start,
      export: exportLine(redisUrl, databaseUrl),
    });
    return 0;
  }
  printLines([
    ...startLines(
      { name: 'Redis', start: servers.start.redis, url: redisUrl, port: servers.redisPort },
      { name: 'PostgreSQL', start: servers.start.postgres, url: databaseUrl, port: servers.postgresPort },
    ),
    `data in ${servers.dataDir}`,
    'use them in this shell with:',
    `  ${exportLine(redisUrl, databaseUrl)}`,
    `stop them with \`${downCmd}\` (add --purge to delete their data)`,
  ]);
  return 0;
}
