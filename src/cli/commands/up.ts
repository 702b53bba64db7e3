/**
 * `aisctl up [--data-dir .aisctl/servers] [--json]`: throwaway Redis and PostgreSQL on free
 * ports with their data in one folder, for trying aisctl without touching shared servers. The
 * servers outlive this command; `aisctl down` stops them. Running `up` again restarts whatever
 * stopped and prints the same URLs.
 */
import { printJson, printLines } from '../print-table.js';

interface UpOptions {
  dataDir?: string;
  json?: boolean;
}

export function exportLine(redisUrl: string, databaseUrl: string): string {
  return `export REDIS_URL=${redisUrl} DATABASE_URL=${databaseUrl}`;
}

export async function run(opts: UpOptions): Promise<number> {
  const { resolve } = await import('node:path');
  const { readLocalServersState, startLocalServers } = await import('../../harness/local-servers.js');
  const { DependencyError } = await import('../../store/connections.js');
  const dataDir = opts.dataDir ?? '.aisctl/servers';
  const before = await readLocalServersState(dataDir);
  let servers;
  try {
    servers = await startLocalServers({ dataDir });
  } catch (err) {
    // LocalServerError messages already say what is missing and what to do.
    throw new DependencyError(`aisctl up: ${(err as Error).message}`);
  }
  const { redisUrl, databaseUrl } = servers;
  const wasRecorded = before !== null && before.redisUrl === redisUrl && before.databaseUrl === databaseUrl;
  const downCmd = opts.dataDir === undefined || resolve(dataDir) === resolve('.aisctl/servers') ? 'aisctl down' : `aisctl down --data-dir ${dataDir}`;
  if (opts.json) {
    printJson({ dataDir: servers.dataDir, redisUrl, databaseUrl, alreadyRecorded: wasRecorded, export: exportLine(redisUrl, databaseUrl) });
    return 0;
  }
  printLines([
    `${wasRecorded ? 'running (already started earlier)' : 'started'}: Redis ${redisUrl}, PostgreSQL ${databaseUrl}`,
    `data in ${servers.dataDir}`,
    'use them in this shell with:',
    `  ${exportLine(redisUrl, databaseUrl)}`,
    `stop them with \`${downCmd}\` (add --purge to delete their data)`,
  ]);
  return 0;
}
