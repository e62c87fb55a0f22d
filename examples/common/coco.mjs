// COCO detection helpers shared by the object-detection page, the Chrome
// extension and the WeChat mini-program. Plain JS, no tfjs-core: the
// extension and the mini-program run CenterNet on cwasm's standalone runtime.

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
 * Where a w x h image sits in the square it is letterboxed into (padded with
 * black, centred): {w, h, side, padX, padY}, what unletterbox() needs.
 */
export function letterboxOf(w, h) {
  const side = Math.max(w, h);
  return { w, h, side, padX: (side - w) >> 1, padY: (side - h) >> 1 };
}

/**
 * An image of bytes ({data, width, height}: rows of RGBA pixels, or RGB with
 * channels 3) as a square detector input of size x size x 3 float32 values
 * scale * pixel + offset, in plain JS: letterboxed as letterboxOf() says,
 * then resized bilinearly as tf.image.resizeBilinear's defaults do (align
 * corners false, no half-pixel centres), which the object-detection page's
 * letterboxInput does with tf ops. A pixel of the padding is 0.
 * @param {{data: ArrayLike<number>, width: number, height: number}} image
 * @param {number} size
 * @param {{channels?: number, scale?: number, offset?: number}} [options]
 * @returns {Float32Array}
 */
export function letterboxPixels({ data, width, height }, size, { channels = 4, scale = 1, offset = 0 } = {}) {
  const { side, padX, padY } = letterboxOf(width, height);
  const step = side / size;
  // Source columns (x - padX; out of the image: -1) and weights per output column.
  const x0s = new Int32Array(size), x1s = new Int32Array(size), dxs = new Float64Array(size);
  const inside = (v, n) => (v >= 0 && v < n ? v : -1);
  for (let x = 0; x < size; x++) {
    const fx = x * step;
    const x0 = Math.floor(fx);
    x0s[x] = inside(x0 - padX, width);
    x1s[x] = inside(Math.min(x0 + 1, side - 1) - padX, width);
    dxs[x] = fx - x0;
  }
  const pixel = (row, col, c) => (row < 0 || col < 0 ? 0 : data[(row * width + col) * channels + c]);
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const fy = y * step;
    const y0 = Math.floor(fy), dy = fy - y0;
    const r0 = inside(y0 - padY, height), r1 = inside(Math.min(y0 + 1, side - 1) - padY, height);
    for (let x = 0; x < size; x++) {
      const c0 = x0s[x], c1 = x1s[x], dx = dxs[x];
      for (let c = 0; c < 3; c++) {
        const p00 = pixel(r0, c0, c), p01 = pixel(r0, c1, c);
        const p10 = pixel(r1, c0, c), p11 = pixel(r1, c1, c);
        const top = p00 + (p01 - p00) * dx, bottom = p10 + (p11 - p10) * dx;
        out[(y * size + x) * 3 + c] = scale * (top + (bottom - top) * dy) + offset;
      }
    }
  }
  return out;
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

export const CENTERNET_SIZE = 512;
const CENTERNET_OUTPUT = 'tower_0/detections';

/**
 * Detections of CenterNet run by the standalone runtime (a model of
 * js/runtime.js's loadModel) in an image of bytes (see letterboxPixels),
 * best first, at or above minScore: {label, cls, score, box: [x1, y1, x2,
 * y2] in 0..1 of the image}, and the milliseconds of the model call.
 * @param {{predict: function}} model
 * @param {{data: ArrayLike<number>, width: number, height: number}} image
 * @param {number} minScore
 * @param {number} [channels] 4 for RGBA bytes, 3 for RGB
 */
export function detectCenternet(model, image, minScore, channels = 4) {
  const input = letterboxPixels(image, CENTERNET_SIZE, { channels });
  const t0 = Date.now();
  const out = model.predict(input, [1, CENTERNET_SIZE, CENTERNET_SIZE, 3]);
  const ms = Date.now() - t0;
  const found = centernetDetections(out[CENTERNET_OUTPUT].values, CENTERNET_SIZE);
  return { detections: unletterbox(found, letterboxOf(image.width, image.height), minScore), ms };
}
