/**
 * The standalone runtime: a TF.js graph-model or layers-model run entirely in
 * WebAssembly by cwasm's C graph executor (src/graph), without tfjs-core.
 *
 *   const m = await loadModel('https://host/model/model.json', { threads: 2 });
 *   const out = m.predict(pixels, [1, 512, 512, 3]);  // {name: {values, shape, dtype}}
 *   m.dispose();
 *
 * The model is parsed, its weights decoded and every op checked in C when it
 * loads (all problems reported at once, in one Error); the first predict for
 * a set of input shapes plans it (shapes inferred, constants folded, one
 * arena for every intermediate), later ones only run it.
 */
import { DTYPE_NAME, cw_status } from './codes.js';
import { RUNTIME_PROGRAM } from './glue_runtime.js';
import { cString, loadWasm, setThreadsCount, setVariant, setWasmPaths } from './loader.js';
import { utf8Decode, utf8Encode } from './utf8.js';

const ARRAYS = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

let wasmPromise = null;

/** The shared wasm instance of the runtime (started once). */
function runtimeWasm(options) {
  if (!wasmPromise) {
    if (options.wasmPaths) setWasmPaths(options.wasmPaths);
    if (options.threads) setThreadsCount(options.threads);
    if (options.variant) setVariant(options.variant);
    wasmPromise = loadWasm(RUNTIME_PROGRAM);
  }
  return wasmPromise;
}

// TextEncoder and TextDecoder where the host has them; WeChat mini-programs
// do not (js/platform/wechat_runtime.js).
const encodeText = (s) => (typeof TextEncoder === 'function' ? new TextEncoder().encode(s) : utf8Encode(s));
const decodeText = (b) => (typeof TextDecoder === 'function' ? new TextDecoder().decode(b) : utf8Decode(b));

function toBytes(x) {
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (typeof x === 'string') return encodeText(x);
  return encodeText(JSON.stringify(x));
}

/** model.json and its shard bytes per manifest group, from a URL or files. */
async function readSource(source) {
  let json;
  let readFile;
  if (typeof source === 'string') {
    const base = source.slice(0, source.lastIndexOf('/') + 1);
    const get = async (url) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`loadModel: ${url}: HTTP ${r.status}`);
      return r.arrayBuffer();
    };
    json = toBytes(await get(source));
    readFile = (p) => get(base + p);
  } else if (source && source.model != null && typeof source.readFile === 'function') {
    json = toBytes(source.model);
    readFile = source.readFile;
  } else {
    throw new Error('loadModel: expected the URL of model.json or {model, readFile(path)}');
  }
  let manifest;
  try {
    manifest = JSON.parse(decodeText(json)).weightsManifest || [];
  } catch {
    manifest = []; // the C parser reports what is wrong with it
  }
  const groups = [];
  for (const group of Array.isArray(manifest) ? manifest : []) {
    const parts = await Promise.all((group.paths || []).map((p) => readFile(p)));
    groups.push(parts.map(toBytes));
  }
  return { json, groups };
}

/**
 * Starts the runtime's wasm (loadModel does it too): which variant, how many
 * threads, which vector mapping.
 * @param {{wasmPaths?: (string|object), threads?: number, variant?: string}} [options]
 * @returns {Promise<{variant: string, threads: number, vec: string}>}
 */
export async function init(options = {}) {
  const { info } = await runtimeWasm(options);
  return { ...info };
}

/**
 * Loads a graph-model or a layers-model (model.json as tfjs-converter or
 * model.save writes it, and its weight files).
 * @param {string|{model: (ArrayBuffer|string|object), readFile: function(string): Promise<ArrayBuffer>}} source
 * @param {{wasmPaths?: (string|object), threads?: number, variant?: string}} [options]
 * @returns {Promise<Model>}
 */
export async function loadModel(source, options = {}) {
  const [{ json, groups }, { wasm, info }] = await Promise.all([readSource(source), runtimeWasm(options)]);
  const sizes = groups.map((parts) => parts.reduce((s, p) => s + p.length, 0));
  const total = sizes.reduce((s, n) => s + n, 0);
  const jsonPtr = wasm._malloc(Math.max(1, json.length)) >>> 0;
  const weightsPtr = wasm._malloc(Math.max(1, total)) >>> 0;
  const sizesPtr = wasm._malloc(Math.max(4, sizes.length * 4)) >>> 0;
  let model;
  try {
    if (!jsonPtr || !weightsPtr || !sizesPtr) throw new Error(`loadModel: cannot allocate ${total} bytes of weights`);
    wasm.HEAPU8.set(json, jsonPtr);
    let at = weightsPtr;
    for (const parts of groups) for (const p of parts) { wasm.HEAPU8.set(p, at); at += p.length; }
    new Uint32Array(wasm.HEAPU8.buffer, sizesPtr, sizes.length).set(sizes);
    model = wasm._cwasm_model_load(jsonPtr, json.length, weightsPtr, sizesPtr, sizes.length) >>> 0;
  } finally {
    wasm._free(jsonPtr);
    wasm._free(weightsPtr);
    wasm._free(sizesPtr);
  }
  if (!model) throw new Error(`loadModel: ${cString(wasm.HEAPU8, wasm._cwasm_error_message())}`);
  const problems = wasm._cwasm_model_problems(model) >>> 0;
  if (problems) {
    const text = cString(wasm.HEAPU8, problems);
    wasm._cwasm_model_free(model);
    throw new Error(`loadModel: the model cannot run:\n${text}`);
  }
  return new Model(wasm, info, model);
}

/** Whether the inputs have the shapes (and buffers) a plan was made for. */
function sameShapes(planned, given) {
  if (planned.length !== given.length) return false;
  for (let i = 0; i < given.length; i++) {
    const a = planned[i].s, b = given[i].s;
    if (planned[i].ptr !== given[i].ptr || a.length !== b.length) return false;
    for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  }
  return true;
}

/** A loaded model (see loadModel). */
export class Model {
  constructor(wasm, info, ptr) {
    this.wasm = wasm;
    this.info = info;
    this.ptr = ptr;
    const str = (p) => cString(wasm.HEAPU8, p >>> 0);
    /** @type {{name: string, dtype: string, shape: number[]|null}[]} */
    this.inputs = [];
    for (let i = 0; i < wasm._cwasm_model_input_count(ptr); i++) {
      const rank = wasm._cwasm_model_input_rank(ptr, i);
      const shape = rank < 0 ? null : Array.from({ length: rank }, (_, d) => wasm._cwasm_model_input_dim(ptr, i, d));
      this.inputs.push({ name: str(wasm._cwasm_model_input_name(ptr, i)), dtype: DTYPE_NAME[wasm._cwasm_model_input_dtype(ptr, i)], shape });
    }
    /** @type {{name: string}[]} */
    this.outputs = [];
    for (let i = 0; i < wasm._cwasm_model_output_count(ptr); i++) {
      this.outputs.push({ name: str(wasm._cwasm_model_output_name(ptr, i)) });
    }
    this.buffers = this.inputs.map(() => ({ ptr: 0, bytes: 0 }));
    this.args = { ptr: 0, bytes: 0 };
    this.plan = null;
  }

  /**
   * Runs the model.
   * @param {ArrayBufferView|Object<string, ArrayBufferView>} inputs one input's values, or values by input name
   * @param {number[]|Object<string, number[]>} shape its shape, or shapes by input name
   * @returns {Object<string, {values: ArrayBufferView, shape: number[], dtype: string}>} outputs by name
   */
  predict(inputs, shape) {
    const { wasm } = this;
    if (!this.ptr) throw new Error('predict: the model was disposed');
    const byName = ArrayBuffer.isView(inputs) ? { [this.inputs[0] && this.inputs[0].name]: inputs } : inputs;
    const shapes = Array.isArray(shape) ? { [this.inputs[0] && this.inputs[0].name]: shape } : (shape || {});
    const given = this.inputs.map((inp, i) => {
      const values = byName[inp.name];
      const s = shapes[inp.name] || (values && inp.shape && inp.shape.every((d) => d >= 0) ? inp.shape : null);
      if (!values) throw new Error(`predict: no values for input '${inp.name}'`);
      if (!s) throw new Error(`predict: no shape for input '${inp.name}'`);
      const n = s.reduce((a, b) => a * b, 1);
      const Type = ARRAYS[inp.dtype];
      if (!(values instanceof Type) || values.length !== n) {
        throw new Error(`predict: input '${inp.name}' needs a ${Type.name} of ${n} values for shape [${s}], got ${values.constructor.name}(${values.length})`);
      }
      const ptr = this.buffer(this.buffers[i], values.byteLength, `input '${inp.name}'`);
      wasm.HEAPU8.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), ptr);
      return { s, ptr };
    });
    // A plan (C) and the outputs' dtypes and shapes (JS) are kept until the
    // input shapes change.
    let plan = this.plan;
    if (!plan || !sameShapes(plan.shapes, given)) plan = this.replan(given);
    this.check(wasm._cwasm_model_run(this.ptr, plan.runArgs), 'predict');
    const out = {};
    plan.outputs.forEach((o, i) => {
      const ptr = wasm._cwasm_model_output_data(this.ptr, i) >>> 0;
      const values = new o.Type(o.n);
      values.set(new o.Type(wasm.HEAPU8.buffer, ptr, o.n));
      out[o.name] = { values, shape: o.shape.slice(), dtype: o.dtype };
    });
    return out;
  }

  /** Plans for the given inputs' shapes; returns what predict keeps of the plan. */
  replan(given) {
    const { wasm } = this;
    this.plan = null;
    const dims = given.flatMap((g) => g.s);
    const argBytes = 4 * (dims.length + 2 * given.length) + 4;
    const args = this.buffer(this.args, argBytes, 'the arguments');
    const i32 = new Int32Array(wasm.HEAPU8.buffer, args, argBytes / 4);
    i32.set(dims, 0);
    i32.set(given.map((g) => g.s.length), dims.length);
    i32.set(given.map((g) => g.ptr), dims.length + given.length);
    this.check(wasm._cwasm_model_plan(this.ptr, args, args + 4 * dims.length), 'predict');
    const outputs = this.outputs.map((o, i) => {
      const dtype = DTYPE_NAME[wasm._cwasm_model_output_dtype(this.ptr, i)];
      const rank = wasm._cwasm_model_output_rank(this.ptr, i);
      const shape = Array.from({ length: rank }, (_, d) => wasm._cwasm_model_output_dim(this.ptr, i, d));
      return { name: o.name, dtype, Type: ARRAYS[dtype], shape, n: shape.reduce((a, b) => a * b, 1) };
    });
    this.plan = {
      shapes: given.map((g) => ({ s: g.s.slice(), ptr: g.ptr })),
      runArgs: args + 4 * (dims.length + given.length),
      outputs,
    };
    return this.plan;
  }

  /** The wasm address of buffer b (kept between calls), grown to at least bytes. */
  buffer(b, bytes, what) {
    if (b.bytes < bytes) {
      if (b.ptr) this.wasm._free(b.ptr);
      b.ptr = this.wasm._malloc(Math.max(1, bytes)) >>> 0;
      b.bytes = b.ptr ? bytes : 0;
      if (!b.ptr) throw new Error(`predict: cannot allocate ${bytes} bytes for ${what}`);
    }
    return b.ptr;
  }

  check(status, what) {
    if (status === cw_status.CW_OK) return;
    throw new Error(`${what}: ${cString(this.wasm.HEAPU8, this.wasm._cwasm_error_message())}`);
  }

  /** Frees the model's memory (weights, plan, input buffers). */
  dispose() {
    if (!this.ptr) return;
    for (const b of [...this.buffers, this.args]) if (b.ptr) this.wasm._free(b.ptr);
    this.wasm._cwasm_model_free(this.ptr);
    this.ptr = 0;
  }
}
