/**
 * WeChat mini-program adapter of the standalone runtime (js/runtime.js): runs
 * TF.js model.json files (graph-models, layers-models) with no tfjs-core, for
 * mini-programs that only infer. Its wasm is cwasm-runtime-simd.wasm or
 * cwasm-runtime-scalar.wasm from the code package, instantiated only with
 * WXWebAssembly.instantiate(path); never the threaded program.
 *
 *   const { setupWechatRuntime, simdFromWechatVersion, fileSystemSource, loadModel } =
 *       require('./lib/cwasm-runtime-wechat.js');
 *   setupWechatRuntime({ wx, WXWebAssembly, wasmDir: '/lib/', simd: simdFromWechatVersion(version) });
 *   const model = await loadModel(await fileSystemSource(`${wx.env.USER_DATA_PATH}/m/model.json`));
 *   const out = model.predict(values, shape);
 *
 * Bundled from source with js/runtime.js (scripts/build-wechat.mjs), so both
 * use one loader configuration. What WeChat documents and this relies on:
 * wechat_base.js, shared with the backend's adapter (wechat.js).
 */
import { checkFilePath, folderOf, joinPath, readFile, useWXWebAssembly } from './wechat_base.js';

export { WECHAT_SIMD_VERSION, simdFromWechatVersion } from './wechat_base.js';

let fileSystem = null;  // wx.getFileSystemManager(), set by setupWechatRuntime

/**
 * Makes the runtime load in a WeChat mini-program. Call once, before
 * loadModel or init.
 * - The wasm is instantiated with WXWebAssembly.instantiate(wasmDir + file,
 *   imports): a code package path, never bytes, never fetch.
 * - The program is 'simd' when simd is true, else 'scalar'; never 'threads'.
 *   simd is the host's word (e.g. simdFromWechatVersion):
 *   WebAssembly.validate is not used.
 * @param {{wx: object, WXWebAssembly: object, wasmDir?: string, simd: boolean}} options
 *   wasmDir: the package folder holding cwasm-runtime-simd.wasm and
 *   cwasm-runtime-scalar.wasm (default '/lib/').
 * @returns {{variant: string, wasmPath: string}}
 */
export function setupWechatRuntime(options) {
  const { variant, wasmPath, fileSystem: fs } = useWXWebAssembly(options, 'cwasm-runtime', 'setupWechatRuntime');
  fileSystem = fs;
  return { variant, wasmPath };
}

/**
 * The source loadModel takes, {model, readFile}, for model.json at
 * modelJsonPath and its weight files (the paths in its weightsManifest,
 * relative to model.json's folder), all read with
 * wx.getFileSystemManager().readFile. modelJsonPath is a code package path
 * ('/models/x/model.json') or a path under wx.env.USER_DATA_PATH.
 * @param {string} modelJsonPath
 * @param {{fileSystem?: object}} [options]  a FileSystemManager (default: the one of setupWechatRuntime's wx)
 * @returns {Promise<{model: ArrayBuffer, readFile: function(string): Promise<ArrayBuffer>}>}
 */
export async function fileSystemSource(modelJsonPath, options = {}) {
  const who = 'fileSystemSource';
  checkFilePath(modelJsonPath, who);
  const fs = options.fileSystem || fileSystem;
  if (fs == null) throw new Error(`${who}: call setupWechatRuntime({wx, ...}) first, or pass {fileSystem}`);
  const dir = folderOf(modelJsonPath);
  return {
    model: await readFile(fs, modelJsonPath, null, who),
    readFile: (p) => readFile(fs, joinPath(dir, p, who), null, who),
  };
}
