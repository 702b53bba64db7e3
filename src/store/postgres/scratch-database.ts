/**
 * A throwaway database on the same server as `baseUrl`, for runs that must not touch the user's
 * data (the deadlock stress writes tens of thousands of synthetic rows).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

function maintenanceUrl(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.pathname = '/postgres';
  return u.toString();
}

export async function createScratchDatabase(baseUrl: string, label: string): Promise<ScratchDatabase> {
  // Generated from [a-z0-9_] only: CREATE DATABASE cannot take a bound parameter.
  const name = `aisctl_${label.replace(/[^a-z0-9_]/g, '')}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: maintenanceUrl(baseUrl) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: maintenanceUrl(baseUrl) });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
