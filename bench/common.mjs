// Node-side pieces shared by the benchmark runners (bench/run.mjs,
// bench/train.mjs, bench/suite.mjs): options, bundling a page with esbuild,
// the detector inputs, number formatting and what machine this ran on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

import { CENTERNET, NANODET } from '../test/js/models/detect.mjs';
import { loadPhoto } from '../test/js/models/photos.mjs';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');
export const BUILD_DIR = path.join(BENCH_DIR, '.build');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

/** The photo each detector is timed on (data/photos/NAME.png). */
export const PHOTOS = { centernet: 'astronaut', nanodet: 'chelsea' };

/** `--name value` options and `--flag` switches of process.argv. */
export function cliOptions(argv = process.argv.slice(2)) {
  return {
    opt: (name, dflt) => {
      const i = argv.indexOf(name);
      return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
    },
    flag: (name) => argv.includes(name),
  };
}

export const log = (msg) => process.stdout.write(`${msg}\n`);

/** Milliseconds for a table: 2 decimals under 10, 1 under 1000, none above. */
export const fmtMs = (ms) => (ms == null || Number.isNaN(ms) ? 'n/a'
  : ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0));

/** Fails early when dist/ lacks a file the pages load. */
export function checkDist(files = ['tfjs-backend-cwasm.esm.js', 'cwasm-simd.wasm', 'cwasm-threads.wasm']) {
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, 'dist', f))) throw new Error(`dist/${f} is missing: run bash scripts/build.sh`);
  }
}

/** Bundles bench/NAME.mjs into bench/.build/NAME.js (an IIFE for a plain <script>). */
export async function bundlePage(name) {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(BENCH_DIR, `${name}.mjs`)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile: path.join(BUILD_DIR, `${name}.js`),
    logLevel: 'warning',
  });
}

/**
 * The detectors' inputs, preprocessed here in Node (test/js/models/detect.mjs)
 * and written as raw float32 to bench/.build/{centernet,nanodet}-input.bin
 * for the pages; fetches the photos first if data/photos is missing.
 */
export function prepareDetectorInputs() {
  if (!fs.existsSync(path.join(ROOT, 'data/photos', `${PHOTOS.centernet}.png`))) {
    log('data/photos is missing: running scripts/fetch-photos.sh');
    const r = spawnSync('bash', ['scripts/fetch-photos.sh'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/fetch-photos.sh failed');
  }
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  for (const det of [CENTERNET, NANODET]) {
    const { values } = det.input(loadPhoto(PHOTOS[det.name]));
    fs.writeFileSync(path.join(BUILD_DIR, `${det.name}-input.bin`), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  }
}

/** What ran the benchmark: cores, CPU model, clock, SIMD flags, load. */
export function machineInfo() {
  const cpus = os.cpus();
  const info = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim(),
    cpuMHz: cpus[0]?.speed,
    loadavg: os.loadavg(),
    totalMemGB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
  try {
    const text = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const field = (k) => new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1];
    info.cpuFamily = field('cpu family');
    info.cpuModelNumber = field('model');
    const flags = (field('flags') || '').split(' ');
    info.simdFlags = ['sse4_1', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f));
    info.hypervisor = flags.includes('hypervisor');
  } catch {
    // not Linux: os.cpus() is what there is
  }
  return info;
}

/** One line for a results file: "2 x AMD EPYC (2096 MHz), load average 1.2 0.8 1.1". */
export function machineLine(m = machineInfo()) {
  return `${m.cpus} x ${m.cpuModel}${m.cpuMHz ? ` (${m.cpuMHz} MHz nominal)` : ''}, ` +
    `load average ${m.loadavg.map((v) => v.toFixed(1)).join(' ')}`;
}
