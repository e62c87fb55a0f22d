// Bytes shipped per deployment target, raw and gzip -9: cwasm's files
// against tfjs-backend-wasm 4.22's for the same target.
//
//   bash scripts/build.sh      # dist/, build/chrome-extension/, the WeChat package
//   node bench/size.mjs [--out NAME]
//
// A row is what a user of that target downloads or packages for the backend
// itself (tfjs-core and the app are the same for both backends and left
// out), except the "app" rows, which are the whole shipped example, and the
// graph-model rows: the standalone runtime needs no tfjs-core, tfjs does.
// Writes bench/results/NAME.json and NAME.md (NAME = 'size') and prints the table.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM = 'node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const EXT = 'build/chrome-extension/';
const WECHAT = 'examples/wechat-miniprogram/miniprogram/';

/** The rows: target, backend, files (repository paths; a directory means every file under it). */
const ROWS = [
  ['page, SIMD (ES module)', 'cwasm', ['dist/tfjs-backend-cwasm.esm.min.js', 'dist/cwasm-simd.wasm']],
  ['page, SIMD (ES module)', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-simd.wasm`]],
  ['page, SIMD (script tag, UMD)', 'cwasm', ['dist/tfjs-backend-cwasm.umd.min.js', 'dist/cwasm-simd.wasm']],
  ['page, SIMD (script tag, UMD)', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.min.js`, `${WASM}tfjs-backend-wasm-simd.wasm`]],
  ['page, SIMD + threads', 'cwasm', ['dist/tfjs-backend-cwasm.esm.min.js', 'dist/cwasm-threads.wasm', 'dist/cwasm-threads.js', 'dist/cwasm-threads.worker.js']],
  ['page, SIMD + threads', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-threaded-simd.wasm`]],
  ['page, no SIMD', 'cwasm', ['dist/tfjs-backend-cwasm.esm.min.js', 'dist/cwasm-scalar.wasm']],
  ['page, no SIMD', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm.wasm`]],
  ['all variants, as published', 'cwasm', ['dist/tfjs-backend-cwasm.umd.min.js', 'dist/cwasm-scalar.wasm', 'dist/cwasm-simd.wasm', 'dist/cwasm-threads.wasm', 'dist/cwasm-threads.js', 'dist/cwasm-threads.worker.js']],
  ['all variants, as published', 'tfjs-backend-wasm', [`${WASM}tf-backend-wasm.min.js`, `${WASM}tfjs-backend-wasm.wasm`, `${WASM}tfjs-backend-wasm-simd.wasm`, `${WASM}tfjs-backend-wasm-threaded-simd.wasm`]],
  // Running a graph-model without tfjs-core: cwasm's standalone runtime, against
  // what tfjs needs for it (tfjs-core, tfjs-converter and the wasm backend).
  ['graph-model inference, SIMD', 'cwasm runtime', ['dist/cwasm-runtime.esm.min.js', 'dist/cwasm-runtime-simd.wasm']],
  ['graph-model inference, SIMD', 'tfjs-backend-wasm', ['node_modules/@tensorflow/tfjs-core/dist/tf-core.fesm.min.js',
    'node_modules/@tensorflow/tfjs-converter/dist/tf-converter.fesm.min.js', `${WASM}tf-backend-wasm.fesm.min.js`, `${WASM}tfjs-backend-wasm-simd.wasm`]],
  ['Chrome extension: cwasm files', 'cwasm', [`${EXT}cwasm/`]],
  ['Chrome extension app: everything but the model', 'cwasm', [EXT], { exclude: /\/models\// }],
  ['Chrome extension app: whole package', 'cwasm', [EXT]],
  ['WeChat mini-program: whole package', 'cwasm', [WECHAT]],
];

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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.indexOf('--out');
  const name = outArg > 0 ? process.argv[outArg + 1] : 'size';
  const rows = sizes();
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
  const md = lines.join('\n') + '\n';
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, `bench/results/${name}.json`), JSON.stringify(rows, null, 1) + '\n');
  fs.writeFileSync(path.join(root, `bench/results/${name}.md`), md);
  process.stdout.write(md);
}
