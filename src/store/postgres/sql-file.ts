import { readFileSync } from 'node:fs';

/**
 * A SQL text loaded once from a `.sql` file beside the compiled module (the build copies .sql
 * files from src/ to dist/). `name` is used as the prepared-statement name when the caller
 * allows named statements: the server then plans it once per connection instead of per call.
 */
export interface SqlStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * A line `-- @include other.sql` is replaced by that file's text (resolved beside the including
 * file, recursively), so statements that must agree share one copy of the common part: the
 * position upsert's conflict rule, the vessel-touch CTEs.
 */
export function loadSql(fileUrl: URL, name: string): SqlStatement {
  return { name, text: readSqlText(fileUrl, []) };
}

const INCLUDE = /^--\s*@include\s+(\S+)\s*$/gm;

function readSqlText(fileUrl: URL, chain: readonly string[]): string {
  if (chain.includes(fileUrl.href)) throw new Error(`SQL include cycle: ${[...chain, fileUrl.href].join(' -> ')}`);
  const text = readFileSync(fileUrl, 'utf8');
  return text.replace(INCLUDE, (_line, file: string) => readSqlText(new URL(file, fileUrl), [...chain, fileUrl.href]).trimEnd());
}

/** Config for `client.query`: named (prepared once per connection) or unnamed (PgBouncer-safe). */
export function queryConfig(stmt: SqlStatement, values: readonly unknown[], named: boolean): { name?: string; text: string; values: unknown[] } {
  return named ? { name: stmt.name, text: stmt.text, values: [...values] } : { text: stmt.text, values: [...values] };
}
