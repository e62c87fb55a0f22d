// What the build scripts share when they bundle tfjs-core, cwasm and an
// app for a browser-like target (example pages, the Chrome extension, the
// WeChat package, test Workers) and copy files into a package.
import fs from 'node:fs';
import path from 'node:path';

import * as esbuild from 'esbuild';

/** Node modules that tfjs-core's and Emscripten's Node-only branches import. */
export const NODE_BUILTINS = ['worker_threads', 'fs', 'path', 'crypto', 'perf_hooks', 'os', 'url', 'util', 'module'];

/**
 * esbuild.build for a browser: bundled, ES2020, the Node built-ins left
 * external (never reached there), warnings only; `options` adds the entry,
 * output, format and anything else.
 */
export function bundleForBrowser(options) {
  return esbuild.build({
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    external: NODE_BUILTINS,
    logLevel: 'warning',
    // cwasm's loader reads import.meta.url only as a default wasm path;
    // every bundle sets its paths explicitly.
    logOverride: { 'empty-import-meta': 'silent' },
    ...options,
  });
}

/** Copies from to to (creating its folder); `who` names the script in the error for a missing file. */
export function copyInto(from, to, who) {
  if (!fs.existsSync(from)) throw new Error(`${who}: ${from} is missing (run scripts/setup.sh and scripts/build.sh)`);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
