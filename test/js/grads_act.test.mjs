// Gradients of the activations, losses and layers the book's convnets train
// through, on 'cwasm' against tfjs-backend-cpu: tf.grads of a scalar loss
// built from each op, with respect to every input.
import { test } from 'node:test';

import { matchesCpu, randomValues, tf } from './helpers.mjs';

const SHAPE = [3, 5, 7];
const N = SHAPE.reduce((a, b) => a * b);

/** Inputs that hit both sides of every kink (0 and 6 for relu6) without sitting on one. */
function x(seed = 1) {
  return tf.tensor(randomValues(N, seed, -8, 8), SHAPE);
}

/** name -> f(inputs...) whose gradient w.r.t. every input is compared; inputs: () => tensors. */
const CASES = {
  relu: { f: (a) => tf.relu(a), inputs: () => [x()] },
  relu6: { f: (a) => tf.relu6(a), inputs: () => [x()] },
  'leakyRelu(0.2)': { f: (a) => tf.leakyRelu(a, 0.2), inputs: () => [x()] },
  prelu: { f: (a, alpha) => tf.prelu(a, alpha), inputs: () => [x(), tf.tensor1d(randomValues(7, 2, 0, 0.5))] },
  elu: { f: (a) => tf.elu(a), inputs: () => [x()] },
  selu: { f: (a) => tf.selu(a), inputs: () => [x()] },
  sigmoid: { f: (a) => tf.sigmoid(a), inputs: () => [x()] },
  tanh: { f: (a) => tf.tanh(a), inputs: () => [x()] },
  'softmax + categorical cross-entropy': {
    f: (logits, labels) => tf.losses.softmaxCrossEntropy(labels, logits),
    inputs: () => [tf.tensor2d(randomValues(6 * 10, 3, -3, 3), [6, 10]), tf.cast(tf.oneHot(tf.tensor1d([0, 3, 9, 2, 2, 7], 'int32'), 10), 'float32')],
  },
  'softmax then log (the layers cross-entropy)': {
    f: (logits) => tf.neg(tf.sum(tf.mul(tf.log(tf.clipByValue(tf.softmax(logits), 1e-7, 1 - 1e-7)), tf.oneHot(tf.tensor1d([1, 4, 8], 'int32'), 10)))),
    inputs: () => [tf.tensor2d(randomValues(3 * 10, 4, -3, 3), [3, 10])],
  },
  'mean squared error': {
    f: (a, b) => tf.losses.meanSquaredError(a, b),
    inputs: () => [tf.tensor2d(randomValues(4 * 5, 5), [4, 5]), tf.tensor2d(randomValues(4 * 5, 6), [4, 5])],
  },
  'batch normalization': {
    f: (a, mean, variance, offset, scale) => tf.batchNorm(a, mean, variance, offset, scale, 1e-3),
    inputs: () => [x(), tf.tensor1d(randomValues(7, 7)), tf.tensor1d(randomValues(7, 8, 0.5, 2)),
      tf.tensor1d(randomValues(7, 9)), tf.tensor1d(randomValues(7, 10, 0.5, 1.5))],
  },
  'moments (batch statistics)': {
    f: (a) => { const m = tf.moments(a, [0, 1]); return tf.add(m.mean, tf.sqrt(m.variance)); },
    inputs: () => [x()],
  },
  'dropout(0.5, seeded)': { f: (a) => tf.dropout(a, 0.5, null, 42), inputs: () => [x()] },
  'flatten + dense (matMul + bias)': {
    f: (a, w, b) => tf.add(tf.matMul(tf.reshape(a, [3, 35]), w), b),
    inputs: () => [x(), tf.tensor2d(randomValues(35 * 4, 11), [35, 4]), tf.tensor1d(randomValues(4, 12))],
  },
  'maximum / minimum / clip': {
    f: (a, b) => tf.add(tf.maximum(a, b), tf.clipByValue(tf.minimum(a, b), -2, 3)),
    inputs: () => [x(1), x(2)],
  },
};

for (const [name, { f, inputs }] of Object.entries(CASES)) {
  test(`gradient of ${name} equals the cpu backend's`, async () => {
    await matchesCpu(() => {
      const xs = inputs();
      // A weighted sum, so every output element's gradient is distinct.
      const loss = (...args) => {
        const y = f(...args);
        return tf.sum(tf.mul(y, tf.tensor(randomValues(y.size, 99, 0.5, 1.5), y.shape)));
      };
      return tf.grads(loss)(xs);
    }, 1e-4, 1e-5, name);
  });
}
