// The photos of data/photos/ (scripts/fetch-photos.sh) decoded with pngjs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { PNG } from 'pngjs';

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
 * Pads a photo to a square with black, the photo centred (letterboxing), so
 * that resizing to a square model input keeps its aspect ratio.
 */
export function letterbox(photo) {
  const { width, height, rgb } = photo;
  const side = Math.max(width, height);
  const ox = Math.floor((side - width) / 2), oy = Math.floor((side - height) / 2);
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < height; y++) {
    out.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), ((y + oy) * side + ox) * 3);
  }
  return { width: side, height: side, rgb: out };
}

/**
 * Resizes a photo to size x size with bilinear interpolation (align_corners
 * false, no half-pixel centres, as tf.image.resizeBilinear's defaults) and
 * returns HWC float values scale * pixel + offset. Plain JS, so every backend
 * gets the same input bytes.
 */
export function resizePhoto(photo, size, scale = 1, offset = 0) {
  const { width, height, rgb } = photo;
  const out = new Float32Array(size * size * 3);
  const sy = height / size, sx = width / size;
  for (let y = 0; y < size; y++) {
    const fy = y * sy;
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, height - 1), dy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = x * sx;
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, width - 1), dx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const p00 = rgb[(y0 * width + x0) * 3 + c], p01 = rgb[(y0 * width + x1) * 3 + c];
        const p10 = rgb[(y1 * width + x0) * 3 + c], p11 = rgb[(y1 * width + x1) * 3 + c];
        const top = p00 + (p01 - p00) * dx, bottom = p10 + (p11 - p10) * dx;
        out[(y * size + x) * 3 + c] = scale * (top + (bottom - top) * dy) + offset;
      }
    }
  }
  return out;
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
