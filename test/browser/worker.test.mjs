// The whole backend inside a dedicated module Worker, in Debian's Chromium:
// worker.html starts build/test-browser/worker_task.js (worker_task.mjs with
// tfjs-core, tfjs-layers and dist/tfjs-backend-cwasm.esm.js bundled by
// esbuild in before(): a module Worker has no import map) as
// new Worker(url, {type: 'module'}). There the seeded MNIST convnet predicts
// a fixed batch and takes one SGD step, on 'cwasm' and, in a second Worker,
// on 'cpu'. Cross-origin isolated: cwasm picks its threaded variant on 2
// threads; not isolated: its SIMD variant on 1 thread. Both match cpu.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { bundleForBrowser } from '../../scripts/bundling.mjs';
import { assertNoErrors, startHarness } from './harness.mjs';
import { REPO_ROOT } from './server.mjs';

const RTOL = 1e-4;
const THREADS = 2;
const PAGE = `/test/browser/worker.html?threads=${THREADS}`;
const WORKER_URL_PATH = '/build/test-browser/worker_task.js';

/** Bundles worker_task.mjs into one ES module (one tfjs-core) at WORKER_URL_PATH. */
async function bundleWorker() {
  await bundleForBrowser({
    entryPoints: [path.join(REPO_ROOT, 'test/browser/worker_task.mjs')],
    outfile: path.join(REPO_ROOT, WORKER_URL_PATH),
    format: 'esm',
  });
}

/**
 * The largest error of got against want relative to want's largest
 * magnitude (the infinity-norm relative error of the tensor): elements near
 * zero are held to the tensor's scale, not to their own.
 */
function relError(got, want) {
  assert.equal(got.length, want.length, 'sizes');
  let err = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    if (!Number.isFinite(got[i])) return Infinity;
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? err : err / scale;
}

/** The SGD step's gradient of each weight: (before - after) / learning rate. */
function gradients(r) {
  return r.trained.map((w, i) => w.values.map((v, j) => (r.initial[i].values[j] - v) / r.learningRate));
}

/**
 * Asserts the cwasm Worker's result matches cpu's within RTOL: predictions,
 * loss, weights before and after the step and the step's gradients.
 * Returns the largest relative error of each kind.
 */
function assertMatchesCpu(got, want, what) {
  assert.deepEqual(got.predictions.shape, want.predictions.shape, `${what}: predictions shape`);
  assert.deepEqual(got.trained.map((w) => [w.name, w.shape]), want.trained.map((w) => [w.name, w.shape]),
      `${what}: weight names and shapes`);
  const errors = { predictions: relError(got.predictions.values, want.predictions.values) };
  errors.loss = Math.abs(got.loss - want.loss) / Math.abs(want.loss);
  // Per weight tensor, the worst of them.
  const worst = (a, b) => Math.max(...a.map((values, i) => relError(values, b[i])));
  const values = (weights) => weights.map((w) => w.values);
  errors.initialWeights = worst(values(got.initial), values(want.initial));
  errors.trainedWeights = worst(values(got.trained), values(want.trained));
  errors.gradients = worst(gradients(got), gradients(want));
  for (const [kind, e] of Object.entries(errors)) {
    assert.ok(e <= RTOL, `${what}: ${kind} differ from cpu by ${e} relative (allowed ${RTOL})`);
  }
  // The step did train: the loss is a cross-entropy of 10 classes and some weights moved.
  assert.ok(got.loss > 0 && got.loss < 10, `${what}: loss ${got.loss}`);
  assert.ok(gradients(got).some((g) => g.some((v) => v !== 0)), `${what}: no weight changed`);
  return errors;
}

/** Asserts what the Worker's global scope was, and that it freed every tensor. */
function assertWorkerEnv(r, isolated, what) {
  assert.equal(r.env.dedicatedWorker, true, `${what}: ran in a DedicatedWorkerGlobalScope`);
  assert.equal(r.env.hasDocument, false, `${what}: no document in the Worker`);
  assert.ok(r.env.moduleUrl.endsWith(WORKER_URL_PATH), `${what}: a module Worker at ${r.env.moduleUrl}`);
  assert.equal(r.env.crossOriginIsolated, isolated, `${what}: crossOriginIsolated in the Worker`);
  assert.equal(r.leaked, 0, `${what}: tensors left after disposing the model, optimizer and batch`);
}

describe('the backend inside a module Web Worker', { timeout: 60000 }, () => {
  let reference;

  before(async () => {
    await bundleWorker();
    const h = await startHarness();
    try {
      const p = await h.open(PAGE);
      reference = await p.run('cpu');
      assertWorkerEnv(reference, true, 'cpu Worker');
      assert.equal(reference.backend, 'cpu');
      assertNoErrors(p, 'cpu Worker page');
      assert.deepEqual(p.warnings, [], 'cpu Worker page: console warnings');
    } finally {
      await h.close();
    }
  });

  /** Runs the cwasm Worker on a fresh page of a harness started with serverOptions. */
  async function runCwasm(serverOptions) {
    const h = await startHarness(serverOptions);
    try {
      const p = await h.open(PAGE);
      const isolated = await p.page.evaluate(() => window.cwPage.crossOriginIsolated);
      const result = await p.run('cwasm', 30000);
      assertNoErrors(p, 'cwasm Worker page');
      assert.deepEqual(p.warnings, [], 'cwasm Worker page: console warnings');
      return { isolated, result, requests: p.requests(), workers: p.workers };
    } finally {
      await h.close();
    }
  }

  test('mnist_inference_and_a_training_step_run_threaded_in_an_isolated_module_worker_and_match_cpu', async (t) => {
    const { isolated, result: r, requests, workers } = await runCwasm({ isolate: true });
    assert.equal(isolated, true, 'the page is cross-origin isolated');
    assertWorkerEnv(r, true, 'cwasm Worker');
    assert.equal(r.env.sharedArrayBuffer, true, 'SharedArrayBuffer in the Worker');
    assert.equal(r.backend, 'cwasm');
    assert.deepEqual({ variant: r.info.variant, threads: r.info.threads }, { variant: 'threads', threads: THREADS },
        `backend info in the Worker: ${JSON.stringify(r.info)}`);
    for (const f of ['/dist/cwasm-threads.wasm', '/dist/cwasm-threads.worker.js', '/dist/cwasm-threads.js']) {
      assert.ok(requests.includes(f), `${f} fetched (requests: ${requests.join(' ')})`);
    }
    // The page's Worker, and inside it the pool: the Worker's own thread is thread 0.
    assert.ok(workers.some((u) => u.endsWith(WORKER_URL_PATH)), `the module Worker started (${workers})`);
    assert.equal(workers.filter((u) => u.endsWith('/dist/cwasm-threads.worker.js')).length, THREADS - 1,
        `pool Workers started by the Worker (${workers})`);
    const errors = assertMatchesCpu(r, reference, 'threads in a Worker');
    t.diagnostic(`info ${JSON.stringify(r.info)}; loss ${r.loss} (cpu ${reference.loss}); ` +
        `max relative errors vs cpu ${JSON.stringify(errors)}`);
  });

  test('mnist_runs_simd_on_one_thread_in_a_module_worker_when_the_page_is_not_isolated', async (t) => {
    const { isolated, result: r, requests, workers } = await runCwasm({ isolate: false });
    assert.equal(isolated, false, 'the page is not cross-origin isolated');
    assertWorkerEnv(r, false, 'cwasm Worker');
    assert.equal(r.backend, 'cwasm');
    assert.deepEqual({ variant: r.info.variant, threads: r.info.threads }, { variant: 'simd', threads: 1 },
        `backend info in the Worker: ${JSON.stringify(r.info)}`);
    assert.ok(requests.includes('/dist/cwasm-simd.wasm'), 'cwasm-simd.wasm fetched');
    assert.ok(!requests.some((f) => f.startsWith('/dist/cwasm-threads')), `no threaded file fetched (${requests.join(' ')})`);
    assert.deepEqual(workers.map((u) => new URL(u).pathname), [WORKER_URL_PATH], 'only the module Worker, no pool');
    const errors = assertMatchesCpu(r, reference, 'simd in a Worker');
    t.diagnostic(`info ${JSON.stringify(r.info)}; loss ${r.loss} (cpu ${reference.loss}); ` +
        `max relative errors vs cpu ${JSON.stringify(errors)}`);
  });
});
