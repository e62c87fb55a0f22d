// Gradients that tfjs-core computes with a JS-filled tensor of ones the size
// of the input: Sum's and Mean's gradient multiply dy by ones(x.shape), so a
// batch-norm layer in training (tf.moments) fills and copies a typed array as
// large as its activations twice per step, and a fresh multi-megabyte typed
// array is slow to make. On 'cwasm' these gradients broadcast dy (Tile, in
// C) instead; the values are the same bit for bit (dy * 1 / n = dy / n). On
// any other backend tfjs-core's own gradient runs unchanged.
import {
  broadcastTo, cast, div, getBackend, getGradient, Mean, registerGradient, reshape, Sum, util,
} from '@tensorflow/tfjs-core';

/** dy as float32, reshaped to x's rank with 1 on the reduced axes. */
function expanded(dy, x, axes) {
  const shape = x.shape.slice();
  for (const a of axes) shape[a] = 1;
  const d = reshape(dy, shape);
  return d.dtype === 'float32' ? d : cast(d, 'float32');
}

/**
 * Replaces kernelName's gradient on 'cwasm' by grad(dy, x, attrs) (a tensor);
 * elsewhere the registered one runs. Nothing to replace when no gradient is
 * registered (a build of tfjs-core without gradients cannot train anyway).
 */
function overrideOnCwasm(kernelName, grad) {
  const original = getGradient(kernelName);
  if (!original) return;
  registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      if (getBackend() !== 'cwasm') return original.gradFunc(dy, saved, attrs);
      const [x] = saved;
      return { x: () => grad(dy, x, attrs) };
    },
  });
}

let registered = false;

/**
 * Called when the backend starts, not on import: by then tfjs-core has
 * registered its gradients whatever order a bundle evaluated the modules in.
 */
export function registerGradients() {
  if (registered) return;
  registered = true;
  overrideOnCwasm(Sum, (dy, x, { axis }) => broadcastTo(expanded(dy, x, util.parseAxisParam(axis, x.shape)), x.shape));
  overrideOnCwasm(Mean, (dy, x, { axis }) => {
    const axes = util.parseAxisParam(axis, x.shape);
    const reduceSize = util.sizeFromShape(axes.map((a) => x.shape[a]));
    return broadcastTo(div(expanded(dy, x, axes), reduceSize), x.shape);
  });
}
