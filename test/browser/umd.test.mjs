// The UMD bundle in Debian's Chromium: tfjs-core, tfjs-backend-cpu and
// dist/tfjs-backend-cwasm.umd.min.js (what CDNs serve) by plain script tags on a cross-origin
// isolated page; the threaded variant by default, then simd and scalar forced.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertNoErrors, assertResultsClose, startHarness } from './harness.mjs';

const RTOL = 1e-4;

describe('the UMD bundle in Chromium', { timeout: 50000 }, () => {
  let h;
  let threadsPage = null;   // page of the first test, reused by the second
  let threadsResults = null;

  before(async () => { h = await startHarness(); });
  after(async () => {
    if (threadsPage) await threadsPage.close().catch(() => {});
    if (h) await h.close();
  });

  test('umd_page_is_isolated_and_picks_threads_with_two_threads_and_a_real_worker_file', async () => {
    const p = await h.open('/test/browser/umd.html?threads=2');
    threadsPage = p;
    const before = await p.page.evaluate(() => window.cwPage.describe());
    assert.equal(before.crossOriginIsolated, true, 'page is crossOriginIsolated');
    assert.equal(before.sharedArrayBuffer, true, 'SharedArrayBuffer exists');
    assert.ok(before.backends.includes('cwasm'), `'cwasm' registered into the global tf (${before.backends})`);
    assert.ok(before.backends.includes('cpu'), `'cpu' registered (${before.backends})`);
    assert.deepEqual(before.cwasmFunctionTypes, {
      setWasmPaths: 'function', setThreadsCount: 'function', setVariant: 'function',
      getBackendInfo: 'function', chooseVariant: 'function',
    }, 'the global cwasm exposes the loader API');
    assert.equal(before.chosenVariant, 'threads', 'default variant choice on an isolated page');
    assert.equal(before.backendInfo, null, 'no backend info before the backend starts');

    const backend = await p.page.evaluate(async () => {
      const ok = await tf.setBackend('cwasm');
      return { ok, name: tf.getBackend() };
    });
    assert.deepEqual(backend, { ok: true, name: 'cwasm' }, "tf.setBackend('cwasm') succeeds");
    const info = await p.page.evaluate(() => cwasm.getBackendInfo());
    assert.equal(info.variant, 'threads', `variant in use (${JSON.stringify(info)})`);
    assert.equal(info.threads, 2, `threads in use (${JSON.stringify(info)})`);

    const requests = p.requests();
    for (const f of ['/dist/cwasm-threads.worker.js', '/dist/cwasm-threads.js', '/dist/cwasm-threads.wasm']) {
      assert.ok(requests.includes(f), `${f} fetched from the server (requests: ${requests.join(', ')})`);
    }
    assert.ok(p.workers.length >= 1, 'at least one pool worker started');
    for (const url of p.workers) {
      assert.ok(!url.startsWith('blob:'), `worker ${url} is not a blob: URL`);
      assert.equal(url, h.server.origin + '/dist/cwasm-threads.worker.js', 'worker URL');
    }
    assertNoErrors(p, 'threads page');
  });

  test('umd_threads_backend_matches_cpu_on_matmul_reductions_softmax_layout_and_activations', async () => {
    assert.ok(threadsPage, 'the threads page of the previous test is open');
    const p = threadsPage;
    const want = await p.run('cpu');
    const got = await p.run('cwasm');
    assert.equal(want.backend, 'cpu');
    assert.equal(got.backend, 'cwasm');
    assert.equal((await p.page.evaluate(() => cwasm.getBackendInfo())).variant, 'threads');
    assertResultsClose(got.results, want.results, RTOL, 'threads vs cpu');
    threadsResults = got.results;
    assertNoErrors(p, 'threads page');
  });

  for (const variant of ['simd', 'scalar']) {
    test(`umd_forced_${variant}_variant_gives_the_same_results`, async () => {
      const p = await h.open(`/test/browser/umd.html?variant=${variant}`);
      try {
        const want = await p.run('cpu');
        const got = await p.run('cwasm');
        const info = await p.page.evaluate(() => cwasm.getBackendInfo());
        assert.equal(info.variant, variant, `variant in use (${JSON.stringify(info)})`);
        assert.equal(info.threads, 1, 'one thread outside the threaded variant');
        assertResultsClose(got.results, want.results, RTOL, `${variant} vs cpu`);
        if (threadsResults) assertResultsClose(got.results, threadsResults, RTOL, `${variant} vs threads`);
        const requests = p.requests();
        assert.ok(requests.includes(`/dist/cwasm-${variant}.wasm`), `cwasm-${variant}.wasm fetched`);
        assert.ok(!requests.some((r) => r.startsWith('/dist/cwasm-threads')), 'no threaded files fetched');
        assert.deepEqual(p.workers, [], 'no workers started');
        assertNoErrors(p, `${variant} page`);
      } finally {
        await p.close();
      }
    });
  }

  test('umd_missing_wasm_file_makes_set_backend_fail_instead_of_hanging', async () => {
    const p = await h.open('/test/browser/umd.html?variant=simd&wasmPaths=/no-such-dir/');
    try {
      const outcome = await p.page.evaluate(() => Promise.race([
        tf.setBackend('cwasm').then((ok) => (ok ? 'succeeded' : 'failed'), () => 'rejected'),
        new Promise((resolve) => setTimeout(() => resolve('still pending after 5 s'), 5000)),
      ]));
      assert.ok(outcome === 'failed' || outcome === 'rejected', `tf.setBackend('cwasm') ${outcome}`);
      assert.ok(p.errors.some((e) => e.includes('/no-such-dir/cwasm-simd.wasm')), 'the 404 was seen');
    } finally {
      await p.close();
    }
  });
});
