// The main job: runs the three example pages (MNIST, spoken commands, object
// detection) headless in Debian's Chromium, served cross-origin isolated by
// our static server, each training on 'cwasm' in a Web Worker; prints what
// they achieved and writes an HTML report with screenshots and charts.
//
//   node scripts/run-examples.mjs [--config full|test] [--only name,...] [--out dir] [--query k=v&...]
// --query adds page parameters, e.g. threads=1, worker=0, backend=tfjs-backend-wasm.
//
// runExample() is shared with the browser test (test/browser/examples.test.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleExamples, EXAMPLES } from './bundle-examples.mjs';
import { startHarness } from '../test/browser/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Opens one example with ?config=...&autorun=1 (plus `query`), waits for it
 * to finish, frees its tensors and saves a screenshot.
 * @param {object} h  a harness from startHarness()
 * @param {string} name  the example folder
 * @param {{config: string, query?: string, timeoutMs: number, screenshot?: string,
 *   after?: (p: object) => Promise<object>, init?: Function}} options  after(p)
 *   runs extra checks on the finished page, its result returned as `extra`;
 *   init runs in the page before its scripts
 * @returns {Promise<{name, state, error, info, metrics, targets, missed: string[],
 *   trainMs, inferMs, leaked, isolated, errors: string[], notes: string[], extra, wallMs}>}
 */
export async function runExample(h, name, { config, query = '', timeoutMs, screenshot, after, init }) {
  const t0 = Date.now();
  const url = `/examples/${name}/index.html?config=${config}&autorun=1${query ? '&' + query : ''}`;
  const p = await h.open(url, () => window.cwExample != null, init);
  p.page.setDefaultTimeout(timeoutMs);
  try {
    await p.page.waitForFunction(() => ['done', 'error'].includes(window.cwExample.state), null, { timeout: timeoutMs });
    const s = await p.page.evaluate(() => {
      const e = window.cwExample;
      return { state: e.state, error: e.error, info: e.info, result: e.result && { metrics: e.result.metrics, targets: e.result.targets, trainMs: e.result.trainMs, inferMs: e.result.inferMs }, notes: e.notes, isolated: globalThis.crossOriginIsolated };
    });
    const extra = after && s.state === 'done' ? await after(p) : null;
    if (screenshot) await p.page.screenshot({ path: screenshot, fullPage: true });
    const leaked = s.state === 'done' ? await p.page.evaluate(() => window.cwExample.dispose()) : null;
    const r = s.result || { metrics: {}, targets: {} };
    const missed = Object.entries(r.targets).filter(([k, t]) => {
      const v = r.metrics[k];
      return !(v != null && (t.min == null || v >= t.min) && (t.max == null || v <= t.max));
    }).map(([k]) => k);
    return {
      name, state: s.state, error: s.error, info: s.info, metrics: r.metrics, targets: r.targets, missed,
      trainMs: r.trainMs, inferMs: r.inferMs, leaked, isolated: s.isolated, errors: p.errors.slice(),
      notes: s.notes, extra, wallMs: Date.now() - t0,
    };
  } finally {
    await p.close();
  }
}

const fmt = (v) => (typeof v !== 'number' ? String(v) : Number.isInteger(v) ? String(v) : v.toFixed(4));

/** The printed table: one row per metric. */
function table(results) {
  const rows = [['example', 'metric', 'value', 'target', 'training', 'inference b1', 'variant', 'threads']];
  for (const r of results) {
    const first = { training: r.trainMs != null ? `${(r.trainMs / 1000).toFixed(1)} s` : '-', infer: r.inferMs != null ? `${r.inferMs.toFixed(2)} ms` : '-' };
    const entries = Object.entries(r.metrics);
    if (!entries.length) entries.push(['(failed)', r.error || r.state]);
    entries.forEach(([k, v], i) => {
      const t = r.targets[k];
      const target = t ? `${t.min != null ? '>= ' + t.min : ''}${t.max != null ? ' <= ' + t.max : ''}${r.missed.includes(k) ? ' MISSED' : ' met'}` : '';
      rows.push(i === 0
        ? [r.name, k, fmt(v), target, first.training, first.infer, r.info?.variant ?? '-', String(r.info?.threads ?? '-')]
        : ['', k, fmt(v), target, '', '', '', '']);
    });
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/** The HTML report: the table and each page's screenshot. */
function writeReport(dir, results, config) {
  const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  const sections = results.map((r) => `<h2>${esc(r.name)}</h2>
<p>${r.state === 'done' ? '' : `<b>${esc(r.state)}: ${esc(r.error || '')}</b><br>`}variant ${esc(r.info?.variant ?? '-')}, ${esc(r.info?.threads ?? '-')} thread(s), training ${r.trainMs != null ? (r.trainMs / 1000).toFixed(1) + ' s' : '-'}, tensors left after dispose: ${esc(r.leaked)}</p>
<img src="${esc(r.name)}.png" alt="${esc(r.name)} page" style="max-width:100%;border:1px solid #ccc">`).join('\n');
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>cwasm examples (${esc(config)})</title>
<style>body{font:15px system-ui;margin:2em auto;max-width:1000px}pre{background:#f4f4f4;padding:1em;overflow:auto}</style>
<h1>cwasm examples, configuration '${esc(config)}'</h1>
<p>${esc(new Date().toISOString())}, headless Chromium</p>
<pre>${esc(table(results))}</pre>
${sections}
`);
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results, null, 2));
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const config = arg('--config', 'full');
  const names = arg('--only', EXAMPLES.join(',')).split(',');
  const query = arg('--query', '');
  const out = path.resolve(root, arg('--out', 'build/report'));
  fs.mkdirSync(out, { recursive: true });
  await bundleExamples();
  const h = await startHarness();
  const results = [];
  try {
    for (const name of names) {
      console.log(`== ${name} (${config})`);
      const r = await runExample(h, name, { config, query, timeoutMs: 10 * 60 * 1000, screenshot: path.join(out, `${name}.png`) });
      console.log(`   ${r.state} in ${(r.wallMs / 1000).toFixed(1)} s` + (r.error ? `: ${r.error}` : '') +
          (r.errors.length ? `\n   page errors:\n     ${r.errors.join('\n     ')}` : ''));
      results.push(r);
    }
  } finally {
    await h.close();
  }
  console.log('\n' + table(results));
  writeReport(out, results, config);
  console.log(`\nreport: ${path.relative(root, path.join(out, 'index.html'))}`);
  const failed = results.filter((r) => r.state !== 'done' || r.missed.length || r.errors.length);
  process.exit(failed.length ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
