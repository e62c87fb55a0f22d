// Bytes shipped per deployment target, raw and gzip -9: cwasm's files
// against tfjs-backend-wasm 4.22's for the same target; and the two examples
// that only infer (the Chrome extension, the WeChat mini-program), on the
// standalone runtime as they ship, against the same inference on tfjs-core,
// tfjs-converter and the cwasm backend.
//
//   bash scripts/build.sh      # dist/, build/chrome-extension/, the WeChat package and library
//   node bench/size.mjs [--out NAME]
//
// A row of the first table is what a user of that target downloads or
// packages for the backend itself (tfjs-core and the app are the same for
// both backends and left out), except the "app" rows, which are the whole
// shipped example, and the graph-model rows: the standalone runtime needs no
// tfjs-core, tfjs does. Writes bench/results/NAME.json and NAME.md
// (NAME = 'size') and prints the tables.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { bundleForBrowser } from '../scripts/bundling.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM = 'node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const EXT = 'build/chrome-extension/';
const WECHAT = 'examples/wechat-miniprogram/miniprogram/';
const WECHAT_BACKEND = 'build/wechat-backend/lib/';
// What an app bundles to run a graph-model on the cwasm backend: tfjs-core,
// tfjs-converter and cwasm, minified as the extension's offscreen.js is
// (built by tfjsStack()).
const TFJS_STACK = 'build/size/tfjs-core-converter-cwasm.min.js';
const BACKEND_FILES = ['scalar.wasm', 'simd.wasm', 'threads.wasm', 'threads.js', 'threads.worker.js'].map((f) => `dist/cwasm-${f}`);

/** The rows: target, backend, files (repository paths; a directory means every file under it). */
const ROWS = [
  ['page, SIMD (ES module)', 'cwasm', ['dist/tfjs-backend-cwasm.esm.min.js', 'dist/cwasm-simd.wasm']],
  ['page, SIMD (ES module)', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-simd.wasm`]],
  ['page, SIMD (script tag, UMD)', 'cwasm', ['dist/tfjs-backend-cwasm.umd.min.js', 'dist/cwasm-simd.wasm']],
  ['page, SIMD (script tag, UMD)', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.min.js`, `${WASM}tfjs-backend-wasm-simd.wasm`]],
  // With threads a page also fetches the threaded glue: as an ES module
  // (the bundle's import()) and as a classic script (the pool's workers).
  ['page, SIMD + threads', 'cwasm', ['dist/tfjs-backend-cwasm.esm.min.js', 'dist/cwasm-threads.wasm', 'dist/cwasm-threads.mjs', 'dist/cwasm-threads.js', 'dist/cwasm-threads.worker.js']],
  ['page, SIMD + threads', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-threaded-simd.wasm`]],
  ['page, no SIMD', 'cwasm', ['dist/tfjs-backend-cwasm.esm.min.js', 'dist/cwasm-scalar.wasm']],
  ['page, no SIMD', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm.wasm`]],
  ['all variants, as published', 'cwasm', ['dist/tfjs-backend-cwasm.umd.min.js', 'dist/cwasm-scalar.wasm', 'dist/cwasm-simd.wasm', 'dist/cwasm-threads.wasm', 'dist/cwasm-threads.mjs', 'dist/cwasm-threads.js', 'dist/cwasm-threads.worker.js']],
  ['all variants, as published', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.min.js`, `${WASM}tfjs-backend-wasm.wasm`, `${WASM}tfjs-backend-wasm-simd.wasm`, `${WASM}tfjs-backend-wasm-threaded-simd.wasm`]],
  // Running a graph-model without tfjs-core: cwasm's standalone runtime, against
  // what tfjs needs for it (tfjs-core, tfjs-converter and the wasm backend).
  ['graph-model inference, SIMD', 'cwasm runtime', ['dist/cwasm-runtime.esm.min.js', 'dist/cwasm-runtime-simd.wasm']],
  ['graph-model inference, SIMD + threads', 'cwasm runtime', ['dist/cwasm-runtime.esm.min.js', 'dist/cwasm-runtime-threads.wasm',
    'dist/cwasm-runtime-threads.mjs', 'dist/cwasm-runtime-threads.js', 'dist/cwasm-runtime-threads.worker.js']],
  ['graph-model inference, SIMD + threads', 'tfjs-backend-wasm', ['node_modules/@tensorflow/tfjs-core/dist/tf-core.fesm.min.js',
    'node_modules/@tensorflow/tfjs-converter/dist/tf-converter.fesm.min.js', `${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-threaded-simd.wasm`]],
  ['graph-model inference, SIMD', 'tfjs-backend-wasm', ['node_modules/@tensorflow/tfjs-core/dist/tf-core.fesm.min.js',
    'node_modules/@tensorflow/tfjs-converter/dist/tf-converter.fesm.min.js', `${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-simd.wasm`]],
  ['Chrome extension: cwasm files', 'cwasm runtime', [`${EXT}cwasm/`]],
  ['Chrome extension app: everything but the model', 'cwasm runtime', [EXT], { exclude: /\/models\// }],
  ['Chrome extension app: whole package', 'cwasm runtime', [EXT]],
  ['WeChat mini-program: whole code package', 'cwasm runtime', [WECHAT]],
];

/**
 * The examples that only infer: [what, files on tfjs-core + tfjs-converter +
 * the cwasm backend, files on the standalone runtime as shipped].
 */
const EXAMPLES = [
  ['Chrome extension: inference code and all three programs', [TFJS_STACK, ...BACKEND_FILES],
    ['dist/cwasm-runtime.esm.min.js', `${EXT}cwasm/`]],
  ['WeChat mini-program: lib/ (simd and scalar programs)', [WECHAT_BACKEND], [`${WECHAT}lib/`]],
];

/** Writes TFJS_STACK. */
function tfjsStack() {
  const contents = [
    "import * as tf from '@tensorflow/tfjs-core';",
    "import { loadGraphModel } from '@tensorflow/tfjs-converter';",
    "import * as cwasm from './dist/tfjs-backend-cwasm.esm.js';",
    'globalThis.cwasmStack = { tf, loadGraphModel, cwasm };',
  ].join('\n');
  return bundleForBrowser({
    stdin: { contents, resolveDir: root, loader: 'js' },
    outfile: path.join(root, TFJS_STACK), format: 'iife', minify: true,
  });
}

function filesUnder(rel) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return null;
  if (!fs.statSync(abs).isDirectory()) return [rel];
  return fs.readdirSync(abs, { recursive: true }).map((f) => path.join(rel, f))
      .filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

function measure([target, backend, entries, { exclude } = {}]) {
  const files = [];
  for (const e of entries) {
    const found = filesUnder(e);
    if (found == null) return { target, backend, missing: e };
    files.push(...found.filter((f) => !(exclude && exclude.test(f))));
  }
  let raw = 0, gzip = 0, wasmRaw = 0, wasmGzip = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(root, f));
    const z = zlib.gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += z;
    if (f.endsWith('.wasm')) {
      wasmRaw += bytes.length;
      wasmGzip += z;
    }
  }
  return { target, backend, files, raw, gzip, wasmRaw, wasmGzip, otherRaw: raw - wasmRaw, otherGzip: gzip - wasmGzip };
}

const fmt = (n) => n.toLocaleString('en-US');

export function sizes() { return ROWS.map(measure); }

/** The EXAMPLES, each measured on the backend and on the runtime. */
export async function exampleSizes() {
  await tfjsStack();
  return EXAMPLES.map(([what, backend, runtime]) => ({
    what,
    backend: measure([what, 'tfjs-core + tfjs-converter + cwasm backend', backend]),
    runtime: measure([what, 'cwasm runtime', runtime]),
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.indexOf('--out');
  const name = outArg > 0 ? process.argv[outArg + 1] : 'size';
  const rows = sizes();
  const examples = await exampleSizes();
  const lines = [
    '| target | backend | .wasm raw | .wasm gzip | JS and other raw | JS and other gzip | total raw | total gzip | vs tfjs-backend-wasm (gzip) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.missing) {
      lines.push(`| ${r.target} | ${r.backend} | ${r.missing} is missing (run scripts/build.sh) | | | | | | |`);
      continue;
    }
    const other = rows.find((o) => o.target === r.target && o.backend === 'tfjs-backend-wasm' && !o.missing);
    const ratio = other && r.backend.startsWith('cwasm') ? `${(r.gzip / other.gzip).toFixed(2)}x` : '';
    lines.push(`| ${r.target} | ${r.backend} | ${fmt(r.wasmRaw)} | ${fmt(r.wasmGzip)} | ${fmt(r.otherRaw)} | ` +
        `${fmt(r.otherGzip)} | ${fmt(r.raw)} | ${fmt(r.gzip)} | ${ratio} |`);
  }
  lines.push('', 'The examples that only infer, on tfjs-core + tfjs-converter + the cwasm backend and on the standalone runtime:', '',
      '| example | on the backend, raw | on the backend, gzip | on the runtime, raw | on the runtime, gzip | runtime / backend (gzip) |',
      '|---|---:|---:|---:|---:|---:|');
  for (const { what, backend, runtime } of examples) {
    const missing = backend.missing || runtime.missing;
    if (missing) {
      lines.push(`| ${what} | ${missing} is missing (run scripts/build.sh) | | | | |`);
      continue;
    }
    lines.push(`| ${what} | ${fmt(backend.raw)} | ${fmt(backend.gzip)} | ${fmt(runtime.raw)} | ${fmt(runtime.gzip)} | ` +
        `${(runtime.gzip / backend.gzip).toFixed(2)}x |`);
  }
  const md = lines.join('\n') + '\n';
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, `bench/results/${name}.json`), JSON.stringify({ rows, examples }, null, 1) + '\n');
  fs.writeFileSync(path.join(root, `bench/results/${name}.md`), md);
  process.stdout.write(md);
}
