// Per-step training time on 'cwasm' against tfjs-backend-cpu 4.22, side by
// side in one headless Chromium session (test/browser/harness.mjs):
//
//   bash scripts/build.sh     # dist/ must be current
//   node bench/train.mjs [--threads N] [--only TEXT] [--out NAME]
//
// Workloads (bench/train_page.mjs): model.trainOnBatch of the book's MNIST
// convnet (batch 64, rmsprop), speech convnet (batch 32, sgd 0.01) and
// truncated-MobileNet detector (batch 8, rmsprop, the book's scaled MSE
// loss, every layer trainable), same initial weights and batch on both
// backends. cwasm runs its 'simd' variant, or 'threads' with --threads N.
// Per workload and backend: one untimed step, then the median of the timed
// steps (tfjs-backend-cpu takes seconds to tens of seconds per step, so it
// gets fewer). Writes bench/results/NAME.json and NAME.md (NAME = 'train').
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startHarness } from '../test/browser/harness.mjs';
import { BENCH_DIR as here, bundlePage, checkDist, cliOptions, fmtMs as fmt } from './common.mjs';

const { opt } = cliOptions();
const OUT = opt('--out', 'train');
const ONLY = opt('--only', '');
const THREADS = Number(opt('--threads', '1'));

async function main() {
  checkDist(['tfjs-backend-cwasm.esm.js']);
  await bundlePage('train_page');
  const h = await startHarness();
  const results = [];
  let setup;
  try {
    const p = await h.open('/bench/train_page.html');
    p.page.setDefaultTimeout(30 * 60 * 1000);
    setup = await p.page.evaluate((t) => window.cwPage.setup({ threads: t }), THREADS);
    process.stdout.write(`cwasm ${JSON.stringify(setup.cwasm)}\n`);
    const names = Object.keys(await p.page.evaluate(() => window.cwPage.workloads())).filter((n) => n.includes(ONLY));
    for (const name of names) {
      const t0 = Date.now();
      const r = await p.page.evaluate((n) => window.cwPage.run(n), name);
      results.push(r);
      const c = r.backends.cwasm, q = r.backends.cpu;
      process.stdout.write(`${name}: cwasm ${fmt(c.medianMs)} ms, cpu ${fmt(q.medianMs)} ms` +
          `${r.speedup ? `, ${r.speedup.toFixed(1)}x` : ''}${c.error ? ` [cwasm: ${c.error}]` : ''}${q.error ? ` [cpu: ${q.error}]` : ''}` +
          ` (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    await p.close();
  } finally {
    await h.close();
  }
  const lines = [
    `## Training step: cwasm vs tfjs-backend-cpu ${setup.versions.tfjsCore} (Chromium, ${new Date().toISOString()})`, '',
    `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model?.trim()}, load average before the run ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}. ` +
      `cwasm variant '${setup.cwasm.variant}', ${setup.cwasm.threads} thread(s).`, '',
    'Median ms per `trainOnBatch` step (after one untimed step), same initial weights and batch on both backends. ' +
      '"first-step loss diff": relative difference of the two backends\' losses on the untimed step.', '',
    '| workload | cwasm ms | tfjs-backend-cpu ms | cpu / cwasm | steps cwasm / cpu | first-step loss diff |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const c = r.backends.cwasm, q = r.backends.cpu;
    lines.push(`| ${r.workload} | ${fmt(c.medianMs)} | ${fmt(q.medianMs)} | ${r.speedup ? `${r.speedup.toFixed(1)}x` : 'n/a'} | ` +
        `${c.times.length} / ${q.times.length} | ${r.firstLossRelativeDiff != null ? r.firstLossRelativeDiff.toExponential(1) : ''} |`);
    for (const [b, e] of Object.entries(r.backends)) if (e.error) lines.push(`- ${r.workload}: ${b} failed: ${e.error}`);
  }
  const md = lines.join('\n');
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results', `${OUT}.json`), JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, loadavg: os.loadavg(), setup, results }, null, 2) + '\n');
  fs.writeFileSync(path.join(here, 'results', `${OUT}.md`), md + '\n');
  process.stdout.write(`\n${md}\nwrote bench/results/${OUT}.json and bench/results/${OUT}.md\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
