// The one-command side-by-side benchmark (issue 7): in one headless
// Chromium session, served cross-origin isolated (test/browser/harness.mjs),
// cwasm against tfjs-backend-wasm 4.22 and tfjs-backend-cpu 4.22:
//
//   bash scripts/build.sh     # dist/ must be current
//   node bench/suite.mjs [--quick] [--only TEXT] [--out NAME]
//
// Configurations, one page (browser context) each, since a backend's variant
// and thread count are fixed once it starts: cwasm 'simd' (1 thread), cwasm
// 'threads' (2 threads), cwasm 'relaxed' (1 thread; only if
// dist/cwasm-relaxed.wasm exists), tfjs-backend-wasm SIMD (its non-threaded
// build) and threaded SIMD (2 threads), tfjs-backend-cpu (training rows and
// GEMM 256 only: it takes minutes for the detectors).
//
// Rows (bench/workloads.mjs, bench/peak_probe.mjs): the SIMD128 peak probe
// (at the start and again at the end), tf.matMul 256^3 and 1024^3 (the same
// B every call), predict of the MNIST convnet b1 and b100, speech convnet b1
// and the truncated-MobileNet detector b1, execute of centernet and nanodet,
// trainOnBatch of MNIST b64, speech b32 and the detector b8.
//
// Method, per row: every page prepares the job and warms it up (at least 3
// runs and 1 s; training: the first step, and one more on the wasm
// backends), then the timed runs go in rounds over the pages, A B C .. then
// .. C B A (6 rounds, 2 for training), each page's chunk after one untimed
// run (not for training steps), so a drifting machine load hits every
// configuration alike; the pages
// never run at the same time. Reported: the median per configuration; the
// ratio of cwasm's best configuration to tfjs-backend-wasm's best
// (inference), of cwasm to tfjs-backend-cpu (training), GFLOPS and % of the
// probe's peak (GEMM); outputs are checked across configurations.
// --quick: fewer runs, shorter warm-up, tfjs-backend-cpu trains only MNIST,
// tfjs-backend-wasm does not train (it has no Conv2DBackpropFilter anyway).
// --only TEXT keeps rows whose name contains TEXT (the peak probe stays when
// a GEMM row is kept). Writes bench/results/NAME.json, NAME.md, NAME.png
// (NAME = 'suite', or 'suite-quick' with --quick).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startHarness } from '../test/browser/harness.mjs';
import { barChartSvg } from './chart.mjs';
import {
  RESULTS_DIR, ROOT, bundlePage, checkDist, cliOptions, fmtMs, log, machineInfo, prepareDetectorInputs,
} from './common.mjs';
import { chartSpec, checkOutputs, markdownReport, summarize } from './suite_report.mjs';

const { opt, flag } = cliOptions();
const QUICK = flag('--quick');
const ONLY = opt('--only', '').toLowerCase();
const OUT = opt('--out', QUICK ? 'suite-quick' : 'suite');
const THREADS = 2;

/** The configurations; `family` groups them for the ratios. */
function configurations() {
  const list = [
    { id: 'cwasm-simd', label: 'cwasm simd 1T', family: 'cwasm', backend: 'cwasm', variant: 'simd', threads: 1, color: '#1f6fd1' },
    { id: 'cwasm-threads', label: `cwasm threads ${THREADS}T`, family: 'cwasm', backend: 'cwasm', variant: 'threads', threads: THREADS, color: '#0b3d91' },
  ];
  const relaxed = fs.existsSync(path.join(ROOT, 'dist', 'cwasm-relaxed.wasm'));
  if (relaxed) {
    list.push({ id: 'cwasm-relaxed', label: 'cwasm relaxed 1T', family: 'cwasm', backend: 'cwasm', variant: 'relaxed', threads: 1, color: '#52a8ff' });
  }
  list.push(
    { id: 'wasm-simd', label: 'tfjs-wasm SIMD 1T', family: 'wasm', backend: 'wasm', threads: 1, color: '#f29d38' },
    { id: 'wasm-threads', label: `tfjs-wasm SIMD ${THREADS}T`, family: 'wasm', backend: 'wasm', threads: THREADS, color: '#b35806' },
    { id: 'cpu', label: 'tfjs-cpu', family: 'cpu', backend: 'cpu', threads: 1, color: '#8c8c8c' },
    // cwasm's standalone runtime (no tfjs-core): graph-models, and the Layers
    // models as model.save writes them.
    { id: 'runtime-threads', label: `cwasm runtime ${THREADS}T`, family: 'runtime', backend: 'runtime', variant: 'threads', threads: THREADS, color: '#2ca02c' },
  );
  return { list, relaxed };
}

/**
 * The rows: {id, kind, name, label, runs(config) -> number | null (null =
 * skipped), skipReason(config)}.
 */
function rows(workloads) {
  // The full run takes about 8-10 minutes here; --quick about 2.
  const n = (runs, full = runs) => Math.max(3, Math.round(QUICK ? runs * 0.2 : full));
  const notCpu = (runs) => (c) => (c.family === 'cpu' || c.family === 'runtime' ? null : runs);
  const onRuntime = new Set(workloads.runtime || []);
  const list = [];
  const peak = (id, label) => ({ id, kind: 'peak', name: 'peak', label, unit: 'GFLOPS', runs: () => (QUICK ? 20 : 40) });
  list.push(peak('peak', 'SIMD128 peak probe (1 thread)'));
  list.push({ id: 'gemm-256', kind: 'gemm', name: '256', label: 'tf.matMul 256x256x256', runs: (c) => (c.family === 'runtime' ? null : c.family === 'cpu' ? n(8) : n(30)) });
  list.push({ id: 'gemm-1024', kind: 'gemm', name: '1024', label: 'tf.matMul 1024x1024x1024', runs: notCpu(n(10, 16)) });
  for (const [name, runs] of Object.entries(workloads.infer)) {
    // More runs than bench/run.mjs where they are cheap: the machine is shared.
    const count = n(runs, Math.max(24, runs * 2));
    list.push({
      id: `infer:${name}`, kind: 'infer', name, label: `predict: ${name}`,
      runs: (c) => (c.family === 'runtime' ? (onRuntime.has(name) ? count : null) : notCpu(count)(c)),
    });
  }
  for (const [name, runs] of Object.entries(workloads.train)) {
    list.push({
      id: `train:${name}`, kind: 'train', name, label: `train step: ${name}`,
      runs: (c) => {
        if (c.family === 'runtime') return null;
        if (c.family === 'cwasm') return QUICK ? 3 : runs.fast;
        // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter: it fails at
        // the first step (reported as such); --quick does not try.
        if (c.family === 'wasm') return QUICK ? null : 3;
        if (QUICK) return name.startsWith('mnist') ? 1 : null;
        return name.startsWith('mnist') ? 5 : name.startsWith('speech') ? 3 : 2;
      },
    });
  }
  list.push(peak('peak-end', 'SIMD128 peak probe (1 thread), again at the end'));
  const kept = list.filter((r) => !ONLY || r.label.toLowerCase().includes(ONLY) ||
    (r.kind === 'peak' && list.some((g) => g.kind === 'gemm' && g.label.toLowerCase().includes(ONLY))));
  return kept;
}

/** Why a configuration has no number in a row it skips. */
function skipReason(row, c) {
  if (c.family === 'wasm' && row.kind === 'train') return 'skipped in --quick (tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter)';
  if (c.family !== 'cpu') return 'skipped';
  if (row.kind === 'train' && QUICK) return 'skipped in --quick (a step takes 20-40 s)';
  return 'skipped: tfjs-backend-cpu is far too slow here';
}

/** Evaluates fn(arg) in the page, failing after timeoutMs. */
async function evaluate(p, fn, arg, timeoutMs = 15 * 60 * 1000) {
  let timer;
  try {
    return await Promise.race([
      p.page.evaluate(fn, arg),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An evaluate() failure's first line, without playwright's prefix. */
const firstLine = (e) => String(e && e.message || e).replace(/^page\.evaluate: /, '').split('\n')[0];

async function openPages(h, configs) {
  const pages = [];
  for (const c of configs) {
    const p = await h.open('/bench/suite_page.html');
    let info;
    try {
      info = await evaluate(p, (cfg) => window.cwPage.setup(cfg), { backend: c.backend, variant: c.variant ?? null, threads: c.threads }, 120000);
    } catch (e) {
      info = { started: false, error: firstLine(e) };
    }
    info.wasmFiles = p.requests().filter((r) => r.endsWith('.wasm'));
    info.workers = p.workers.length;
    const what = c.backend === 'cwasm' ? JSON.stringify(info.cwasm) : c.backend === 'wasm' ? JSON.stringify(info.wasm) : '';
    log(`${c.label}: ${info.started ? `started in ${info.startMs} ms ${what}` : `did not start: ${info.error || p.warnings.join(' | ')}`}` +
      ` (wasm fetched: ${info.wasmFiles.map((f) => path.basename(f)).join(', ') || 'none'})`);
    if (!info.started) info.warnings = p.warnings.slice(0, 5);
    // Name a cwasm column by what really runs (a variant may pick its own thread count).
    if (info.started && info.cwasm) c.label = `cwasm ${info.cwasm.variant} ${info.cwasm.threads}T`;
    pages.push({ config: c, p, info, started: info.started === true });
  }
  return pages;
}

/** One row on every page it applies to: prepare + warm-up, interleaved rounds, close. */
async function runRow(row, pages) {
  const t0 = Date.now();
  const loadavgBefore = os.loadavg();
  const res = {};
  const live = [];
  for (const pg of pages) {
    const c = pg.config;
    const runs = row.runs(c);
    if (runs == null) { res[c.id] = { skipped: skipReason(row, c) }; continue; }
    if (!pg.started) { res[c.id] = { error: 'backend did not start' }; continue; }
    // Training: the first step (it creates the optimizer's slots) and, on
    // the wasm backends, one more untimed step (2 s or more of stepping);
    // a step is long enough to need no untimed run before each chunk.
    const train = row.kind === 'train';
    const options = train ? { warmupRuns: c.family === 'cpu' ? 1 : 2 } : { warmupMs: QUICK ? 300 : 1000 };
    const errorsBefore = pg.p.errors.length;
    try {
      const prep = await evaluate(pg.p, ([k, n, o]) => window.cwPage.open(k, n, o), [row.kind, row.name, options]);
      res[c.id] = { runs, ...prep, times: [], gflops: [], untimed: train ? 0 : 1 };
      live.push(pg);
    } catch (e) {
      res[c.id] = { error: firstLine(e) };
      const missing = /Kernel '([^']+)' not registered/.exec(res[c.id].error);
      if (missing) res[c.id].missingKernel = missing[1];
      await evaluate(pg.p, () => window.cwPage.close(), null).catch(() => {});
    }
    const errs = pg.p.errors.slice(errorsBefore);
    if (errs.length) res[c.id].pageErrors = [...new Set(errs)].slice(0, 3);
  }
  // More rounds spread a burst of load from the rest of the machine over
  // every configuration; each round costs one untimed run per page.
  const rounds = Math.min(QUICK || row.kind === 'train' ? 2 : 6, Math.max(1, ...live.map((pg) => res[pg.config.id].runs)));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...live].reverse() : live;
    for (const pg of order) {
      const e = res[pg.config.id];
      if (e.error) continue;
      const k = Math.floor(((r + 1) * e.runs) / rounds) - Math.floor((r * e.runs) / rounds);
      if (k === 0) continue;
      try {
        const out = await evaluate(pg.p, ([n, u]) => window.cwPage.time(n, { untimed: u }), [k, e.untimed]);
        e.times.push(...out.times);
        if (out.gflops) e.gflops.push(...out.gflops);
      } catch (err) {
        e.error = firstLine(err);
      }
    }
  }
  for (const pg of live) {
    const closed = await evaluate(pg.p, () => window.cwPage.close(), null, 60000).catch(() => null);
    if (closed) res[pg.config.id].leakedTensors = closed.leakedTensors;
  }
  const seconds = (Date.now() - t0) / 1000;
  const cells = pages.map((pg) => {
    const e = res[pg.config.id];
    if (e.skipped) return null;
    if (e.error) return `${pg.config.label} failed`;
    const s = summarize(e);
    return `${pg.config.label} ${row.kind === 'peak' ? `${s.gflops.toFixed(1)} GFLOPS (best ${s.maxGflops.toFixed(1)})` : `${fmtMs(s.medianMs)} ms`}`;
  }).filter(Boolean);
  log(`${row.label}: ${cells.join(', ')} (${seconds.toFixed(0)} s)`);
  const result = { id: row.id, kind: row.kind, name: row.name, label: row.label, seconds, loadavgBefore, configs: res };
  checkOutputs(result, pages.map((pg) => pg.config.id));
  return result;
}

async function renderPng(h, svg, file) {
  const context = await h.browser.newContext({ deviceScaleFactor: 1.5 });
  try {
    const page = await context.newPage();
    await page.setContent(`<!doctype html><html><body style="margin:0;background:white">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: file });
  } finally {
    await context.close();
  }
}

async function main() {
  const started = Date.now();
  const { list: configs, relaxed } = configurations();
  // dist/ may be mid-rebuild (scripts/build.sh rewrites it): retry a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      checkDist();
      await bundlePage('suite_page');
      break;
    } catch (e) {
      if (attempt === 5) throw e;
      log(`dist/ not usable yet (${firstLine(e)}); retrying in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 30000));
    }
  }
  prepareDetectorInputs();
  const machineBefore = machineInfo();
  log(`cwasm side-by-side suite${QUICK ? ' (--quick)' : ''}: ${configs.map((c) => c.label).join(', ')}` +
    `${relaxed ? '' : ' (no dist/cwasm-relaxed.wasm: the relaxed row is skipped)'}; load average ${machineBefore.loadavg.map((v) => v.toFixed(1)).join(' ')}`);
  const h = await startHarness();
  const results = [];
  let pages = [];
  let sweep = null;
  let fusedPeak = null;
  try {
    pages = await openPages(h, configs);
    const driver = pages.find((pg) => pg.started) || pages[0];
    const workloads = await evaluate(driver.p, () => window.cwPage.workloads(), null);
    // The probe with 4 to 20 accumulators: where the chains stop being latency-bound.
    if (!ONLY || ONLY.includes('peak') || ONLY.includes('matmul')) {
      const probes = await evaluate(driver.p, (l) => window.cwPage.probeSweep(l, 40), [4, 8, 10, 12, 16, 20]);
      sweep = probes.sweep;
      fusedPeak = probes.fused;
      log(`peak probe by accumulator count: ${sweep.map((s) => `${s.accumulators}: ${s.gflops.toFixed(1)} (best ${s.maxGflops.toFixed(1)})`).join(', ')}; ` +
        `relaxed_madd: ${fusedPeak.error || `${fusedPeak.gflops.toFixed(1)} (best ${fusedPeak.maxGflops.toFixed(1)})`}`);
    }
    for (const row of rows(workloads)) results.push(await runRow(row, pages));
    for (const pg of pages) pg.info.pageErrors = [...new Set(pg.p.errors)].slice(0, 10);
    const machineAfter = machineInfo();
    const doc = {
      date: new Date().toISOString(),
      quick: QUICK,
      only: ONLY || null,
      seconds: Math.round((Date.now() - started) / 1000),
      machine: { ...machineBefore, loadavgAfter: machineAfter.loadavg },
      userAgent: pages.find((pg) => pg.info.userAgent)?.info.userAgent,
      versions: pages.find((pg) => pg.info.versions)?.info.versions,
      relaxedBuilt: relaxed,
      configurations: pages.map((pg) => ({ ...pg.config, started: pg.started, info: pg.info })),
      peakSweep: sweep,
      fusedPeak,
      method: 'per row: every page prepares and warms up (>= 3 runs and >= 1 s; 0.3 s with --quick; ' +
        "training: the first step, one more on the wasm backends), then timed runs in up to 6 rounds over the pages " +
        '(2 for training and with --quick; forward, backward, ...), each chunk after one untimed run (none for training); ' +
        'a run is timed until every output has been read (data()) or the training loss is known; the median per configuration',
      rows: results,
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, `${OUT}.json`), JSON.stringify(doc, null, 1) + '\n');
    const md = markdownReport(doc);
    fs.writeFileSync(path.join(RESULTS_DIR, `${OUT}.md`), md + '\n');
    await renderPng(h, barChartSvg(chartSpec(doc)), path.join(RESULTS_DIR, `${OUT}.png`));
    log(`\n${md}`);
    log(`wrote bench/results/${OUT}.json, ${OUT}.md and ${OUT}.png in ${doc.seconds} s`);
  } finally {
    for (const pg of pages) await pg.p.close().catch(() => {});
    await h.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
