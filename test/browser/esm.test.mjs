// The ES module bundle in Debian's Chromium: dist/tfjs-backend-cwasm.esm.js
// imported by a <script type="module"> page, '@tensorflow/tfjs-core' mapped to
// tfjs-core's ESM build by an import map. The 'cpu' reference comes from the
// UMD page (tfjs-backend-cpu's ESM build imports the CommonJS 'seedrandom').
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertNoErrors, assertResultsClose, startHarness } from './harness.mjs';

const RTOL = 1e-4;

describe('the ES module bundle in Chromium', { timeout: 40000 }, () => {
  let h;
  let reference;

  before(async () => {
    h = await startHarness();
    const p = await h.open('/test/browser/umd.html');
    try {
      reference = (await p.run('cpu')).results;
      assertNoErrors(p, 'cpu reference page');
    } finally {
      await p.close();
    }
  });
  after(async () => { if (h) await h.close(); });

  /** Opens esm.html with query, runs the ops on 'cwasm', checks them and returns the info. */
  async function runEsm(query) {
    const p = await h.open(`/test/browser/esm.html${query}`);
    try {
      const d = await p.page.evaluate(() => window.cwPage.describe());
      assert.equal(d.crossOriginIsolated, true, 'page is crossOriginIsolated');
      assert.ok(d.backends.includes('cwasm'), `'cwasm' registered into tfjs-core's ESM build (${d.backends})`);
      const got = await p.run('cwasm');
      assert.equal(got.backend, 'cwasm');
      assertResultsClose(got.results, reference, RTOL, `esm ${query} vs cpu`);
      const info = await p.page.evaluate(() => window.cwPage.describe().backendInfo);
      for (const url of p.workers) assert.ok(!url.startsWith('blob:'), `worker ${url} is not a blob: URL`);
      assertNoErrors(p, `esm page ${query}`);
      return { info, requests: p.requests(), workers: p.workers };
    } finally {
      await p.close();
    }
  }

  test('esm_bundle_finds_its_wasm_next_to_itself_and_runs_threads', async () => {
    const { info, requests } = await runEsm('?threads=2');
    assert.deepEqual({ variant: info.variant, threads: info.threads }, { variant: 'threads', threads: 2 });
    assert.ok(requests.includes('/dist/cwasm-threads.worker.js'), 'worker file fetched');
  });

  test('esm_bundle_with_set_wasm_paths_runs_threads_simd_and_scalar', async () => {
    const t = await runEsm('?threads=2&wasmPaths=/dist/');
    assert.deepEqual({ variant: t.info.variant, threads: t.info.threads }, { variant: 'threads', threads: 2 });
    assert.ok(t.requests.includes('/dist/cwasm-threads.worker.js'), 'worker file fetched');
    assert.ok(t.workers.length >= 1, 'a pool worker started');
    for (const variant of ['simd', 'scalar']) {
      const v = await runEsm(`?variant=${variant}&wasmPaths=/dist/`);
      assert.equal(v.info.variant, variant);
      assert.ok(v.requests.includes(`/dist/cwasm-${variant}.wasm`), `cwasm-${variant}.wasm fetched`);
    }
  });
});
