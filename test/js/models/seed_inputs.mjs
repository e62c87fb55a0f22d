// Inputs for the three seed models (examples/common/models.mjs), as
// {values, shape}: real MNIST digits, spectrogram-like values, the four
// photos of data/photos/ as MobileNet expects them.
import { createRequire } from 'node:module';

import { randomValues } from '../helpers.mjs';
import { SPEECH_INPUT } from '../../../examples/common/models.mjs';
import { letterboxPhoto, loadPhoto } from './photos.mjs';

const require = createRequire(import.meta.url);

/** n real MNIST digits (the mnist package), classes interleaved, pixels in [0, 1]: [n, 28, 28, 1]. */
export function mnistDigits(n) {
  const raw = [];
  for (let d = 0; d < 10; d++) raw.push(require(`mnist/src/digits/${d}.json`).data);
  const xs = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    const d = i % 10, k = Math.floor(i / 10);
    xs.set(raw[d].slice(k * 784, (k + 1) * 784), i * 784);
  }
  return { values: xs, shape: [n, 28, 28, 1] };
}

/**
 * n spectrogram-like inputs [n, 43, 232, 1]: normalised log spectra (about
 * zero mean, unit variance, as speech-commands feeds its model) made of a few
 * formant-like bands that drift over the 43 frames, plus noise.
 */
export function spectrograms(n) {
  const [frames, bins] = SPEECH_INPUT;
  const noise = randomValues(n * frames * bins, 11, -0.5, 0.5);
  const xs = new Float32Array(n * frames * bins);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < frames; t++) {
      for (let f = 0; f < bins; f++) {
        let v = -1 + 0.6 * Math.cos(f / 37);
        for (let b = 1; b <= 3; b++) {
          const centre = 25 * b + 10 * Math.sin(t / 7 + i + b);
          v += 1.5 * Math.exp(-((f - centre) ** 2) / 30);
        }
        const at = (i * frames + t) * bins + f;
        xs[at] = v + noise[at];
      }
    }
  }
  return { values: xs, shape: [n, frames, bins, 1] };
}

/** n photos [n, 224, 224, 3] in [-1, 1] as MobileNet expects: the four photos in turn, row i with noise of seed i. */
export function photos(n) {
  const base = ['astronaut', 'chelsea', 'coffee', 'motorcycle_left']
      .map((p) => letterboxPhoto(loadPhoto(p), 224, 1 / 127.5, -1));
  const size = 224 * 224 * 3;
  const xs = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const img = base[i % base.length];
    const noise = i < base.length ? null : randomValues(size, 1000 + i, -0.1, 0.1);
    for (let j = 0; j < size; j++) xs[i * size + j] = img[j] + (noise ? noise[j] : 0);
  }
  return { values: xs, shape: [n, 224, 224, 3] };
}
