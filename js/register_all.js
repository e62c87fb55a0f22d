/**
 * Every kernel config of the backend, in one list (backendName is added on
 * registration); withComplex routes complex64 inputs (js/kernels/complex.js).
 */
import { KERNELS as BINARY } from './kernels/binary.js';
import { KERNELS as COMPLEX, withComplex } from './kernels/complex.js';
import { KERNELS as CONV } from './kernels/conv.js';
import { KERNELS as CONV_GRAD } from './kernels/conv_grad.js';
import { KERNELS as DEPTHWISE } from './kernels/depthwise.js';
import { KERNELS as EINSUM } from './kernels/einsum.js';
import { KERNELS as IMAGE } from './kernels/image.js';
import { KERNELS as LAYOUT } from './kernels/layout.js';
import { KERNELS as MATMUL } from './kernels/matmul.js';
import { KERNELS as MISC } from './kernels/misc.js';
import { KERNELS as LAYOUT_NOCOPY } from './kernels/nocopy.js';
import { KERNELS as MORPH } from './kernels/morph.js';
import { KERNELS as NORM } from './kernels/norm.js';
import { KERNELS as POOL } from './kernels/pool.js';
import { KERNELS as REDUCE } from './kernels/reduce.js';
import { KERNELS as SCAN } from './kernels/scan.js';
import { KERNELS as SCATTER } from './kernels/scatter.js';
import { KERNELS as SORT } from './kernels/sort.js';
import { KERNELS as SPACE } from './kernels/space.js';
import { KERNELS as UNARY } from './kernels/unary.js';

export const KERNELS = withComplex([
  ...BINARY,
  ...COMPLEX,
  ...CONV,
  ...CONV_GRAD,
  ...DEPTHWISE,
  ...EINSUM,
  ...IMAGE,
  ...LAYOUT,
  ...MATMUL,
  ...MISC,
  ...LAYOUT_NOCOPY,
  ...MORPH,
  ...NORM,
  ...POOL,
  ...REDUCE,
  ...SCAN,
  ...SCATTER,
  ...SORT,
  ...SPACE,
  ...UNARY,
]);
