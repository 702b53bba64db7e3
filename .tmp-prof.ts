import { createTrafficGenerator } from './src/harness/traffic-generator.js';
import { encodePayload } from './src/ais/payload-encoder.js';
import { toSentences } from './src/ais/sentence-encoder.js';
const gen = createTrafficGenerator({ vessels: 20000, sources: ['bench'], seed: 1, startTimeMs: 0, dupRate: 0, lateRate: 0, badRate: 0 });
let t = 1e12; const msgs = [];
let c0 = process.cpuUsage(); let w0 = performance.now();
for (let i = 0; i < 200000; i++) msgs.push(gen.next(t += 1).message);
let c = process.cpuUsage(c0); console.log('gen next', (200000 / ((c.user + c.system) / 1e6)).toFixed(0), '/cpu-s', (200000/((performance.now()-w0)/1000)).toFixed(0), '/wall-s');
for (let r = 0; r < 3; r++) {
c0 = process.cpuUsage();
let n = 0; for (const m of msgs) n += encodePayload(m).payload.length;
c = process.cpuUsage(c0); console.log('encodePayload', (200000 / ((c.user + c.system) / 1e6)).toFixed(0));
c0 = process.cpuUsage();
const p = encodePayload(msgs[0]!);
for (let i = 0; i < 200000; i++) n += toSentences(p.payload, p.fillBits, { channel: 'A' }).length;
c = process.cpuUsage(c0); console.log('toSentences', (200000 / ((c.user + c.system) / 1e6)).toFixed(0));
}
