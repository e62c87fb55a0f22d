/**
 * Loader: feature detection, variant choice and instantiation of the wasm.
 *
 * Variants: 'scalar', 'simd' (SIMD128), 'threads' (SIMD128 + pthreads).
 * Instantiation: by streaming (browsers), by ArrayBuffer (Node, or binaries
 * handed in), or through an injected instantiate function (platform adapters
 * such as WeChat's WXWebAssembly). Never eval, never Blob URLs: the threaded
 * variant's worker is the real file cwasm-threads.worker.js next to the wasm.
 */
// Two programs are built from the same C: the backend ('cwasm-<variant>',
// js/glue_backend.js) and the standalone runtime ('cwasm-runtime-<variant>',
// js/glue_runtime.js); each caller passes its program's name and glue
// factories, so a bundle carries only its own glue.
export const VARIANTS = ['scalar', 'simd', 'threads'];

const IS_NODE = typeof process === 'object' && process.versions != null &&
    process.versions.node != null && typeof window === 'undefined';

// Where this bundle was loaded from: the default place of the .wasm files.
const SCRIPT_URL = (() => {
  try {
    if (typeof import.meta !== 'undefined' && import.meta.url) return import.meta.url;
  } catch { /* not an ES module */ }
  if (typeof document !== 'undefined' && document.currentScript) return document.currentScript.src;
  if (typeof __filename !== 'undefined') return 'file://' + __filename;
  return null;
})();

const config = {
  wasmPaths: null,      // prefix string, or {fileName: url}
  threadsCount: null,   // requested thread count
  variant: null,        // forced variant
  instantiate: null,    // (fileName, imports) => Promise<{instance, module}>
  wasmBinaries: null,   // {variant: ArrayBuffer}
};

/**
 * Where to find the .wasm (and threaded worker) files: a prefix ending in
 * '/', or a map from file name to URL.
 * @param {string|Object<string,string>} prefixOrMap
 */
export function setWasmPaths(prefixOrMap) { config.wasmPaths = prefixOrMap; }

/** Thread count for the threaded variant; call before the backend starts. */
export function setThreadsCount(n) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setThreadsCount: expected a positive integer, got ${n}`);
  config.threadsCount = n;
}

/** Forces a variant ('scalar' | 'simd' | 'threads'); null restores detection. */
export function setVariant(variant) {
  if (variant != null && !VARIANTS.includes(variant)) {
    throw new Error(`setVariant: unknown variant '${variant}', expected one of ${VARIANTS.join(', ')}`);
  }
  config.variant = variant;
}

/** Injects the instantiate function (platform adapters). */
export function setInstantiate(fn) { config.instantiate = fn; }

/** Hands in the wasm bytes per variant ({simd: ArrayBuffer, ...}). */
export function setWasmBinaries(binaries) { config.wasmBinaries = binaries; }

// (module (func (result v128) v128.const 0))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** True when the engine validates a SIMD128 module. */
export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** True when shared memory and workers are usable (cross-origin isolated pages). */
export function threadsSupported() {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  if (IS_NODE) return true;
  return globalThis.crossOriginIsolated === true && typeof Worker !== 'undefined';
}

/** The variant that will be used, given detection and any forced choice. */
export function chooseVariant() {
  if (config.variant) return config.variant;
  if (!simdSupported()) return 'scalar';
  // In Node the threaded variant needs worker_threads and is opt-in.
  if (!IS_NODE && threadsSupported()) return 'threads';
  return 'simd';
}

function defaultThreads() {
  let cores = 1;
  if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) {
    cores = navigator.hardwareConcurrency;
  } else if (IS_NODE) {
    try {
      cores = require('os').availableParallelism();
    } catch { /* keep 1 */ }
  }
  return Math.max(1, Math.min(8, cores));
}

function fileUrl(fileName) {
  const p = config.wasmPaths;
  if (p != null && typeof p === 'object') {
    if (p[fileName] == null) throw new Error(`setWasmPaths: no path given for ${fileName}`);
    return p[fileName];
  }
  if (typeof p === 'string') return p + fileName;
  if (SCRIPT_URL == null) throw new Error(`cwasm: cannot tell where ${fileName} is; call setWasmPaths()`);
  return new URL(fileName, SCRIPT_URL).href;
}

function nodeRead(url) {
  const fs = require('fs');
  const path = url.startsWith('file:') ? require('url').fileURLToPath(url) : url;
  return fs.readFileSync(path);
}

/**
 * Instantiates the chosen variant of a program.
 * @param {{name: string, factories: Object<string, function>}} program the
 *     files' prefix ('cwasm' -> cwasm-simd.wasm, cwasm-threads.js, ...) and
 *     the Emscripten factory of each variant
 * @returns {Promise<{wasm: object, info: {variant: string, threads: number, vec: string}}>}
 */
export async function loadWasm(program) {
  const variant = chooseVariant();
  const wasmFile = `${program.name}-${variant}.wasm`;
  const threads = variant === 'threads' ? (config.threadsCount || defaultThreads()) : 1;
  const moduleArgs = {
    // The shared single-threaded glue asks for cwasm-simd.wasm whichever
    // variant runs: answer (and name in errors) the variant's own file.
    locateFile: (name) => {
      const file = name.endsWith('.wasm') ? wasmFile : name;
      return IS_NODE ? toPath(fileUrl(file)) : fileUrl(file);
    },
    print: (s) => console.log(s),
    printErr: (s) => console.warn(s),
  };
  if (variant === 'threads') {
    // Workers are started with the module; the caller is thread 0. At least
    // one: Emscripten 3.1.6 never finishes loading with an empty pool.
    moduleArgs.cwPoolSize = Math.max(1, threads - 1);
    moduleArgs.mainScriptUrlOrBlob = moduleArgs.locateFile(`${program.name}-threads.js`);
  }
  // instantiateWasm has no way to fail the Emscripten factory's promise:
  // race it against this one so a failed instantiation rejects loadWasm().
  let failInstantiate;
  const instantiateFailed = new Promise((_, reject) => { failInstantiate = reject; });
  const onInstantiateError = (e) =>
      failInstantiate(new Error(`cwasm: instantiating ${wasmFile} failed: ${e && e.message || e}`));
  const given = config.wasmBinaries && config.wasmBinaries[variant];
  if (config.instantiate) {
    moduleArgs.instantiateWasm = (imports, receive) => {
      config.instantiate(wasmFile, imports).then(
          ({ instance, module }) => receive(instance, module),
          onInstantiateError);
      return {};
    };
  } else if (given) {
    moduleArgs.wasmBinary = given;
  } else if (IS_NODE) {
    moduleArgs.wasmBinary = nodeRead(fileUrl(wasmFile));
  } else {
    moduleArgs.instantiateWasm = (imports, receive) => {
      instantiateInBrowser(fileUrl(wasmFile), imports).then(
          ({ instance, module }) => receive(instance, module),
          onInstantiateError);
      return {};
    };
  }
  const wasm = await Promise.race([program.factories[variant](moduleArgs), instantiateFailed]);
  const inUse = variant === 'threads' ? wasm._cwasm_threads_init(threads) : 1;
  if (IS_NODE && wasm.PThread) {
    // Pool workers must not keep a Node process alive.
    for (const w of [...wasm.PThread.runningWorkers, ...wasm.PThread.unusedWorkers]) {
      if (typeof w.unref === 'function') w.unref();
    }
  }
  const vec = cString(wasm.HEAPU8, wasm._cwasm_vec_name());
  return { wasm, info: { variant, threads: inUse, vec } };
}

/**
 * The NUL-terminated ASCII string at ptr in wasm memory (the C side's names
 * and error messages). Decoded by hand: WeChat mini-programs have no
 * TextDecoder.
 * @param {Uint8Array} u8
 * @param {number} ptr
 */
export function cString(u8, ptr) {
  let s = '';
  for (let i = ptr; u8[i] !== 0; i++) s += String.fromCharCode(u8[i]);
  return s;
}

function toPath(url) {
  return url.startsWith('file:') ? require('url').fileURLToPath(url) : url;
}

async function instantiateInBrowser(url, imports) {
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      return await WebAssembly.instantiateStreaming(fetch(url, { credentials: 'same-origin' }), imports);
    } catch {
      // Served with the wrong MIME type, or streaming unavailable: fall back.
    }
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`cwasm: fetching ${url} failed with HTTP ${response.status}`);
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
