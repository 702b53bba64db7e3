// The rival of `aisctl decode --format count` as a whole process: ggencoder (which has no file
// command of its own) over a file read in chunks and split by hand, the fastest simple reader,
// so the comparison is not flattered by a slow one (readline costs about twice as much).
//   node bench/ggencoder-count.mjs FILE
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { AisDecode } = require('ggencoder');

const session = {};
let lines = 0;
let messages = 0;
let errors = 0;
let carry = '';
const decode = (line) => {
  lines++;
  try {
    const r = new AisDecode(line, session);
    if (r.valid) messages++;
    else if (r.error !== '') errors++;
  } catch {
    errors++;
  }
};
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
  const parts = (carry + chunk).split('\n');
  carry = parts.pop();
  for (const p of parts) decode(p.endsWith('\r') ? p.slice(0, -1) : p);
}
if (carry !== '') decode(carry);
process.stdout.write(JSON.stringify({ lines, messages, errors }) + '\n');
