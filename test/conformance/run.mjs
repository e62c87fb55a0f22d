// Runs tfjs-core 4.22's own jasmine suite (it ships in the npm package:
// dist/tests.js, dist/jasmine_util.js) against a backend: 'cwasm' by default,
// or 'cpu' (tfjs-backend-cpu, for reference) with --backend cpu.
// Prints "N passed, N failed, N skipped", failures grouped by kernel, and
// writes build/conformance/<backend>.json. Exit code 1 when any spec failed
// or none passed.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const backendName = opt('--backend', 'cwasm');
const filter = opt('--filter', null);
const variant = opt('--variant', null);
const outDir = path.join(root, 'build/conformance');
fs.mkdirSync(outDir, { recursive: true });

const core = path.join(root, 'node_modules/@tensorflow/tfjs-core/dist');
const backendEntry = backendName === 'cwasm' ?
    path.join(root, 'js/index.js') :
    path.join(root, 'node_modules/@tensorflow/tfjs-backend-cpu/dist/index.js');

// Specs that test another backend's internals, not kernels: none so far.
// Every entry needs a comment saying why it cannot apply to 'cwasm'.
const SKIP = [];

const setup = `
import '${core}/public/chained_ops/register_all_chained_ops';
import '${core}/register_all_gradients';
import { setTestEnvs } from '${core}/jasmine_util';
import * as backend from '${backendEntry}';
if (backend.setWasmPaths) backend.setWasmPaths('${path.join(root, 'dist')}/');
if (backend.setVariant && ${JSON.stringify(variant)}) backend.setVariant(${JSON.stringify(variant)});
setTestEnvs([{ name: '${backendName}', backendName: '${backendName}', isDataSync: true }]);
`;
fs.writeFileSync(path.join(outDir, 'setup.js'), setup);
fs.writeFileSync(path.join(outDir, 'entry.js'),
    `import './setup.js';\nimport '${core}/tests';\n`);

const bundle = path.join(outDir, `suite-${backendName}.cjs`);
await build({
  entryPoints: [path.join(outDir, 'entry.js')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  outfile: bundle,
  logLevel: 'error',
  // tfjs-core's package.json marks the test files side-effect free.
  ignoreAnnotations: true,
  alias: { '@tensorflow/tfjs-core': path.join(core, 'index.js') },
  external: ['jasmine-core', 'jasmine-core/*', 'worker_threads', 'perf_hooks'],
});

const Jasmine = require('jasmine');
const runner = new Jasmine({ projectBaseDir: root });
runner.exitOnCompletion = false;
const env = runner.env;
env.configure({ random: false });
runner.jasmine.DEFAULT_TIMEOUT_INTERVAL = 60000;

const results = { passed: 0, failed: 0, skipped: 0, failures: [] };
env.configure({
  specFilter: (spec) => {
    const name = spec.getFullName();
    if (SKIP.some((s) => name.includes(s))) return false;
    return filter == null || name.includes(filter);
  },
});
env.clearReporters();
env.addReporter({
  specDone(r) {
    if (r.status === 'passed') results.passed++;
    else if (r.status === 'failed') {
      results.failed++;
      results.failures.push({ name: r.fullName, messages: r.failedExpectations.map((e) => e.message) });
    } else results.skipped++;
  },
});

require(bundle);
await runner.execute();

// Group failures by the kernel they name, so the list reads as work to do.
const byKernel = new Map();
for (const f of results.failures) {
  const text = f.messages.join(' ');
  const m = /Kernel '(\w+)' not registered/.exec(text) || /'(\w+)' not yet implemented/.exec(text);
  const key = m ? `not registered: ${m[1]}` : 'wrong result or error';
  if (!byKernel.has(key)) byKernel.set(key, []);
  byKernel.get(key).push(f);
}
const keys = [...byKernel.keys()].sort((a, b) => byKernel.get(b).length - byKernel.get(a).length);
for (const k of keys) {
  const list = byKernel.get(k);
  console.log(`\n${k} (${list.length})`);
  if (k === 'wrong result or error' || process.env.CW_VERBOSE) {
    for (const f of list) console.log(`  - ${f.name}\n      ${(f.messages[0] || '').split('\n')[0].slice(0, 300)}`);
  }
}
fs.writeFileSync(path.join(outDir, `${backendName}.json`), JSON.stringify({ ...results, byKernel: Object.fromEntries(keys.map((k) => [k, byKernel.get(k).map((f) => f.name)])) }, null, 1));
console.log(`\nconformance (${backendName}): ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exitCode = results.failed > 0 || results.passed === 0 ? 1 : 0;
