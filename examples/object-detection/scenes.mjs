// Synthetic scenes for the simple object detector (the book's section 5.2):
// on a black 224x224 canvas, one target shape (an axis-aligned rectangle or a
// randomly rotated equilateral triangle, random colour and size) drawn between
// two halves of the noise (filled circles and line segments of random colours),
// which may cover parts of it. The parameters of each scene are a few numbers
// from a seeded generator; the pixels are drawn with tf ops on the current
// backend (masks from distance, box and half-plane tests on a coordinate grid,
// then the top-most layer's colour), so the same seed gives the same scenes in
// a page, a Worker and Node.
import * as tf from '@tensorflow/tfjs-core';

import { seededRandom } from '../common/random.mjs';

export const SIZE = 224;

/** Sizes in pixels (ranges [min, max)) and noise counts; noise is split evenly below and above the target. */
export const SCENE_DEFAULTS = {
  circles: 10, lines: 10,
  circleRadius: [5, 20], lineWidth: [2, 5],
  rectSide: [40, 100], triangleSide: [50, 100],
  triangleProbability: 0.5,
};

/**
 * Draws the parameters of n scenes from `seed`: per scene the target's class
 * (0 rectangle, 1 triangle), geometry and colour, its bounding box
 * [left, right, top, bottom] (pixels), and the noise shapes.
 * @param {number} n
 * @param {number} seed
 * @param {Partial<typeof SCENE_DEFAULTS>} [options]
 */
export function sceneParams(n, seed, options = {}) {
  const o = { ...SCENE_DEFAULTS, ...options };
  const rand = seededRandom(seed);
  const between = ([lo, hi]) => lo + (hi - lo) * rand();
  const colour = () => [255 * rand(), 255 * rand(), 255 * rand()];
  const scenes = [];
  for (let i = 0; i < n; i++) {
    const isTriangle = rand() < o.triangleProbability;
    let target;
    if (isTriangle) {
      const side = between(o.triangleSide);
      const cx = side / 2 + (SIZE - side) * rand(), cy = side / 2 + (SIZE - side) * rand();
      const radius = side / Math.sqrt(3); // centre to vertex
      const angle = 2 * Math.PI * rand();
      const vx = [0, 1, 2].map((k) => cx + radius * Math.cos(angle + k * 2 * Math.PI / 3));
      const vy = [0, 1, 2].map((k) => cy + radius * Math.sin(angle + k * 2 * Math.PI / 3));
      target = { cx, cy, radius, angle, box: [Math.min(...vx), Math.max(...vx), Math.min(...vy), Math.max(...vy)] };
    } else {
      const w = between(o.rectSide), h = between(o.rectSide);
      const cx = w / 2 + (SIZE - w) * rand(), cy = h / 2 + (SIZE - h) * rand();
      target = { cx, cy, w, h, box: [cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2] };
    }
    target.colour = colour();
    const circles = Array.from({ length: o.circles }, () => ({
      cx: SIZE * rand(), cy: SIZE * rand(), r: between(o.circleRadius), colour: colour(),
    }));
    const lines = Array.from({ length: o.lines }, () => ({
      x0: SIZE * rand(), y0: SIZE * rand(), x1: SIZE * rand(), y1: SIZE * rand(),
      width: between(o.lineWidth), colour: colour(),
    }));
    scenes.push({ isTriangle, target, circles, lines });
  }
  return scenes;
}

/** Column tensor [n, 1, 1, k] of f(scene, j) for j < k, broadcasting against the [1, H, W, 1] grid. */
function perLayer(scenes, k, f) {
  const v = new Float32Array(scenes.length * k);
  scenes.forEach((s, i) => { for (let j = 0; j < k; j++) v[i * k + j] = f(s, j); });
  return tf.tensor4d(v, [scenes.length, 1, 1, k]);
}

/**
 * Renders scenes as a float32 tensor [n, 224, 224, 3] of 0..255 values.
 * Layers, bottom to top: first half of the circles, first half of the lines,
 * the target, the other circles, the other lines.
 * @param {ReturnType<typeof sceneParams>} scenes
 * @returns {tf.Tensor4D}
 */
export function renderScenes(scenes) {
  return tf.tidy(() => {
    const n = scenes.length;
    const coords = tf.add(tf.range(0, SIZE), 0.5); // pixel centres
    const x = tf.reshape(coords, [1, 1, SIZE, 1]);
    const y = tf.reshape(coords, [1, SIZE, 1, 1]);
    const nc = scenes[0].circles.length, nl = scenes[0].lines.length;

    // Circles: inside when the squared distance to the centre is at most r^2.
    const c = (key) => perLayer(scenes, nc, (s, j) => s.circles[j][key]);
    const circles = tf.lessEqual(
      tf.add(tf.square(tf.sub(x, c('cx'))), tf.square(tf.sub(y, c('cy')))), tf.square(c('r')));

    // Line segments a->b: distance from the pixel to the nearest point of the segment.
    const l = (key) => perLayer(scenes, nl, (s, j) => s.lines[j][key]);
    const ax = l('x0'), ay = l('y0');
    const dx = tf.sub(l('x1'), ax), dy = tf.sub(l('y1'), ay);
    const px = tf.sub(x, ax), py = tf.sub(y, ay);
    const t = tf.clipByValue(tf.div(tf.add(tf.mul(px, dx), tf.mul(py, dy)),
      tf.maximum(tf.add(tf.square(dx), tf.square(dy)), 1e-6)), 0, 1);
    const lines = tf.lessEqual(
      tf.add(tf.square(tf.sub(px, tf.mul(t, dx))), tf.square(tf.sub(py, tf.mul(t, dy)))),
      tf.square(tf.div(l('width'), 2)));

    // Target: rectangle by a box test; triangle by three half-planes, the
    // pixel's projection on each centre->vertex direction being >= -inradius.
    const g = (f) => perLayer(scenes, 1, (s) => f(s.target, s));
    const tx = tf.sub(x, g((o) => o.cx)), ty = tf.sub(y, g((o) => o.cy));
    const rect = tf.logicalAnd(
      tf.lessEqual(tf.abs(tx), g((o) => (o.w ?? 0) / 2)),
      tf.lessEqual(tf.abs(ty), g((o) => (o.h ?? 0) / 2)));
    let tri = null;
    for (let k = 0; k < 3; k++) {
      const a = (o) => (o.angle ?? 0) + k * 2 * Math.PI / 3;
      const proj = tf.add(tf.mul(tx, g((o) => Math.cos(a(o)))), tf.mul(ty, g((o) => Math.sin(a(o)))));
      const inside = tf.greaterEqual(proj, g((o) => -(o.radius ?? 0) / 2));
      tri = tri ? tf.logicalAnd(tri, inside) : inside;
    }
    const target = tf.where(tf.cast(g((_, s) => (s.isTriangle ? 1 : 0)), 'bool'), tri, rect);

    // Painter's order; layer index 0 is the black background.
    const hc = nc >> 1, hl = nl >> 1;
    const masks = tf.cast(tf.concat([
      tf.slice(circles, [0, 0, 0, 0], [-1, -1, -1, hc]),
      tf.slice(lines, [0, 0, 0, 0], [-1, -1, -1, hl]),
      target,
      tf.slice(circles, [0, 0, 0, hc], [-1, -1, -1, -1]),
      tf.slice(lines, [0, 0, 0, hl], [-1, -1, -1, -1]),
    ], 3), 'float32');
    const layers = nc + nl + 1;
    const top = tf.max(tf.mul(masks, tf.range(1, layers + 1)), 3); // [n, H, W]
    const colours = new Float32Array(n * (layers + 1) * 3);
    scenes.forEach((s, i) => {
      const order = [...s.circles.slice(0, hc), ...s.lines.slice(0, hl), s.target,
        ...s.circles.slice(hc), ...s.lines.slice(hl)];
      order.forEach((o, j) => colours.set(o.colour, (i * (layers + 1) + j + 1) * 3));
    });
    const pick = tf.reshape(tf.oneHot(tf.cast(top, 'int32'), layers + 1), [n, SIZE * SIZE, layers + 1]);
    const image = tf.matMul(pick, tf.tensor3d(colours, [n, layers + 1, 3]));
    return tf.reshape(image, [n, SIZE, SIZE, 3]);
  });
}

/**
 * The book's target rows: [class, left, right, top, bottom] per scene, class
 * 0 for a rectangle and 1 for a triangle, box edges in pixels.
 * @param {ReturnType<typeof sceneParams>} scenes
 * @returns {Float32Array} n * 5 numbers
 */
export function sceneTargets(scenes) {
  const out = new Float32Array(scenes.length * 5);
  scenes.forEach((s, i) => out.set([s.isTriangle ? 1 : 0, ...s.target.box], i * 5));
  return out;
}
