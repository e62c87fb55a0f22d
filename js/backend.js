/**
 * BackendCwasm: the TF.js KernelBackend whose tensors live in wasm memory.
 *
 * Data store: dataId -> {ptr, bytes, shape, dtype, refCount, packed}. Numeric
 * tensors (float32, int32, bool as one byte) are held in wasm memory; strings
 * stay in JS. A complex64 entry holds no data itself: its complexTensorInfos
 * {real, imag} name two float32 entries of the store (its parts), each holding
 * one reference the complex entry drops when it is released. Parts are never
 * handed to tfjs-core: kernels copy into and out of them, so the engine's
 * bookkeeping of data ids stays exact. Typed-array views onto wasm memory are
 * taken fresh on every access, since memory can grow (and, with threads, is
 * shared).
 */
import { DataStorage, KernelBackend, engine, util } from '@tensorflow/tfjs-core';
import { cw_status } from './codes.js';
import { cString } from './loader.js';

const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1 };
const ARRAY_TYPE = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

/** Bytes of the ring used to pass small int arrays (shapes, perms) to C. */
const ARG_RING_BYTES = 1 << 18;

export class BackendCwasm extends KernelBackend {
  /**
   * @param {object} wasm the instantiated Emscripten module
   * @param {{variant: string, threads: number, vec: string}} info
   */
  constructor(wasm, info) {
    super();
    this.wasm = wasm;
    this.info = info;
    this.dataIdMap = new DataStorage(this, engine());
    this.dataIdNextNumber = 1;
    this.argRing = wasm._malloc(ARG_RING_BYTES) >>> 0;
    this.argUsed = 0;
  }

  // ---- wasm memory -------------------------------------------------------

  /** Fresh views onto wasm memory. */
  heapU8() { return this.wasm.HEAPU8; }

  /**
   * malloc that throws a useful Error instead of returning 0.
   * @param {number} bytes
   * @param {string} what the kernel or operation that asked
   */
  allocate(bytes, what) {
    // wasm32: one allocation is below 4 GiB (malloc takes a 32-bit size).
    // Pointers come back as signed i32: past 2 GiB they must be read unsigned.
    const ptr = bytes < 2 ** 32 - 65536 ? this.wasm._malloc(Math.max(bytes, 1)) >>> 0 : 0;
    if (ptr === 0) {
      throw new Error(
          `${what}: cannot allocate ${bytes} bytes: the WebAssembly memory ` +
          `(${this.heapU8().length} bytes now) cannot grow that far`);
    }
    return ptr;
  }

  /**
   * Copies a small int array (shape, perm, offsets) into the argument ring
   * and returns its pointer; valid until ARG_RING_BYTES more are written.
   * @param {ArrayLike<number>} values
   */
  i32(values) {
    const bytes = Math.max(4, values.length * 4);
    if (bytes > ARG_RING_BYTES / 4) {
      throw new Error(`cwasm: an argument list of ${values.length} integers is too long`);
    }
    if (this.argUsed + bytes > ARG_RING_BYTES) this.argUsed = 0;
    const ptr = this.argRing + this.argUsed;
    this.argUsed += (bytes + 15) & ~15;
    new Int32Array(this.heapU8().buffer, ptr, values.length).set(values);
    return ptr;
  }

  /** Pointer to the data of a tensor (TensorInfo or dataId holder). */
  ptr(t) {
    const d = this.dataIdMap.get(t.dataId);
    if (d.complexTensorInfos) throw new Error('cwasm: a complex64 tensor has no single data pointer');
    return d.ptr;
  }

  // ---- complex64 ---------------------------------------------------------

  /**
   * A complex64 tensor whose parts are real and imag (float32, same size),
   * taking over one reference of each (fresh kernel outputs, or parts of
   * another complex tensor after incRef).
   * @returns {object} TensorInfo of shape real.shape
   */
  makeComplex(real, imag) {
    const dataId = { id: this.dataIdNextNumber++ };
    const shape = real.shape.slice();
    this.setComplexEntry(dataId, shape, real, imag, 1);
    return { dataId, shape, dtype: 'complex64' };
  }

  setComplexEntry(dataId, shape, real, imag, refCount) {
    const complexTensorInfos = {
      real: { dataId: real.dataId, shape, dtype: 'float32' },
      imag: { dataId: imag.dataId, shape, dtype: 'float32' },
    };
    this.dataIdMap.set(dataId, { ptr: 0, bytes: 0, shape, dtype: 'complex64', refCount,
      packed: null, complexTensorInfos });
  }

  /**
   * The float32 parts of a complex64 tensor, shaped like t (borrowed: valid
   * while t is, never to be returned from a kernel).
   * @returns {{real: object, imag: object}}
   */
  complexParts(t) {
    const { real, imag } = this.dataIdMap.get(t.dataId).complexTensorInfos;
    return {
      real: { dataId: real.dataId, shape: t.shape, dtype: 'float32' },
      imag: { dataId: imag.dataId, shape: t.shape, dtype: 'float32' },
    };
  }

  /** A new tensor holding a copy of t's data (numeric dtypes). */
  copy(t, kernelName = 'cwasm') {
    const out = this.makeOutput(t.shape, t.dtype, kernelName);
    const src = this.ptr(t);
    const bytes = this.dataIdMap.get(out.dataId).bytes;
    this.heapU8().copyWithin(this.ptr(out), src, src + bytes);
    return out;
  }

  /** A typed-array view (not a copy) of a tensor's data in wasm memory. */
  view(t) {
    const d = this.dataIdMap.get(t.dataId);
    const n = util.sizeFromShape(d.shape);
    return new ARRAY_TYPE[d.dtype](this.heapU8().buffer, d.ptr, n);
  }

  /**
   * Throws the C error (named after the kernel) when status is not 0; disposes
   * the given outputs first so nothing leaks.
   * @param {number} status
   * @param {string} kernelName
   * @param {object[]} outputs
   */
  check(status, kernelName, outputs = []) {
    if (status === cw_status.CW_OK) return;
    for (const o of outputs) this.disposeData(o.dataId, true);
    const msgPtr = this.wasm._cwasm_error_message();
    const msg = cString(this.heapU8(), msgPtr);
    throw new Error(msg.startsWith(kernelName) ? msg : `${kernelName}: ${msg}`);
  }

  // ---- KernelBackend -----------------------------------------------------

  write(values, shape, dtype) {
    const dataId = { id: this.dataIdNextNumber++ };
    this.move(dataId, values, shape, dtype, 1);
    return dataId;
  }

  move(dataId, values, shape, dtype, refCount) {
    if (this.dataIdMap.has(dataId)) this.releaseEntry(this.dataIdMap.get(dataId));
    if (dtype === 'complex64') {
      // values, if given, are interleaved [re0, im0, re1, im1, ...].
      const { real, imag } = this.makeComplexParts(shape, 'cwasm write');
      if (values != null) {
        const n = util.sizeFromShape(shape);
        const tmp = this.allocate(n * 8, 'cwasm write');
        this.copyIn(tmp, values, 'float32', n * 8);
        const status = this.wasm._cwasm_complex_split(tmp, this.ptr(real), this.ptr(imag), n);
        this.wasm._free(tmp);
        this.check(status, 'cwasm write', [real, imag]);
      }
      this.setComplexEntry(dataId, shape, real, imag, refCount);
      return;
    }
    if (dtype === 'string') {
      this.dataIdMap.set(dataId, { ptr: 0, bytes: 0, shape, dtype, refCount, strings: values });
      return;
    }
    const bytesPer = BYTES_PER_ELEMENT[dtype];
    if (bytesPer == null) throw new Error(`cwasm: unsupported dtype ${dtype}`);
    const bytes = util.sizeFromShape(shape) * bytesPer;
    const ptr = this.allocate(bytes, 'cwasm write');
    this.dataIdMap.set(dataId, { ptr, bytes, shape, dtype, refCount, packed: null });
    if (values != null) this.copyIn(ptr, values, dtype, bytes);
  }

  copyIn(ptr, values, dtype, bytes) {
    const Type = ARRAY_TYPE[dtype];
    const typed = values instanceof Type ? values : Type.from(values);
    this.heapU8().set(new Uint8Array(typed.buffer, typed.byteOffset, bytes), ptr);
  }

  /** Two fresh float32 tensors of shape (uninitialised): parts for makeComplex. */
  makeComplexParts(shape, kernelName) {
    const real = this.makeOutput(shape, 'float32', kernelName);
    try {
      return { real, imag: this.makeOutput(shape, 'float32', kernelName) };
    } catch (e) {
      this.disposeData(real.dataId);
      throw e;
    }
  }

  makeTensorInfo(shape, dtype, values) {
    if (dtype === 'string' && values != null && values.length > 0 && util.isString(values[0])) {
      values = values.map((s) => util.encodeString(s));
    }
    if (dtype === 'string' || values != null) {
      const dataId = this.write(values, shape, dtype);
      return { dataId, shape, dtype };
    }
    return this.makeOutput(shape, dtype);
  }

  /**
   * Allocates an uninitialised output tensor.
   * @param {number[]} shape
   * @param {string} dtype
   * @param {string} kernelName
   */
  makeOutput(shape, dtype, kernelName = 'cwasm') {
    if (dtype === 'complex64') {
      const { real, imag } = this.makeComplexParts(shape, kernelName);
      return this.makeComplex(real, imag);
    }
    const bytesPer = BYTES_PER_ELEMENT[dtype];
    if (bytesPer == null) throw new Error(`${kernelName}: unsupported output dtype ${dtype}`);
    const bytes = util.sizeFromShape(shape) * bytesPer;
    const ptr = this.allocate(bytes, kernelName);
    const dataId = { id: this.dataIdNextNumber++ };
    shape = shape.slice();
    this.dataIdMap.set(dataId, { ptr, bytes, shape, dtype, refCount: 1, packed: null });
    return { dataId, shape, dtype };
  }

  readSync(dataId) {
    if (!this.dataIdMap.has(dataId)) throw new Error('cwasm: reading a tensor whose data was disposed');
    const d = this.dataIdMap.get(dataId);
    if (d.dtype === 'string') return d.strings;
    const n = util.sizeFromShape(d.shape);
    if (d.complexTensorInfos) {
      const { real, imag } = d.complexTensorInfos;
      const tmp = this.allocate(n * 8, 'cwasm read');
      try {
        const status = this.wasm._cwasm_complex_interleave(this.ptr(real), this.ptr(imag), tmp, n);
        this.check(status, 'cwasm read');
        return new Float32Array(this.heapU8().buffer, tmp, 2 * n).slice();
      } finally {
        this.wasm._free(tmp);
      }
    }
    return new ARRAY_TYPE[d.dtype](this.heapU8().buffer, d.ptr, n).slice();
  }

  async read(dataId) { return this.readSync(dataId); }

  incRef(dataId) {
    const d = this.dataIdMap.get(dataId);
    if (d != null) d.refCount++;
  }

  refCount(dataId) {
    return this.dataIdMap.has(dataId) ? this.dataIdMap.get(dataId).refCount : 0;
  }

  disposeData(dataId, force = false) {
    if (!this.dataIdMap.has(dataId)) return false;
    const d = this.dataIdMap.get(dataId);
    d.refCount--;
    if (!force && d.refCount > 0) return false;
    this.releaseEntry(d);
    this.dataIdMap.delete(dataId);
    return true;
  }

  releaseEntry(d) {
    if (d.complexTensorInfos) {
      const { real, imag } = d.complexTensorInfos;
      d.complexTensorInfos = null;
      this.disposeData(real.dataId);
      this.disposeData(imag.dataId);
    }
    if (d.ptr) this.wasm._free(d.ptr);
    if (d.packed) this.wasm._free(d.packed.ptr);
    d.ptr = 0;
    d.packed = null;
  }

  /**
   * The packed GEMM form of a weight tensor, cached on its data entry and
   * freed with it (tensors are immutable; write/move replace the entry).
   * @param {object} t TensorInfo of B: nb matrices [K,N] (or [N,K] if transposeB)
   */
  packedB(t, nb, K, N, transposeB, kernelName) {
    const d = this.dataIdMap.get(t.dataId);
    const key = `${nb}:${K}:${N}:${transposeB ? 1 : 0}`;
    if (d.packed && d.packed.key === key) return d.packed.ptr;
    if (d.packed) this.wasm._free(d.packed.ptr);
    d.packed = null;
    const floats = this.wasm._cwasm_gemm_packed_b_floats(K, N);
    const ptr = this.allocate(floats * 4 * nb, kernelName);
    this.wasm._cwasm_gemm_pack_b_batch(nb, K, N, d.ptr, transposeB ? 1 : 0, ptr);
    d.packed = { key, ptr, bytes: floats * 4 * nb };
    return ptr;
  }

  numDataIds() { return this.dataIdMap.numDataIds(); }

  /**
   * tf.memory() adds these fields: wasmMemoryBytes, the size of the wasm
   * memory (it only grows), and heapBytesInUse, the bytes malloc has handed
   * out and not taken back (tensors, packed weights, scratch).
   */
  memory() {
    return { unreliable: false, wasmMemoryBytes: this.heapU8().length, heapBytesInUse: this.wasm._cwasm_heap_in_use() >>> 0 };
  }

  async time(f) {
    const start = util.now();
    f();
    return { kernelMs: util.now() - start };
  }

  floatPrecision() { return 32; }

  epsilon() { return 1e-7; }

  dispose() {
    if (this.argRing) this.wasm._free(this.argRing);
    this.argRing = 0;
  }
}
