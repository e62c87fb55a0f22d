// The three example pages in their short 'test' configuration, headless in
// Debian's Chromium, cross-origin isolated: each must reach the targets its
// configuration states, run cwasm's threaded SIMD variant in a Web Worker,
// log no console error, leave no tensor behind after dispose() and save a
// screenshot (test/browser/out/, git-ignored). Then the fallbacks, said on
// the page: not cross-origin isolated -> the single-threaded SIMD variant;
// no SIMD128 -> the scalar variant.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { bundleExamples, EXAMPLES } from '../../scripts/bundle-examples.mjs';
import { runExample } from '../../scripts/run-examples.mjs';
import { startHarness } from './harness.mjs';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const PRESENT = EXAMPLES.filter((n) => fs.existsSync(path.join(OUT, '../../../examples', n, 'page.mjs')));

/** Extra checks per example on the finished page. */
const AFTER = {
  // Headless Chromium has no microphone: listen() must say so and point to
  // the recorded clips; then a recorded held-out clip is recognised.
  'speech-commands': async (p) => p.page.evaluate(async () => ({
    listen: await window.cwExample.listen(),
    clips: await Promise.all([0, 1, 2, 3, 4, 5].map(() => window.cwExample.playTestClip())),
  })),
  // (b): CenterNet on the four photos, then a file that is not an image.
  'object-detection': async (p) => {
    await p.page.waitForFunction(() => window.cwExample.coco != null, null, { timeout: 120000 });
    const coco = await p.page.evaluate(() => window.cwExample.coco);
    const notImage = await p.page.evaluate(async () => ({
      labels: await window.cwExample.detectFile(new File(['not pixels'], 'notes.txt', { type: 'text/plain' })),
      notes: window.cwExample.notes,
    }));
    return { coco, notImage };
  },
};

/** What each example's extra checks must find. */
const CHECK_EXTRA = {
  'speech-commands': (extra) => {
    assert.equal(extra.listen.ok, false, JSON.stringify(extra.listen));
    assert.match(extra.listen.message, /No live recognition: .*play a held-out test clip/);
    for (const c of extra.clips) {
      assert.equal(c.ok, true, JSON.stringify(c));
      assert.ok(c.label >= 0 && c.label < 20 && c.predicted >= 0 && c.predicted < 20, JSON.stringify(c));
    }
  },
  'object-detection': (extra) => {
    const top = Object.fromEntries(extra.coco.map((c) => [c.photo, c.top]));
    assert.deepEqual(top, { astronaut: 'person', chelsea: 'cat', coffee: 'cup', motorcycle_left: 'motorcycle' },
        `centernet's best detection per photo: ${JSON.stringify(extra.coco)}`);
    assert.equal(extra.notImage.labels, null);
    assert.match(extra.notImage.notes.join(' '), /"notes.txt" is not an image/);
  },
};

describe('example pages (test configuration)', () => {
  let h;
  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    await bundleExamples();
    h = await startHarness();
  });
  after(async () => { await h?.close(); });

  for (const name of PRESENT) {
    test(name, async () => {
      const r = await runExample(h, name, {
        config: 'test', timeoutMs: 5 * 60 * 1000, screenshot: path.join(OUT, `${name}.png`), after: AFTER[name],
      });
      const what = `${name}: ${JSON.stringify({ state: r.state, error: r.error, metrics: r.metrics, notes: r.notes })}`;
      assert.equal(r.state, 'done', what);
      assert.deepEqual(r.errors, [], `${name}: errors on the page`);
      assert.equal(r.isolated, true, `${name}: crossOriginIsolated`);
      assert.equal(r.info.backend, 'cwasm', what);
      assert.equal(r.info.variant, 'threads', what);
      assert.equal(r.info.worker, true, what);
      assert.ok(r.info.threads >= 2, `${name}: ${r.info.threads} thread(s)`);
      assert.ok(Object.keys(r.targets).length > 0, `${name}: states no targets`);
      assert.deepEqual(r.missed, [], `${name}: targets missed: ${what}`);
      assert.equal(r.leaked, 0, `${name}: tensors left after dispose()`);
      assert.ok(fs.statSync(path.join(OUT, `${name}.png`)).size > 10000, `${name}: screenshot`);
      if (CHECK_EXTRA[name]) CHECK_EXTRA[name](r.extra);
      console.log(`${name}: ${JSON.stringify(r.metrics)}, trained in ${(r.trainMs / 1000).toFixed(1)} s, ` +
          `inference ${r.inferMs.toFixed(2)} ms, page ${(r.wallMs / 1000).toFixed(1)} s`);
    });
  }
});

describe('example fallbacks', () => {
  test('without cross-origin isolation: single-threaded SIMD, said on the page, on the page\'s thread too', async () => {
    const h = await startHarness({ isolate: false });
    try {
      // The model is trained on the page itself here (worker=0): the
      // in-page path must work as well as the Worker.
      const r = await runExample(h, 'mnist', { config: 'test', query: 'worker=0', timeoutMs: 5 * 60 * 1000 });
      assert.equal(r.state, 'done', r.error);
      assert.equal(r.isolated, false);
      assert.equal(r.info.variant, 'simd');
      assert.equal(r.info.threads, 1);
      assert.equal(r.info.worker, false);
      assert.match(r.notes.join(' '), /not cross-origin isolated/);
      assert.deepEqual(r.missed, []);
      assert.deepEqual(r.errors, []);
      assert.equal(r.leaked, 0);
    } finally {
      await h.close();
    }
  });

  test('without WebAssembly SIMD: the scalar build on one thread, said on the page', async () => {
    const h = await startHarness();
    try {
      // An engine that validates no SIMD module: every validate() says no
      // (cwasm only validates its SIMD probe).
      const r = await runExample(h, 'mnist', {
        config: 'test', query: 'worker=0', timeoutMs: 5 * 60 * 1000,
        init: () => { WebAssembly.validate = () => false; },
      });
      assert.equal(r.state, 'done', r.error);
      assert.equal(r.info.variant, 'scalar');
      assert.equal(r.info.threads, 1);
      assert.match(r.notes.join(' '), /no WebAssembly SIMD128/);
      assert.deepEqual(r.missed, []);
      assert.deepEqual(r.errors, []);
    } finally {
      await h.close();
    }
  });
});
