/**
 * `aisctl down [--data-dir .aisctl/servers] [--purge]`: stops the servers `aisctl up` started
 * (found through the state file in the data folder, from any process) and with --purge deletes
 * their data. A folder without a state file is never deleted: --data-dir pointing at the wrong
 * place must not erase it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { printLines } from '../print-table.js';
import { errorMessage } from '../../errors/error-message.js';
import { DEFAULT_LOCAL_SERVERS_DIR } from '../../harness/harness-defaults.js';

/** Data `aisctl up` left after a plain `down` (which forgets the ports): only its two folders. */
function looksLikeServersFolder(dir: string): boolean {
  if (!existsSync(dir)) return false;
  const names = readdirSync(dir);
  const ours = new Set(['redis', 'postgres']);
  return names.length > 0 && names.every((n) => ours.has(n)) && (existsSync(join(dir, 'postgres', 'data', 'PG_VERSION')) || existsSync(join(dir, 'redis')));
}

interface DownOptions {
  dataDir?: string;
  purge?: boolean;
}

export async function run(opts: DownOptions): Promise<number> {
  const { resolve } = await import('node:path');
  const { readLocalServersState, stopLocalServers } = await import('../../harness/local-servers.js');
  const { DependencyError } = await import('../../store/connections.js');
  const dataDir = resolve(opts.dataDir ?? DEFAULT_LOCAL_SERVERS_DIR);
  const state = await readLocalServersState(dataDir);
  if (state === null) {
    if (opts.purge && looksLikeServersFolder(dataDir)) {
      const { rm } = await import('node:fs/promises');
      await rm(dataDir, { recursive: true, force: true });
      printLines([`no servers running; deleted the data left in ${dataDir}`]);
      return 0;
    }
    printLines([`nothing to stop: no servers recorded by \`aisctl up\` in ${dataDir}`]);
    return 0;
  }
  try {
    await stopLocalServers(dataDir, { removeData: opts.purge === true });
  } catch (err) {
    throw new DependencyError(`aisctl down: ${errorMessage(err)}`);
  }
  const what = [state.redisUrl ? `Redis ${state.redisUrl}` : '', state.databaseUrl ? `PostgreSQL ${state.databaseUrl}` : ''].filter(Boolean).join(', ');
  printLines([`stopped ${what}`, opts.purge ? `deleted ${dataDir}` : `data kept in ${dataDir} (\`aisctl up\` reuses it; \`aisctl down --purge\` deletes it)`]);
  return 0;
}
