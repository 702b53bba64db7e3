/** The default source of an input: the file's base name, or `stdin`. */
export function fileSourceName(file: string): string {
  if (file === '-') return 'stdin';
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.gz$/i, '') || file;
}
