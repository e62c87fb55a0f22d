// Kernels that later issues add. A conformance failure is accepted by
// --check only when it is "Kernel 'X' not registered" for an X listed here;
// any wrong result, any error, or a missing kernel not listed fails the run.
// Remove names from here as the kernels land.
export const LATER = {
  // Issue 3 (convolutional forward kernels, pooling, image ops): all landed.
  3: [],
  // Issue 4 (gradients and the long tail): all landed.
  4: [],
};
