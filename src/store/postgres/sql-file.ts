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

export function loadSql(fileUrl: URL, name: string): SqlStatement {
  return { name, text: readFileSync(fileUrl, 'utf8') };
}

/** Config for `client.query`: named (prepared once per connection) or unnamed (PgBouncer-safe). */
export function queryConfig(
  stmt: SqlStatement,
  values: readonly unknown[],
  named: boolean,
): { name?: string; text: string; values: unknown[] } {
  return named ? { name: stmt.name, text: stmt.text, values: [...values] } : { text: stmt.text, values: [...values] };
}
