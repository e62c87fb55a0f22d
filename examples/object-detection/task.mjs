// The object-detection example's task (the book's section 5.2, "simple
// object detection"): the listing 5.9 detector (MobileNet v1 alpha 0.25
// truncated at conv_pw_11_relu, flatten -> dense(200, relu) -> dense(5))
// trained from scratch on synthetic scenes (scenes.mjs) to output
// [224 * class, left, right, top, bottom], then judged on scenes drawn from a
// seed never used in training. DOM-free: the same module runs in the page, in
// a Worker and in Node (examples/common/run-node.mjs).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { mobilenetDetector } from '../common/models.mjs';
import { disposeTrained, fitReporter } from '../common/report.mjs';
import { SIZE, sceneParams, renderScenes, sceneTargets } from './scenes.mjs';

/**
 * Training sees `epochs` sets of `scenesPerEpoch` fresh scenes (each set
 * passed over `passes` times); the learning rate follows a cosine from
 * learningRate down to 5% of it. evalScenes held-out scenes come from
 * evalSeed, never a training seed. noise: circles and lines per scene.
 * Fresh scenes beat repeated ones: 16 x 192 scenes seen once reached 0.98 /
 * IoU 0.49, 16 x 96 seen twice 0.88 / 0.38 (Node, one thread); 32 x 192
 * reached 0.97 / 0.54 and 48 x 96 x 2 0.99 / 0.57 (batches shuffled by
 * Math.random). With the batch order fixed by the seed, 24 x 192 ended at
 * 0.66 / 0.24 and 40 x 192 ('full', ~6 minutes in Chromium) at 0.98 / 0.47:
 * the 0.6 IoU target is not reached from scratch in the main job's time.
 * 'test' runs the page's whole pipeline (train, evaluate, draw, centernet)
 * briefly and states no accuracy target: 4 x 64 scenes do not teach the shape class yet (0.445,
 * chance is 0.5), and 16 x 192 runs ended at 0.98, 0.91 and 0.65 when
 * model.fit still shuffled with Math.random: too long and too varied for
 * the test.
 */
export const CONFIGS = {
  full: {
    epochs: 40, scenesPerEpoch: 192, passes: 1, batchSize: 8, learningRate: 1e-2, bnMomentum: 0.9, outputScale: 1,
    circles: 10, lines: 10, seed: 1, evalSeed: 999001, evalScenes: 256, valScenes: 32, viewScenes: 8,
    targets: { 'shape accuracy': { min: 0.95 }, 'mean box IoU': { min: 0.6 }, 'held-out scenes': { min: 200 } },
  },
  test: {
    epochs: 4, scenesPerEpoch: 64, passes: 1, batchSize: 8, learningRate: 1e-2, bnMomentum: 0.9, outputScale: 1,
    circles: 10, lines: 10, seed: 1, evalSeed: 999001, evalScenes: 200, valScenes: 32, viewScenes: 8,
    targets: { 'held-out scenes': { min: 200 } },
  },
};

// The book's loss scales the 0/1 class by the canvas size, so the class and
// the four box edges (pixels) weigh alike in the mean squared error.
const LABEL_MULTIPLIER = [SIZE, 1, 1, 1, 1];
const RENDER_BATCH = 16;

let kept = null; // {model}

/** The book's custom loss: mean squared error between yTrue * [224, 1, 1, 1, 1] and yPred. */
function detectionLoss(yTrue, yPred) {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.mul(yTrue, tf.tensor1d(LABEL_MULTIPLIER)), yPred)), -1));
}

/** Shape accuracy as a Layers metric: output 0 above 112 reads as "triangle". */
function acc(yTrue, yPred) {
  return tf.tidy(() => {
    const col = (t) => tf.squeeze(tf.slice(t, [0, 0], [-1, 1]), [1]);
    return tf.cast(tf.equal(tf.greater(col(yTrue), 0.5), tf.greater(col(yPred), SIZE / 2)), 'float32');
  });
}

/** Scenes from `seed` as model input (pixels scaled to [-1, 1], MobileNet's range) and targets. */
function makeSet(n, seed, config) {
  const scenes = sceneParams(n, seed, { circles: config.circles, lines: config.lines });
  const parts = [];
  for (let at = 0; at < n; at += RENDER_BATCH) {
    parts.push(tf.tidy(() => tf.sub(tf.div(renderScenes(scenes.slice(at, at + RENDER_BATCH)), 127.5), 1)));
  }
  const xs = parts.length === 1 ? parts[0] : tf.concat(parts);
  if (parts.length > 1) tf.dispose(parts);
  return { scenes, xs, ys: tf.tensor2d(sceneTargets(scenes), [n, 5]) };
}

/**
 * The listing 5.9 model, set up to train from scratch: the batch-norm moving
 * statistics follow the changing network faster (momentum bnMomentum instead
 * of 0.99), and the last layer starts at the canvas centre (bias 112 for all
 * five outputs) so the first steps are not spent climbing to pixel scale.
 */
function buildModel(config) {
  const base = mobilenetDetector();
  for (const layer of base.layers) {
    if (layer.getClassName() === 'BatchNormalization') layer.momentum = config.bnMomentum;
  }
  const scale = config.outputScale;
  const head = base.layers[base.layers.length - 1];
  const [kernel, bias] = head.getWeights();
  const centre = tf.fill(bias.shape, SIZE / 2 / scale);
  head.setWeights([kernel, centre]);
  centre.dispose();
  if (scale === 1) return base;
  const output = tfl.layers.rescaling({ scale, name: 'to_pixels' }).apply(base.outputs[0]);
  return tfl.model({ inputs: base.inputs, outputs: output, name: base.name });
}

/**
 * Trains and evaluates; see the task interface in examples/common/worker.mjs.
 * @param {{fetchBytes: (path: string) => Promise<ArrayBuffer>, emit: (e: object) => void}} ctx
 * @param {typeof CONFIGS.full} config
 */
export async function run(ctx, config) {
  dispose();
  const model = buildModel(config);
  kept = { model };
  model.compile({ optimizer: tf.train.adam(config.learningRate), loss: detectionLoss, metrics: [acc] });

  const val = makeSet(config.valScenes, config.evalSeed + 1, config);
  const stepsPerEpoch = Math.ceil(config.scenesPerEpoch / config.batchSize) * config.passes;
  const totalSteps = stepsPerEpoch * config.epochs;
  const callbacks = fitReporter(ctx, totalSteps, 10);
  const t0 = performance.now();
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const cosine = 0.5 * (1 + Math.cos(Math.PI * epoch / config.epochs));
      model.optimizer.learningRate = config.learningRate * (0.05 + 0.95 * cosine);
      ctx.emit({ type: 'progress', label: 'drawing scenes', fraction: epoch / config.epochs });
      const train = makeSet(config.scenesPerEpoch, config.seed * 100003 + epoch, config);
      try {
        await model.fit(train.xs, train.ys, {
          epochs: config.passes,
          batchSize: config.batchSize,
          // Fresh scenes come in seeded random order already; model.fit's
          // shuffle would draw from Math.random (see inSeededOrder).
          shuffle: false,
          yieldEvery: 'never',
          validationData: [val.xs, val.ys],
          callbacks: callbacks(epoch, (pass) => pass === config.passes - 1),
        });
      } finally {
        tf.dispose([train.xs, train.ys]);
      }
    }
  } finally {
    tf.dispose([val.xs, val.ys]);
  }
  const trainMs = performance.now() - t0;
  ctx.emit({ type: 'progress', label: 'training', fraction: 1 });

  const { metrics, view } = await evaluate(ctx, model, config);
  const x1 = tf.tidy(() => tf.sub(tf.div(renderScenes(sceneParams(1, config.evalSeed + 2)), 127.5), 1));
  const inferMs = await medianPredictMs(model, x1);
  x1.dispose();
  return { metrics, targets: config.targets, trainMs, inferMs, view };
}

/**
 * Intersection over union of boxes [left, right, top, bottom], rows of a and b.
 * @returns {tf.Tensor1D}
 */
function boxIoU(a, b) {
  return tf.tidy(() => {
    const [al, ar, at, ab] = tf.unstack(a, 1), [bl, br, bt, bb] = tf.unstack(b, 1);
    const w = tf.relu(tf.sub(tf.minimum(ar, br), tf.maximum(al, bl)));
    const h = tf.relu(tf.sub(tf.minimum(ab, bb), tf.maximum(at, bt)));
    const inter = tf.mul(w, h);
    const area = (l, r, t, bo) => tf.mul(tf.relu(tf.sub(r, l)), tf.relu(tf.sub(bo, t)));
    return tf.div(inter, tf.maximum(tf.sub(tf.add(area(al, ar, at, ab), area(bl, br, bt, bb)), inter), 1e-6));
  });
}

/** Shape accuracy and mean box IoU on config.evalScenes scenes from evalSeed; the first viewScenes for the page. */
async function evaluate(ctx, model, config) {
  const n = config.evalScenes;
  const scenes = sceneParams(n, config.evalSeed, { circles: config.circles, lines: config.lines });
  const outputs = [];
  let small = null;
  for (let at = 0; at < n; at += RENDER_BATCH) {
    ctx.emit({ type: 'progress', label: 'testing', fraction: at / n });
    const part = scenes.slice(at, at + RENDER_BATCH);
    const pixels = renderScenes(part);
    outputs.push(tf.tidy(() => model.predict(tf.sub(tf.div(pixels, 127.5), 1))));
    // The page's thumbnails: the first scenes at half size, as bytes.
    if (at === 0) small = tf.tidy(() => tf.cast(tf.round(tf.avgPool(tf.slice(pixels, 0, config.viewScenes), 2, 2, 'valid')), 'int32'));
    pixels.dispose();
  }
  const [correct, meanIoU, predicted] = tf.tidy(() => {
    const out = tf.concat(outputs);
    const truth = tf.tensor2d(sceneTargets(scenes), [n, 5]);
    const boxes = (t) => tf.slice(t, [0, 1], [-1, 4]);
    return [tf.sum(acc(truth, out)), tf.mean(boxIoU(boxes(out), boxes(truth))), tf.slice(out, 0, config.viewScenes)];
  });
  tf.dispose(outputs);
  const [c, iou, pred, thumbs] = await Promise.all([correct.data(), meanIoU.data(), predicted.data(), small.data()]);
  tf.dispose([correct, meanIoU, predicted, small]);
  ctx.emit({ type: 'progress', label: 'testing', fraction: 1 });

  const side = SIZE / 2, bytes = side * side * 3;
  const view = {
    size: side, scale: 0.5,
    scenes: Array.from({ length: config.viewScenes }, (_, i) => ({
      pixels: Uint8Array.from(thumbs.subarray(i * bytes, (i + 1) * bytes)),
      trueShape: scenes[i].isTriangle ? 'triangle' : 'rectangle',
      trueBox: scenes[i].target.box,
      predictedShape: pred[i * 5] > SIZE / 2 ? 'triangle' : 'rectangle',
      predictedBox: Array.from(pred.subarray(i * 5 + 1, i * 5 + 5)),
    })),
  };
  return { metrics: { 'shape accuracy': c[0] / n, 'mean box IoU': iou[0], 'held-out scenes': n }, view };
}

/** Median time of model.predict on one scene (batch 1), after a warm-up of 5 calls. */
async function medianPredictMs(model, x) {
  const times = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    const y = model.predict(x);
    await y.data();
    times.push(performance.now() - t0);
    y.dispose();
  }
  return times.slice(5).sort((a, b) => a - b)[10];
}

/**
 * Detects the target in one 224x224 RGB scene (pixels 0..255, HWC order)
 * with the trained model.
 * @param {Uint8Array|Uint8ClampedArray|Float32Array} pixels 224 * 224 * 3 values
 * @returns {Promise<{shape: string, box: number[]}>} box = [left, right, top, bottom] in pixels
 */
export async function predict(pixels) {
  if (!kept) throw new Error('object-detection: no trained model (run() first)');
  const y = tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(pixels), [1, SIZE, SIZE, 3]);
    return tf.squeeze(kept.model.predict(tf.sub(tf.div(x, 127.5), 1)));
  });
  const out = await y.data();
  y.dispose();
  return { shape: out[0] > SIZE / 2 ? 'triangle' : 'rectangle', box: Array.from(out.subarray(1)) };
}

/** Frees the trained model and its optimizer state. */
export function dispose() {
  if (kept) disposeTrained(kept.model);
  kept = null;
}

// tfjs-layers registers the gradients model.fit needs when imported.
void tfl;
