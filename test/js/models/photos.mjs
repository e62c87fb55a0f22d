// The photos of data/photos/ (scripts/fetch-photos.sh) decoded with pngjs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { PNG } from 'pngjs';

import { letterboxPixels } from '../../../examples/common/coco.mjs';

export const PHOTO_DIR = fileURLToPath(new URL('../../../data/photos/', import.meta.url));

/** Decodes data/photos/<name>.png into {width, height, rgb: Uint8Array (HWC)}. */
export function loadPhoto(name) {
  const path = `${PHOTO_DIR}${name}.png`;
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run bash scripts/fetch-photos.sh (part of scripts/setup.sh)`);
  }
  const png = PNG.sync.read(readFileSync(path));
  const n = png.width * png.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[3 * i] = png.data[4 * i];
    rgb[3 * i + 1] = png.data[4 * i + 1];
    rgb[3 * i + 2] = png.data[4 * i + 2];
  }
  return { width: png.width, height: png.height, rgb };
}

/**
 * A photo as a square model input of size x size x 3 (HWC) float values
 * scale * pixel + offset: padded to a square with black, the photo centred
 * (letterboxing, so that it keeps its aspect ratio), then resized
 * bilinearly as tf.image.resizeBilinear's defaults do. Plain JS (the
 * examples' letterboxPixels), so every backend gets the same input bytes.
 */
export function letterboxPhoto(photo, size, scale = 1, offset = 0) {
  const { width, height, rgb } = photo;
  return letterboxPixels({ data: rgb, width, height }, size, { channels: 3, scale, offset });
}

/** HWC -> CHW for one image of size x size x 3. */
export function toChw(hwc, size) {
  const out = new Float32Array(hwc.length);
  const plane = size * size;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = hwc[3 * i + c];
  }
  return out;
}
