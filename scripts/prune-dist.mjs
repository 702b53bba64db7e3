// tsc never deletes what it emitted for a source that was since moved, renamed or excluded, and
// `npm pack` ships all of dist/: a file moved out of the build would otherwise still be in the
// package. Only outputs without a built source are removed, so a CLI started from dist/ while
// this runs keeps working.
import { existsSync, readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = 'src';
const OUT = 'dist';
// Mirrors the exclude list of tsconfig.build.json.
const EXCLUDED = (srcPath) => /\.test\.tsx?$/.test(srcPath) || relative(SRC, srcPath).split(/[\\/]/)[0] === 'testing';

/** Sources a file in dist/ can come from (compiled module, its map, or a copied asset). */
function sourcesOf(distPath) {
  const rel = relative(OUT, distPath);
  const m = /^(.*)\.js(?:\.map)?$/.exec(rel) ?? /^(.*)\.d\.ts$/.exec(rel);
  if (m) return [`${m[1]}.ts`, `${m[1]}.tsx`].map((s) => join(SRC, s));
  if (/\.(sql|lua|html|mjs)$/.test(rel)) return [join(SRC, rel)];
  return null;
}

let removed = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
      if (readdirSync(path).length === 0) rmdirSync(path);
      continue;
    }
    const sources = sourcesOf(path);
    if (sources === null) continue;
    if (sources.some((s) => existsSync(s) && !EXCLUDED(s))) continue;
    unlinkSync(path);
    removed++;
  }
}
if (existsSync(OUT)) walk(OUT);
if (removed > 0) console.log(`prune-dist: removed ${removed} file(s) whose source is gone or excluded from the build`);
