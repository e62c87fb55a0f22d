// Bundles js/ with esbuild into dist/: browser ESM, UMD (global `cwasm`,
// tfjs-core from the global `tf`), both also minified (.min.js), Node CJS
// and Node ESM; and the standalone runtime (js/runtime.js) as browser ESM
// (also minified) and Node ESM. The .wasm files, the threaded glue (also as
// an ES module) and its worker are copied next to them.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const wasmDist = path.join(root, 'build/wasm/dist');
fs.mkdirSync(dist, { recursive: true });

const common = {
  entryPoints: [path.join(root, 'js/index.js')],
  bundle: true,
  logLevel: 'warning',
  logOverride: { 'commonjs-variable-in-esm': 'silent' },
  external: ['@tensorflow/tfjs-core', 'fs', 'path', 'url', 'os', 'worker_threads', 'perf_hooks'],
  target: 'es2019',
};

// tfjs-core from the page's global `tf` (loaded by tf.min.js before us).
const globalTf = {
  name: 'global-tf',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: 'tf', namespace: 'global-tf' }));
    b.onLoad({ filter: /.*/, namespace: 'global-tf' }, () => ({ contents: 'module.exports = globalThis.tf;', loader: 'js' }));
  },
};

// Browser builds load the threaded program's glue only when the 'threads'
// variant runs, by import() of its ES-module copy (<program>-threads.mjs,
// written below, next to the .wasm files): a page on 'simd' or 'scalar'
// never fetches it (9 KB gzipped of the runtime's 15). Node bundles and the
// WeChat bundle (never threads) keep the glue inside.
const lazyThreadsGlue = {
  name: 'lazy-threads-glue',
  setup(b) {
    b.onResolve({ filter: /build\/wasm\/dist\/cwasm(-runtime)?-threads\.js$/ }, (args) => ({
      path: args.path.match(/(cwasm(?:-runtime)?)-threads\.js$/)[1], namespace: 'lazy-threads-glue',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-threads-glue' }, (args) => ({
      contents: `export default (moduleArgs) => import(moduleArgs.locateFile('${args.path}-threads.mjs'))
          .then((m) => m.default(moduleArgs));`,
      loader: 'js',
    }));
  },
};
const browser = { platform: 'browser', supported: { 'import-meta': true, 'dynamic-import': true } };

const nodeBanner = [
  "import { createRequire as __cwCreateRequire } from 'module';",
  "import { fileURLToPath as __cwFileURLToPath } from 'url';",
  'const require = __cwCreateRequire(import.meta.url);',
  'const __filename = __cwFileURLToPath(import.meta.url);',
  "const __dirname = require('path').dirname(__filename);",
].join('\n');

// js/loader.js uses the SIMD build's glue for the scalar build too: they
// must be the same but for the default .wasm file name.
for (const program of ['cwasm', 'cwasm-runtime']) {
  const glue = (v) => fs.readFileSync(path.join(wasmDist, `${program}-${v}.js`), 'utf8').replaceAll(`${program}-${v}.wasm`, 'cwasm-V.wasm');
  if (glue('scalar') !== glue('simd')) {
    throw new Error(`bundle: the scalar and SIMD Emscripten glues of ${program} differ beyond the .wasm name; js/loader.js needs both`);
  }
}

await Promise.all([
  build({ ...common, ...browser, format: 'esm', plugins: [lazyThreadsGlue], outfile: path.join(dist, 'tfjs-backend-cwasm.esm.js') }),
  build({
    ...common, ...browser, format: 'iife', globalName: 'cwasm',
    external: common.external.filter((e) => e !== '@tensorflow/tfjs-core'),
    plugins: [globalTf, lazyThreadsGlue], outfile: path.join(dist, 'tfjs-backend-cwasm.umd.js'),
  }),
  // Minified browser files: what a page or a CDN ships (bench/size.mjs).
  build({ ...common, ...browser, format: 'esm', minify: true, plugins: [lazyThreadsGlue], outfile: path.join(dist, 'tfjs-backend-cwasm.esm.min.js') }),
  build({
    ...common, ...browser, format: 'iife', globalName: 'cwasm', minify: true,
    external: common.external.filter((e) => e !== '@tensorflow/tfjs-core'),
    plugins: [globalTf, lazyThreadsGlue], outfile: path.join(dist, 'tfjs-backend-cwasm.umd.min.js'),
  }),
  build({ ...common, format: 'cjs', platform: 'node', outfile: path.join(dist, 'tfjs-backend-cwasm.node.cjs') }),
  build({
    ...common, format: 'esm', platform: 'node', supported: { 'import-meta': true }, banner: { js: nodeBanner },
    outfile: path.join(dist, 'tfjs-backend-cwasm.node.mjs'),
  }),
  // The standalone runtime (js/runtime.js): no tfjs-core at all.
  ...[
    { format: 'esm', ...browser, plugins: [lazyThreadsGlue], outfile: 'cwasm-runtime.esm.js' },
    { format: 'esm', ...browser, plugins: [lazyThreadsGlue], minify: true, outfile: 'cwasm-runtime.esm.min.js' },
    { format: 'esm', platform: 'node', supported: { 'import-meta': true }, banner: { js: nodeBanner }, outfile: 'cwasm-runtime.node.mjs' },
  ].map((o) => build({
    ...common, ...o, entryPoints: [path.join(root, 'js/runtime.js')], outfile: path.join(dist, o.outfile),
  })),
]);

for (const f of fs.readdirSync(wasmDist)) {
  if (/^cwasm(-runtime)?-(scalar|simd|threads)\.wasm$|^cwasm(-runtime)?-threads(\.worker)?\.js$/.test(f)) {
    fs.copyFileSync(path.join(wasmDist, f), path.join(dist, f));
  }
}
// The threaded glue as an ES module for the browser bundles' import(); the
// .js stays for the pool's workers (importScripts).
for (const program of ['cwasm', 'cwasm-runtime']) {
  const glue = fs.readFileSync(path.join(wasmDist, `${program}-threads.js`), 'utf8');
  fs.writeFileSync(path.join(dist, `${program}-threads.mjs`), `${glue}\nexport default CwasmModule;\n`);
}
// The Emscripten glue and worker are classic scripts / CommonJS.
fs.writeFileSync(path.join(dist, 'package.json'), '{ "type": "commonjs" }\n');
console.log('bundle: dist/ written');
