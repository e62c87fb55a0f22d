/** Every kernel config of the backend, in one list (backendName is added on registration). */
import { KERNELS as LAYOUT_NOCOPY } from './kernels/nocopy.js';

export const KERNELS = [
  ...LAYOUT_NOCOPY,
];
