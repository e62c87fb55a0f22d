// The standalone runtime (dist/cwasm-runtime.esm.js, no tfjs-core) in
// Debian's Chromium, cross-origin isolated: NanoDet on chelsea.png runs on
// the runtime's threaded program with 2 threads, and every output equals
// tfjs-backend-cpu's (computed here in Node) within 1e-3 max relative error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { tf } from '../js/helpers.mjs';
import { maxRelError, useBackend } from '../js/models/compare.mjs';
import { NANODET, distinctLabels } from '../js/models/detect.mjs';
import { loadHumanModel } from '../js/models/graph.mjs';
import { loadPhoto } from '../js/models/photos.mjs';
import { assertNoErrors, startHarness } from './harness.mjs';
import { REPO_ROOT } from './server.mjs';

const TOLERANCE = 1e-3;
let h;

before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test('standalone runtime in Chromium: nanodet equals tfjs-backend-cpu within 1e-3', async () => {
  const input = NANODET.input(loadPhoto('chelsea'));
  const dir = path.join(REPO_ROOT, 'build/test-browser');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'nanodet-input.bin'), Buffer.from(input.values.buffer, input.values.byteOffset, input.values.byteLength));
  const p = await h.open('/test/browser/runtime.html');
  try {
    const got = await p.page.evaluate(([s]) => window.cwPage.run('nanodet', s, 2), [input.shape]);
    assertNoErrors(p, 'runtime page');
    assert.equal(got.info.variant, 'threads');
    assert.equal(got.info.threads, 2);
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
  } finally {
    await p.close();
  }
});
