// COCO detection helpers shared by the object-detection page, the Chrome
// extension and the WeChat mini-program.
import * as tf from '@tensorflow/tfjs-core';

// The 80 COCO object classes in the order detectors trained on COCO number
// them (class index 0 is 'person').
export const COCO_LABELS = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
  'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat',
  'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack',
  'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball',
  'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket',
  'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair',
  'couch', 'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse',
  'remote', 'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink',
  'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier',
  'toothbrush',
];

/**
 * The rows of centernet's 'tower_0/detections' output (x1, y1, x2, y2 in
 * input pixels, score, class index; 6 values a row) as detections sorted by
 * score, best first: {label, cls, score, box: [x1, y1, x2, y2] in 0..1}.
 * @param {Float32Array} values  the output's values
 * @param {number} size  the model's square input size in pixels
 */
export function centernetDetections(values, size) {
  const found = [];
  for (let r = 0; r + 6 <= values.length; r += 6) {
    const cls = Math.round(values[r + 5]);
    found.push({
      label: COCO_LABELS[cls], cls, score: values[r + 4],
      box: [values[r] / size, values[r + 1] / size, values[r + 2] / size, values[r + 3] / size],
    });
  }
  return found.sort((a, b) => b.score - a.score);
}

/**
 * An RGB image tensor [h, w, 3] (any numeric dtype) as a square detector
 * input [1, size, size, 3] float32: padded to a square with black, the image
 * centred (letterboxing), then resized. Returns the input (the caller
 * disposes it) and the letterbox, which unletterbox() needs.
 * @param {tf.Tensor3D} rgb
 * @param {number} size
 */
export function letterboxInput(rgb, size) {
  const [h, w] = rgb.shape;
  const side = Math.max(w, h);
  const padX = (side - w) >> 1, padY = (side - h) >> 1;
  const input = tf.tidy(() => {
    const square = tf.pad(tf.cast(rgb, 'float32'), [[padY, side - h - padY], [padX, side - w - padX], [0, 0]]);
    return tf.expandDims(tf.image.resizeBilinear(square, [size, size]), 0);
  });
  return { input, letterbox: { w, h, side, padX, padY } };
}

/**
 * The detections at or above minScore with their boxes moved from 0..1 of
 * the letterboxed square to 0..1 of the original image (clamped).
 */
export function unletterbox(detections, { w, h, side, padX, padY }, minScore) {
  return detections.filter((d) => d.score >= minScore).map((d) => ({
    ...d,
    box: [
      (d.box[0] * side - padX) / w, (d.box[1] * side - padY) / h,
      (d.box[2] * side - padX) / w, (d.box[3] * side - padY) / h,
    ].map((v) => Math.min(Math.max(v, 0), 1)),
  }));
}
