// The ops the browser tests compare between 'cwasm' and 'cpu'. A classic
// script shared by the UMD and the ESM page: it defines
// globalThis.cwasmRunOps(tf, backendName), which switches tf to that backend,
// runs every op on the same deterministic inputs and returns
// {backend, results: {name: {shape, dtype, values}}} as plain data.
(function () {
  'use strict';

  // Deterministic values in [lo, hi); test/js/helpers.mjs imports this
  // script for it (globalThis.cwasmRandomValues).
  function randomValues(n, seed, lo, hi) {
    lo = lo == null ? -1 : lo;
    hi = hi == null ? 1 : hi;
    let s = seed >>> 0;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = lo + (hi - lo) * (s / 4294967296);
    }
    return out;
  }

  globalThis.cwasmRandomValues = randomValues;

  function size(shape) {
    return shape.reduce((a, b) => a * b, 1);
  }

  function rand(tf, shape, seed, lo, hi) {
    return tf.tensor(randomValues(size(shape), seed, lo, hi), shape, 'float32');
  }

  // name -> (tf) => Tensor; inputs are made inside, on the current backend.
  const OPS = {
    matMul_67x45_by_45x33: (tf) => tf.matMul(rand(tf, [67, 45], 1), rand(tf, [45, 33], 2)),
    matMul_transposeB: (tf) => tf.matMul(rand(tf, [19, 31], 3), rand(tf, [23, 31], 4), false, true),
    batchMatMul_broadcast: (tf) => tf.matMul(rand(tf, [2, 3, 9, 13], 5), rand(tf, [3, 13, 6], 6)),
    batchMatMul_broadcast_both_sides: (tf) => tf.matMul(rand(tf, [2, 1, 9, 13], 22), rand(tf, [3, 13, 6], 23)),
    add_broadcast: (tf) => tf.add(rand(tf, [4, 1, 6], 7), rand(tf, [5, 1], 8)),
    sum_axis1: (tf) => tf.sum(rand(tf, [7, 11, 5], 9), 1),
    sum_axes02_keepDims: (tf) => tf.sum(rand(tf, [7, 11, 5], 10), [0, 2], true),
    max_axis2: (tf) => tf.max(rand(tf, [6, 4, 9], 11), 2),
    max_axes01: (tf) => tf.max(rand(tf, [6, 4, 9], 12), [0, 1]),
    softmax: (tf) => tf.softmax(rand(tf, [9, 17], 13, -4, 4)),
    transpose_201: (tf) => tf.transpose(rand(tf, [3, 4, 5], 14), [2, 0, 1]),
    concat_axis1: (tf) => tf.concat([rand(tf, [3, 4], 15), rand(tf, [3, 2], 16), rand(tf, [3, 5], 17)], 1),
    gather_axis0: (tf) => tf.gather(rand(tf, [10, 6], 18), tf.tensor1d([3, 0, 9, 3], 'int32'), 0),
    gather_axis1: (tf) => tf.gather(rand(tf, [5, 8], 19), tf.tensor1d([7, 1, 1], 'int32'), 1),
    relu: (tf) => tf.relu(rand(tf, [257], 20, -6, 6)),
    sigmoid: (tf) => tf.sigmoid(rand(tf, [257], 21, -6, 6)),
  };

  // tfjs-backend-cpu 4.22's BatchMatMul is wrong when both batch shapes
  // broadcast ([2,1] against [3]: it computes max(2, 3) = 3 batches, not 6),
  // so on 'cpu' such an op is computed on explicitly tiled inputs.
  const CPU_REFERENCE = {
    batchMatMul_broadcast_both_sides: (tf) => tf.matMul(
        tf.tile(rand(tf, [2, 1, 9, 13], 22), [1, 3, 1, 1]),
        tf.tile(rand(tf, [1, 3, 13, 6], 23), [2, 1, 1, 1])),
  };

  globalThis.cwasmRunOps = async function (tf, backendName) {
    const ok = await tf.setBackend(backendName);
    if (!ok || tf.getBackend() !== backendName) {
      throw new Error(`cwasmRunOps: tf.setBackend('${backendName}') failed (backend is ${tf.getBackend()})`);
    }
    const results = {};
    for (const name of Object.keys(OPS)) {
      const op = backendName === 'cpu' && CPU_REFERENCE[name] ? CPU_REFERENCE[name] : OPS[name];
      const t = tf.tidy(() => op(tf));
      results[name] = { shape: t.shape, dtype: t.dtype, values: Array.from(await t.data()) };
      t.dispose();
    }
    return { backend: tf.getBackend(), results };
  };
})();
