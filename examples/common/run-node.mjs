// Runs one example's task (examples/<name>/task.mjs) in Node on 'cwasm'
// (or another backend), the way the page's Worker runs it, and prints its
// progress and result:
//   node examples/common/run-node.mjs <name> [full|test] [--backend cwasm|cpu] [--threads N] [--set key=value ...]
// --set overrides a field of the configuration (a number if it parses as one,
// JSON if it starts with { or [).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as cwasm from '../../dist/tfjs-backend-cwasm.node.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const args = process.argv.slice(2);
const name = args.shift();
if (!name) {
  console.error('usage: node examples/common/run-node.mjs <name> [full|test] [--backend b] [--threads N] [--set k=v]');
  process.exit(2);
}
let configName = 'full', backend = 'cwasm', threads = 2;
const overrides = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--backend') backend = args[++i];
  else if (a === '--threads') threads = Number(args[++i]);
  else if (a === '--set') {
    const [k, ...rest] = args[++i].split('=');
    const v = rest.join('=');
    overrides[k] = /^[[{]/.test(v) ? JSON.parse(v) : Number.isNaN(Number(v)) ? v : Number(v);
  } else configName = a;
}

const task = await import(`../${name}/task.mjs`);
if (!task.CONFIGS[configName]) throw new Error(`${name}: no configuration '${configName}'`);
const config = { ...task.CONFIGS[configName], ...overrides };

if (backend === 'cwasm') {
  if (threads > 1) {
    cwasm.setVariant('threads');
    cwasm.setThreadsCount(threads);
  }
}
await tf.setBackend(backend);
console.log(`${name} (${configName}) on ${backend}`, backend === 'cwasm' ? cwasm.getBackendInfo() : '', config);

let lastLabel = '';
const ctx = {
  fetchBytes: async (rel) => {
    const buf = await readFile(path.join(ROOT, rel));
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  },
  emit: (e) => {
    if (e.type === 'progress') {
      if (e.label !== lastLabel || e.fraction >= 1) console.log(`  ${e.label} ${(100 * e.fraction).toFixed(0)}%`);
      lastLabel = e.label;
    } else if (e.type === 'epoch') {
      console.log(`  epoch ${e.epoch}: ${JSON.stringify(e)}`);
    }
  },
};
const before = tf.memory().numTensors;
const t0 = performance.now();
const result = await task.run(ctx, config);
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log('metrics', result.metrics, 'targets', result.targets, `train ${result.trainMs.toFixed(0)} ms, infer ${result.inferMs.toFixed(2)} ms`);
if (result.view?.perVoice) {
  console.log('per voice', result.view.perVoice.map((v) => `${v.voice} ${(v.correct / v.clips).toFixed(2)}`).join(', '));
}
task.dispose();
const leaked = tf.memory().numTensors - before;
console.log(`tensors left after dispose(): ${leaked}`);
process.exit(leaked === 0 ? 0 : 1);
