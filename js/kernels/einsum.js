/**
 * Einsum, composed of the C kernels: tfjs-core's backend_util plans the
 * contraction (decodeEinsumEquation, getEinsumComputePath,
 * getEinsumPermutation); each operand is transposed into the plan's axis
 * order and given size-1 axes for the ones it lacks (Transpose, a reshape
 * without copy), operands are multiplied with broadcasting (Multiply) and
 * each summed axis is reduced as soon as no later operand needs it (Sum).
 */
import * as tfc from '@tensorflow/tfjs-core';

import { cw_binary_op, cw_reduce_op } from '../codes.js';
import { binary } from './binary.js';
import { transpose } from './layout.js';
import { shareAs } from './nocopy.js';
import { reduce } from './reduce.js';

const { backend_util } = tfc;
const MULTIPLY = cw_binary_op.CW_BINARY_MUL, SUM = cw_reduce_op.CW_REDUCE_SUM;

function einsum({ inputs, attrs, backend }) {
  const operands = inputs;
  const { allDims, summedDims, idDims } = backend_util.decodeEinsumEquation(attrs.equation, operands.length);
  backend_util.checkEinsumDimSizes(allDims.length, idDims, operands);
  const { path, steps } = backend_util.getEinsumComputePath(summedDims, idDims);
  const owned = new Set();  // intermediate results this call allocated
  const drop = (t) => {
    if (owned.delete(t)) backend.disposeData(t.dataId);
  };
  let acc = null;
  let dims = allDims.length;  // axes the accumulated product still has
  try {
    steps.forEach((terms, i) => {
      for (const term of terms) {
        const { permutationIndices, expandDims } = backend_util.getEinsumPermutation(dims, idDims[term]);
        let x = operands[term];
        if (!backend_util.isIdentityPermutation(permutationIndices)) {
          x = transpose(backend, x, permutationIndices);
          owned.add(x);
        }
        if (expandDims.length > 0) {
          const shape = [...x.shape];
          for (const d of expandDims) shape.splice(d, 0, 1);
          const y = shareAs(backend, x, shape);
          drop(x);
          owned.add(y);
          x = y;
        }
        if (acc === null) {
          acc = x;
        } else {
          const product = binary(backend, 'Einsum', MULTIPLY, x, acc);
          drop(x);
          drop(acc);
          owned.add(product);
          acc = product;
        }
      }
      if (i < steps.length - 1) {
        if (path[i] >= 0) {
          const summed = reduce(backend, 'Einsum', SUM, acc, [path[i] - (allDims.length - dims)], false);
          drop(acc);
          owned.add(summed);
          acc = summed;
        }
        dims--;
      }
    });
    if (owned.has(acc)) {
      owned.delete(acc);
      return acc;
    }
    return shareAs(backend, acc, acc.shape);  // an operand unchanged
  } finally {
    for (const t of owned) backend.disposeData(t.dataId);
  }
}

export const KERNELS = [{ kernelName: tfc.Einsum, kernelFunc: einsum }];
