// Image kernels on 'cwasm' against tfjs-backend-cpu: resize (bilinear,
// nearest; every corner mode; up and down; int32 input), cropAndResize (boxes
// outside the image, flipped boxes, both methods), flipLeftRight, transform
// (every fill mode and interpolation), plus bad input.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertClose, matchesCpu, randomValues, runOn, tf } from './helpers.mjs';

const MODES = [[false, false], [true, false], [false, true]];

function image(shape, seed, dtype = 'float32') {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = randomValues(n, seed, -4, 4);
  return dtype === 'int32' ? tf.tensor(Array.from(v, Math.round), shape, 'int32') : tf.tensor(v, shape);
}

test('resizeBilinear matches cpu for every corner mode, up and down, odd channel counts', async () => {
  for (const [h, w] of [[1, 1], [4, 5], [9, 7]]) {
    for (const size of [[1, 1], [3, 8], [10, 13], [2, 3]]) {
      for (const c of [1, 3, 4, 9]) {
        for (const [align, half] of MODES) {
          await matchesCpu(() => tf.image.resizeBilinear(image([2, h, w, c], h * 31 + c), size, align, half),
              1e-5, 1e-5, `resizeBilinear [${h},${w},${c}] -> ${size} ${align} ${half}`);
        }
      }
    }
  }
});

test('resizeBilinear takes int32 images and a rank-3 image, returning float32', async () => {
  await matchesCpu(() => tf.image.resizeBilinear(image([3, 4, 2], 3, 'int32'), [7, 5]), 1e-5, 1e-5, 'int32');
  await matchesCpu(() => tf.image.resizeBilinear(image([1, 6, 6, 3], 4, 'int32'), [3, 3], true), 1e-5, 1e-5, 'int32 align');
});

test('resizeNearestNeighbor matches cpu exactly for float32 and int32', async () => {
  for (const dtype of ['float32', 'int32']) {
    for (const [h, w] of [[1, 2], [5, 4], [8, 9]]) {
      for (const size of [[1, 1], [3, 7], [16, 11]]) {
        for (const c of [1, 2, 5]) {
          for (const [align, half] of MODES) {
            await matchesCpu(() => tf.image.resizeNearestNeighbor(image([2, h, w, c], h + c * 7, dtype), size, align, half),
                0, 0, `resizeNearestNeighbor ${dtype} [${h},${w},${c}] -> ${size} ${align} ${half}`);
          }
        }
      }
    }
  }
});

test('cropAndResize matches cpu with boxes outside the image, flipped boxes and both methods', async () => {
  const boxes = [
    [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], [-0.3, -0.2, 1.4, 1.1], [0.9, 0.8, 0.1, 0.2],
    [0.5, 0.5, 0.5, 0.5], [1.2, 1.3, 1.5, 1.6], [0.25, -0.5, 0.75, 0.4],
  ];
  const boxInd = [0, 1, 2, 1, 0, 2, 1];
  for (const method of ['bilinear', 'nearest']) {
    for (const crop of [[1, 1], [2, 3], [5, 4], [7, 7]]) {
      for (const c of [1, 3, 4, 5]) {
        await matchesCpu(() => tf.image.cropAndResize(image([3, 6, 7, c], c + crop[0]),
            tf.tensor2d(boxes), tf.tensor1d(boxInd, 'int32'), crop, method, -2.5),
        1e-5, 1e-5, `cropAndResize ${method} ${crop} c=${c}`);
      }
    }
  }
  // int32 image; a box index past the batch leaves zeros.
  await matchesCpu(() => tf.image.cropAndResize(image([2, 5, 5, 2], 9, 'int32'),
      tf.tensor2d([[0, 0, 1, 1], [0.2, 0.2, 0.6, 0.9]]), tf.tensor1d([1, 2], 'int32'), [3, 4]),
  1e-5, 1e-5, 'cropAndResize int32 / index past batch');
});

test('flipLeftRight matches cpu for odd widths', async () => {
  for (const w of [1, 2, 5, 8]) {
    for (const c of [1, 3, 4, 9]) {
      await matchesCpu(() => tf.image.flipLeftRight(image([2, 3, w, c], w * 10 + c)), 0, 0, `flip w=${w} c=${c}`);
    }
  }
});

test('transform matches cpu for every fill mode and interpolation', async () => {
  const transforms = [
    [1, 0, 0, 0, 1, 0, 0, 0],
    [0, 0.5, 1, -1, 2, 3, 0, 0],
    [0.8, -0.6, 2.5, 0.6, 0.8, -1.5, 0.01, -0.02],
    [1, 0, 0, 0, 1, 0, -1, 0],
    [1.5, 0.2, -3, 0.1, 0.7, 4, 0, 0],
  ];
  for (const t of transforms) {
    for (const interpolation of ['nearest', 'bilinear']) {
      for (const fillMode of ['constant', 'reflect', 'wrap', 'nearest']) {
        for (const [shape, outShape] of [[[1, 5, 6, 1], undefined], [[1, 4, 4, 3], [6, 3]], [[1, 7, 5, 4], [7, 9]]]) {
          await matchesCpu(() => tf.image.transform(image(shape, 5), tf.tensor2d([t]), interpolation,
              fillMode, 0.25, outShape), 1e-5, 1e-5, `transform ${t} ${interpolation} ${fillMode} ${shape}`);
        }
      }
    }
  }
});

test('transform applies each batch its own transform (cpu stops after batch 0)', async () => {
  // tfjs-backend-cpu 4.22 returns from inside its batch loop, leaving later
  // batches at fillValue; cwasm transforms every batch, so each batch is
  // compared with cpu run on that batch alone.
  const imgs = image([2, 5, 6, 2], 8);
  const ts = tf.tensor2d([[1, 0, 1, 0, 1, -1, 0, 0], [0.7, 0.2, 0.5, -0.3, 1.1, 0, 0.01, 0]]);
  const whole = (backend) => runOn(backend, () => tf.image.transform(imgs, ts, 'bilinear', 'reflect', 9, [4, 7]));
  const [cpuWhole] = await whole('cpu');
  assert.ok(cpuWhole.values.slice(4 * 7 * 2).every((v) => v === 9), 'cpu leaves batch 1 at fillValue');
  const [got] = await whole('cwasm');
  for (const b of [0, 1]) {
    const [want] = await runOn('cpu', () => tf.image.transform(tf.slice(imgs, [b, 0, 0, 0], [1, 5, 6, 2]),
        tf.slice(ts, [b, 0], [1, 8]), 'bilinear', 'reflect', 9, [4, 7]));
    const part = { ...want, shape: want.shape, values: got.values.slice(b * 56, (b + 1) * 56) };
    assertClose([part], [want], 1e-5, 1e-5, `transform batch ${b}`);
  }
  tf.dispose([imgs, ts]);
});

test('bad image arguments throw naming the kernel, leak nothing, and the next op works', async () => {
  await tf.setBackend('cwasm');
  const engine = tf.engine();
  const before = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  const img = tf.ones([1, 3, 3, 2]);
  const cases = [
    [() => engine.runKernel('ResizeBilinear', { images: img }, { size: [2, -1], alignCorners: false, halfPixelCenters: false }),
      /ResizeBilinear: size must be two non-negative integers/],
    [() => engine.runKernel('ResizeNearestNeighbor', { images: img }, { size: [2, 2], alignCorners: true, halfPixelCenters: true }),
      /ResizeNearestNeighbor: alignCorners and halfPixelCenters cannot both be true/],
    [() => engine.runKernel('ResizeBilinear', { images: tf.ones([1, 0, 3, 2]) }, { size: [2, 2], alignCorners: false, halfPixelCenters: false }),
      /ResizeBilinear: cannot resize an empty 0x3 image/],
    [() => tf.image.cropAndResize(img, tf.tensor2d([[0, 0, 1, 1]]), tf.tensor1d([-1], 'int32'), [2, 2]),
      /CropAndResize: boxInd\[0\] = -1 is negative/],
    [() => engine.runKernel('CropAndResize', { image: img, boxes: tf.ones([1, 3]), boxInd: tf.tensor1d([0], 'int32') },
        { cropSize: [2, 2], method: 'bilinear', extrapolationValue: 0 }),
    /CropAndResize: boxes must have shape \[numBoxes, 4\]/],
    [() => engine.runKernel('Transform', { image: img, transforms: tf.ones([2, 8]) },
        { interpolation: 'nearest', fillMode: 'constant', fillValue: 0 }),
    /Transform: transforms must have shape \[1, 8\] or \[1, 8\]/],
    [() => engine.runKernel('Transform', { image: img, transforms: tf.ones([1, 8]) },
        { interpolation: 'cubic', fillMode: 'constant', fillValue: 0 }),
    /Transform: interpolation must be 'nearest' or 'bilinear', got 'cubic'/],
    [() => engine.runKernel('FlipLeftRight', { image: tf.ones([3, 3]) }, {}),
      /FlipLeftRight: image must have rank 4/],
  ];
  for (const [fn, re] of cases) {
    tf.tidy(() => assert.throws(fn, (e) => e instanceof Error && re.test(e.message), `expected ${re}`));
    const v = tf.tidy(() => Array.from(tf.image.flipLeftRight(tf.tensor4d([1, 2, 3], [1, 1, 3, 1])).dataSync()));
    assert.deepEqual(v, [3, 2, 1]);
  }
  img.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.backend().numDataIds(), dataIds);
});
