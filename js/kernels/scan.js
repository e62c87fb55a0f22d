/**
 * Scan family: Cumsum and Cumprod along any axis, viewed as [outer, n, inner]
 * (src/kernels/scan, one C call). bool is scanned as int32, as
 * tfjs-backend-cpu upcasts it.
 */
import * as tfc from '@tensorflow/tfjs-core';

import { DTYPE_CODE, cw_scan_op } from '../codes.js';
import { cast } from './unary.js';

const { util } = tfc;

const { CW_SCAN_CUMSUM: CUMSUM, CW_SCAN_CUMPROD: CUMPROD } = cw_scan_op;

function scanKernel(kernelName, op) {
  return ({ inputs, attrs, backend }) => {
    const { x } = inputs;
    const { exclusive, reverse } = attrs;
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      throw new Error(`${kernelName}: ${x.dtype} tensors are not supported`);
    }
    const rank = x.shape.length;
    if (rank === 0) throw new Error(`${kernelName}: x must have rank >= 1, got a scalar`);
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
    const outer = util.sizeFromShape(x.shape.slice(0, axis));
    const inner = util.sizeFromShape(x.shape.slice(axis + 1));
    const xc = x.dtype === 'bool' ? cast(backend, x, 'int32') : x;
    const out = backend.makeOutput(x.shape, xc.dtype, kernelName);
    try {
      const status = backend.wasm._cwasm_scan(op, DTYPE_CODE[xc.dtype], backend.ptr(xc),
          backend.i32([outer, x.shape[axis], inner, exclusive ? 1 : 0, reverse ? 1 : 0]),
          backend.ptr(out));
      backend.check(status, kernelName, [out]);
    } finally {
      if (xc !== x) backend.disposeData(xc.dataId);
    }
    return out;
  };
}

export const KERNELS = [
  { kernelName: tfc.Cumsum, kernelFunc: scanKernel('Cumsum', CUMSUM) },
  { kernelName: tfc.Cumprod, kernelFunc: scanKernel('Cumprod', CUMPROD) },
];
