// The spoken-commands example's task (the book's section 4.4): the listing
// 4.8 convnet trained with model.fit on spectrograms of synthesized speech
// (scripts/make-speech-data.sh: 18 command words, 'unknown' and 'background
// noise', 88 espeak-ng voices), then judged on the 8 voices never used in
// training. DOM-free: the same module runs in the page, in a Worker and in
// Node (examples/common/run-node.mjs).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { speechConvnet } from '../common/models.mjs';
import { seededRandom, seededShuffle } from '../common/random.mjs';
import { disposeTrained, fitReporter, inSeededOrder } from '../common/report.mjs';
import { BINS, CLIP_SAMPLES, FRAMES, pcmToTensor, spectrograms } from './spectrogram.mjs';

const CLASSES = 20;

/**
 * validationSplit: the fraction of the training clips (training voices only)
 * kept apart for the per-epoch validation numbers. trainFraction: the part of
 * the remaining training clips used (a seeded random subset).
 * 'full' (20 epochs): 86-87% on the held-out voices, short of the 90%
 * target (two of the eight voices, en-gb-x-rp+Alicia and en-us-nyc+travis,
 * stay at 45-57% and 64-86%, also when half the training voices had their
 * formants scaled by 0.55-1.6). 'test' (6 epochs) is the browser test's
 * check that training works (chance is 5%); its target keeps a margin for
 * kernel changes that move rounding (a run is fixed by its seeds).
 */
export const CONFIGS = {
  full: {
    epochs: 20, batchSize: 64, learningRate: 1e-3, validationSplit: 0.1, trainFraction: 1, seed: 1,
    augment: { warp: 0.12, tilt: 0.3, shift: 4 },
    examples: 8, targets: { 'held-out accuracy': { min: 0.9 }, 'held-out clips': { min: 300 } },
  },
  test: {
    epochs: 6, batchSize: 64, learningRate: 1e-3, validationSplit: 0, trainFraction: 1, seed: 1,
    augment: { warp: 0.12, tilt: 0.3, shift: 4 },
    // 72.3 %: the data set and the run are fixed by their seeds (Node and Chromium alike).
    examples: 8, targets: { 'held-out accuracy': { min: 0.7 }, 'held-out clips': { min: 300 } },
  },
};

let kept = null; // {model}

/** Reads data/speech/: the JSON index and the int16 PCM of all clips. */
async function loadClips(ctx) {
  ctx.emit({ type: 'progress', label: 'loading clips', fraction: 0 });
  const index = JSON.parse(new TextDecoder().decode(await ctx.fetchBytes('data/speech/index.json')));
  if (index.samples !== CLIP_SAMPLES || index.classes.length !== CLASSES) {
    throw new Error(`speech-commands: data/speech/index.json has ${index.samples}-sample clips and ` +
        `${index.classes.length} classes, expected ${CLIP_SAMPLES} and ${CLASSES}`);
  }
  const pcm = new Int16Array(await ctx.fetchBytes('data/speech/clips.i16'));
  if (pcm.length !== index.labels.length * CLIP_SAMPLES) {
    throw new Error(`speech-commands: clips.i16 holds ${pcm.length} samples, expected ${index.labels.length} x ${CLIP_SAMPLES}`);
  }
  ctx.emit({ type: 'progress', label: 'loading clips', fraction: 1 });
  return { index, pcm };
}

/** Spectrograms [n, 43, 232, 1] of the clips `ids`, computed on the backend in batches of 64. */
async function spectrogramsOf(ctx, pcm, ids, label) {
  const parts = [];
  for (let at = 0; at < ids.length; at += 64) {
    const batch = new Int16Array(Math.min(64, ids.length - at) * CLIP_SAMPLES);
    for (let k = 0; k < batch.length / CLIP_SAMPLES; k++) {
      const i = ids[at + k];
      batch.set(pcm.subarray(i * CLIP_SAMPLES, (i + 1) * CLIP_SAMPLES), k * CLIP_SAMPLES);
    }
    const audio = pcmToTensor(batch);
    parts.push(spectrograms(audio));
    audio.dispose();
    ctx.emit({ type: 'progress', label, fraction: Math.min(1, (at + 64) / ids.length) });
    await tf.nextFrame?.();
  }
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}

/**
 * Trains and evaluates; see the task interface in examples/common/worker.mjs.
 * @param {{fetchBytes: (path: string) => Promise<ArrayBuffer>, emit: (e: object) => void}} ctx
 * @param {typeof CONFIGS.full} config
 */
export async function run(ctx, config) {
  dispose();
  const { index, pcm } = await loadClips(ctx);
  const heldOutVoice = index.voices.map((v) => v.heldOut);
  const all = index.labels.map((_, i) => i);
  const testIds = all.filter((i) => heldOutVoice[index.clipVoices[i]]);
  const pool = all.filter((i) => !heldOutVoice[index.clipVoices[i]]);
  // Seeded order of the training voices' clips; the last validationSplit of
  // it is kept apart for the per-epoch validation numbers.
  const order = Array.from(seededShuffle(pool.length, config.seed), (k) => pool[k]);
  const nVal = Math.round(order.length * config.validationSplit);
  const nFit = Math.round((order.length - nVal) * config.trainFraction);
  const fitIds = order.slice(0, nFit), valIds = order.slice(order.length - nVal);
  const labelsOf = (ids) => tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ids.map((i) => index.labels[i]), 'int32'), CLASSES), 'float32'));

  const xs = await spectrogramsOf(ctx, pcm, fitIds, 'spectrograms');
  const ys = labelsOf(fitIds);
  const val = nVal > 0 ? [await spectrogramsOf(ctx, pcm, valIds, 'validation spectrograms'), labelsOf(valIds)] : null;

  const model = speechConvnet(CLASSES);
  kept = { model };
  model.compile({ optimizer: tf.train.adam(config.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const totalSteps = Math.ceil(nFit / config.batchSize) * config.epochs;
  const callbacks = fitReporter(ctx, totalSteps, 5);
  const t0 = performance.now();
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      // The learning rate steps down for the last third of the epochs.
      model.optimizer.learningRate = config.learningRate * (epoch >= config.epochs * 2 / 3 ? 0.2 : 1);
      // Every epoch hears the clips through other "voices" and at other times.
      const [xsEpoch, ysEpoch] = inSeededOrder([xs, ys], config.seed * 1000 + epoch);
      const heard = augment(xsEpoch, config.augment, config.seed * 1000 + epoch);
      xsEpoch.dispose();
      try {
        await model.fit(heard, ysEpoch, {
          epochs: 1,
          batchSize: config.batchSize,
          validationData: val ?? undefined,
          shuffle: false,
          yieldEvery: 'never',
          callbacks: callbacks(epoch),
        });
      } finally {
        tf.dispose([heard, ysEpoch]);
      }
    }
  } finally {
    tf.dispose([xs, ys, ...(val ?? [])]);
  }
  const trainMs = performance.now() - t0;
  ctx.emit({ type: 'progress', label: 'training', fraction: 1 });

  // Held-out voices: predicted classes and the confusion matrix.
  const xsTest = await spectrogramsOf(ctx, pcm, testIds, 'held-out spectrograms');
  const testLabels = testIds.map((i) => index.labels[i]);
  let predicted, confusion, correct, shown;
  try {
    const scores = tf.tidy(() => tf.argMax(model.predict(xsTest, { batchSize: 128 }), -1));
    const truth = tf.tensor1d(testLabels, 'int32');
    const matrix = tf.math.confusionMatrix(truth, scores, CLASSES);
    const hits = tf.tidy(() => tf.sum(tf.equal(truth, scores)));
    predicted = Array.from(await scores.data());
    const flat = await matrix.data();
    confusion = Array.from({ length: CLASSES }, (_, r) => Array.from(flat.subarray(r * CLASSES, (r + 1) * CLASSES)));
    correct = (await hits.data())[0];
    tf.dispose([scores, truth, matrix, hits]);
    shown = await examplesOf(xsTest, testIds, testLabels, predicted, index, config);
  } finally {
    xsTest.dispose();
  }

  return {
    metrics: { 'held-out accuracy': correct / testIds.length, 'held-out clips': testIds.length, 'training clips': nFit },
    targets: config.targets,
    trainMs,
    inferMs: await medianPredictMs(pcm.subarray(testIds[0] * CLIP_SAMPLES, (testIds[0] + 1) * CLIP_SAMPLES)),
    view: {
      classes: index.classes,
      heldOutVoices: index.voices.filter((v) => v.heldOut).map((v) => v.name),
      perVoice: perVoice(testIds, testLabels, predicted, index),
      confusion,
      examples: shown,
      // One held-out clip per class, for the page's "play a test clip".
      clips: index.classes.map((_, c) => {
        const i = testIds[testLabels.indexOf(c)];
        return { label: c, word: index.words[i], voice: index.voices[index.clipVoices[i]].name,
          pcm: pcm.slice(i * CLIP_SAMPLES, (i + 1) * CLIP_SAMPLES) };
      }),
    },
  };
}

/**
 * The spectrograms under a random map per clip (tf.image.transform): the
 * frequency axis stretched by a factor within 1 +- a.warp (a longer or
 * shorter vocal tract: another voice, as in vocal tract length perturbation)
 * and the frames shifted by up to +-a.shift (the word said earlier or later).
 * Edges repeat the nearest row or column. With a.tilt > 0 the frequency
 * axis is also bent by a random k within +-a.tilt: bin x reads bin
 * (1 + k) x / (1 + k x / 232), so low and high bins move by different
 * factors (slopes 1 + k and 1 / (1 + k)), as formants of other voices do.
 * Then, with a.mask > 0, one band
 * of up to a.mask bins and one run of up to a.mask / 4 frames are set to the
 * clip's mean (as in SpecAugment), so no single formant or moment decides.
 * a = null: unchanged.
 */
function augment(xs, a, seed) {
  if (!a) return tf.clone(xs);
  const n = xs.shape[0];
  const rand = seededRandom(seed);
  const rows = new Float32Array(n * 8);
  const bends = new Float32Array(n * 8);
  const bands = new Float32Array(n * 4); // per clip: first bin, end bin, first frame, end frame
  for (let i = 0; i < n; i++) {
    const stretch = 1 + (2 * rand() - 1) * a.warp;
    const shift = (2 * rand() - 1) * a.shift;
    // Output (bin x, frame y) reads input (x / stretch, y + shift).
    rows.set([1 / stretch, 0, 0, 0, 1, shift, 0, 0], i * 8);
    const k = (2 * rand() - 1) * (a.tilt ?? 0);
    bends.set([1 + k, 0, 0, 0, 0, 0, k / BINS, 0], i * 8);
    const bw = Math.floor(rand() * ((a.mask ?? 0) + 1)), b0 = Math.floor(rand() * (BINS - bw));
    const fw = Math.floor(rand() * (Math.floor((a.mask ?? 0) / 4) + 1)), f0 = Math.floor(rand() * (FRAMES - fw));
    bands.set([b0, b0 + bw, f0, f0 + fw], i * 4);
  }
  return tf.tidy(() => {
    let warped = tf.image.transform(xs, tf.tensor2d(rows, [n, 8]), 'bilinear', 'nearest');
    if (a.tilt) {
      // A projective map divides both coordinates, so the frames become
      // channels of a one-row image [n, 1, 232, 43] that only bins move in.
      const rowsOfBins = tf.reshape(tf.transpose(tf.reshape(warped, [n, FRAMES, BINS]), [0, 2, 1]), [n, 1, BINS, FRAMES]);
      const bent = tf.image.transform(rowsOfBins, tf.tensor2d(bends, [n, 8]), 'bilinear', 'nearest');
      warped = tf.reshape(tf.transpose(tf.reshape(bent, [n, BINS, FRAMES]), [0, 2, 1]), [n, FRAMES, BINS, 1]);
    }
    if (!a.mask) return warped;
    // keep = outside the band and outside the run; spectrograms have mean 0.
    const [b0, b1, f0, f1] = tf.split(tf.reshape(tf.tensor2d(bands, [n, 4]), [n, 1, 1, 4]), 4, -1);
    const bin = tf.reshape(tf.range(0, BINS), [1, 1, BINS, 1]);
    const frame = tf.reshape(tf.range(0, FRAMES), [1, FRAMES, 1, 1]);
    const inside = (v, lo, hi) => tf.logicalAnd(tf.greaterEqual(v, lo), tf.less(v, hi));
    const masked = tf.logicalOr(inside(bin, b0, b1), inside(frame, f0, f1));
    return tf.where(masked, tf.zerosLike(warped), warped);
  });
}

/** Accuracy per held-out voice: [{voice, correct, clips}]. */
function perVoice(testIds, testLabels, predicted, index) {
  const byVoice = new Map();
  testIds.forEach((i, j) => {
    const name = index.voices[index.clipVoices[i]].name;
    const v = byVoice.get(name) ?? { voice: name, correct: 0, clips: 0 };
    v.clips++;
    if (predicted[j] === testLabels[j]) v.correct++;
    byVoice.set(name, v);
  });
  return [...byVoice.values()];
}

/** `config.examples` held-out clips in a seeded random order: spectrogram, true and predicted label. */
async function examplesOf(xsTest, testIds, testLabels, predicted, index, config) {
  const picks = Array.from(seededShuffle(testIds.length, config.seed + 1)).slice(0, config.examples);
  const t = tf.tidy(() => tf.gather(xsTest, tf.tensor1d(picks, 'int32')));
  const data = await t.data();
  t.dispose();
  return picks.map((j, k) => ({
    frames: FRAMES, bins: BINS,
    values: data.slice(k * FRAMES * BINS, (k + 1) * FRAMES * BINS),
    label: testLabels[j], predicted: predicted[j],
    word: index.words[testIds[j]], voice: index.voices[index.clipVoices[testIds[j]]].name,
  }));
}

/** Median time of predict() on one clip (spectrogram + model), after a warm-up of 5 calls. */
async function medianPredictMs(pcm) {
  const audio = tf.tidy(() => tf.squeeze(pcmToTensor(pcm)));
  const samples = await audio.data();
  audio.dispose();
  const times = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    await predict(samples);
    times.push(performance.now() - t0);
  }
  return times.slice(5).sort((a, b) => a - b)[10];
}

/**
 * Class probabilities of one clip with the trained model.
 * @param {Float32Array} samples  44,032 samples at 44.1 kHz in [-1, 1]
 * @returns {Promise<number[]>} 20 probabilities, in the order of view.classes
 */
export async function predict(samples) {
  if (!kept) throw new Error('speech-commands: no trained model (run() first)');
  if (!samples || samples.length !== CLIP_SAMPLES) {
    throw new Error(`speech-commands: predict() takes ${CLIP_SAMPLES} samples, got ${samples && samples.length}`);
  }
  const p = tf.tidy(() => tf.squeeze(kept.model.predict(spectrograms(tf.tensor2d(samples, [1, CLIP_SAMPLES])))));
  const probs = await p.data();
  p.dispose();
  return Array.from(probs);
}

/** Frees the trained model and its optimizer. */
export function dispose() {
  if (kept) disposeTrained(kept.model);
  kept = null;
}

// tfjs-layers registers the gradients model.fit needs when imported.
void tfl;
