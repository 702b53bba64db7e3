// tsc copies only code; SQL migrations, Lua scripts and the map page with its script are loaded from beside the compiled modules.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';

const SRC = 'src';
const OUT = 'dist';
const ASSET = /\.(sql|lua|html|mjs)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (ASSET.test(name)) {
      const target = join(OUT, relative(SRC, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
walk(SRC);
