// Bundles each example's page and Worker with esbuild (one tfjs-core per
// bundle): examples/<name>/{page,worker}.mjs -> build/examples/<name>/{page,worker}.js,
// loaded by examples/<name>/index.html. Called by scripts/build.sh.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleForBrowser } from './bundling.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The examples the main job and the browser test run, in order. */
export const EXAMPLES = ['mnist', 'speech-commands', 'object-detection'];

/** Bundles every example that has a page.mjs / worker.mjs. */
export async function bundleExamples() {
  const entries = [];
  for (const name of EXAMPLES) {
    for (const part of ['page', 'worker']) {
      const src = path.join(root, 'examples', name, `${part}.mjs`);
      if (fs.existsSync(src)) entries.push({ in: src, out: `${name}/${part}` });
    }
  }
  await bundleForBrowser({
    entryPoints: entries,
    outdir: path.join(root, 'build/examples'),
    format: 'iife',
    minify: true,
    sourcemap: 'linked',
  });
  console.log(`bundle-examples: ${entries.map((e) => e.out).join(', ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleExamples();
