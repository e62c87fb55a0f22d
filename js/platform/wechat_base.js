/**
 * What the two WeChat mini-program adapters share: the backend's
 * (js/platform/wechat.js, with tfjs-core) and the standalone runtime's
 * (js/platform/wechat_runtime.js, without). No tfjs-core here.
 *
 * What WeChat documents, and the adapters rely on:
 * - WXWebAssembly.instantiate(path, imports) (base library 2.13.0) takes only
 *   a string, the path of a .wasm (or brotli-compressed .wasm.br) file inside
 *   the code package; SIMD is supported from WeChat 8.0.25.
 * - Code package files are read from the project root: '/a/b' and 'a/b' are
 *   valid paths, './a/b' and '../a/b' are not. Files written at run time live
 *   under wx.env.USER_DATA_PATH.
 * - wx.getFileSystemManager().readFile({filePath, encoding, success, fail})
 *   gives res.data, an ArrayBuffer without encoding, a string with one.
 * - There is no fetch, no streaming compilation, no Worker for wasm threads,
 *   no SharedArrayBuffer and no TextEncoder/TextDecoder.
 */
import { setInstantiate, setVariant, setWasmPaths } from '../loader.js';

/** The first WeChat version whose WXWebAssembly supports SIMD (WeChat's WXWebAssembly page). */
export const WECHAT_SIMD_VERSION = '8.0.25';

/**
 * True when WeChat version (wx.getAppBaseInfo().version, e.g. '8.0.30') is
 * WECHAT_SIMD_VERSION or later.
 * @param {string} version
 */
export function simdFromWechatVersion(version) {
  const have = String(version).split('.').map((p) => parseInt(p, 10) || 0);
  const need = WECHAT_SIMD_VERSION.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] || 0) !== need[i]) return (have[i] || 0) > need[i];
  }
  return true;
}

/**
 * Makes the loader instantiate program's wasm only with
 * WXWebAssembly.instantiate(wasmDir + file, imports): a code package path,
 * never bytes, never fetch. The variant is 'simd' when simd is true, else
 * 'scalar'; never 'threads'. simd is the host's word (e.g.
 * simdFromWechatVersion): WebAssembly.validate is not used.
 * @param {{wx: object, WXWebAssembly: object, wasmDir?: string, simd: boolean}} options
 * @param {string} program  the .wasm files' prefix ('cwasm', 'cwasm-runtime')
 * @param {string} who  the setup function's name, for errors
 * @returns {{variant: string, wasmPath: string, fileSystem: object}}
 */
export function useWXWebAssembly({ wx, WXWebAssembly, wasmDir = '/lib/', simd } = {}, program, who) {
  if (wx == null || typeof wx.getFileSystemManager !== 'function') {
    throw new Error(`${who}: wx must be the mini-program's wx object (with getFileSystemManager)`);
  }
  if (WXWebAssembly == null || typeof WXWebAssembly.instantiate !== 'function') {
    throw new Error(`${who}: WXWebAssembly must be the mini-program's WXWebAssembly (base library 2.13.0 or later)`);
  }
  if (typeof simd !== 'boolean') {
    throw new Error(`${who}: simd must be true or false (the host's word, e.g. simdFromWechatVersion()), got ${simd}`);
  }
  const dir = packageDir(wasmDir, who);
  const variant = simd ? 'simd' : 'scalar';
  setVariant(variant);
  setWasmPaths(dir);
  setInstantiate(async (fileName, imports) => {
    const result = await WXWebAssembly.instantiate(dir + fileName, imports);
    // WeChat's page calls it "similar to" WebAssembly.instantiate, which
    // resolves to {module, instance}; its official typings
    // (miniprogram-api-typings, lib.wx.wasm.d.ts) declare Promise<Instance>.
    // Both are accepted; the module is only needed by threaded builds.
    return result != null && result.instance != null ? result : { instance: result, module: null };
  });
  return { variant, wasmPath: `${dir}${program}-${variant}.wasm`, fileSystem: wx.getFileSystemManager() };
}

/**
 * readFile({filePath, encoding}) of a FileSystemManager as a promise of
 * res.data; who names the caller in errors.
 */
export function readFile(fs, filePath, encoding, who) {
  return new Promise((resolve, reject) => {
    const option = {
      filePath,
      success: (res) => resolve(res.data),
      fail: (res) => reject(new Error(`${who}: reading ${filePath} failed: ${res && res.errMsg || res}`)),
    };
    if (encoding) option.encoding = encoding;
    fs.readFile(option);
  });
}

/** Checks a model.json path: a package path from the root or a USER_DATA_PATH path. */
export function checkFilePath(p, who) {
  if (typeof p !== 'string' || p === '') throw new Error(`${who}: expected a file path string, got ${p}`);
  if (/^\.\.?\//.test(p)) {
    throw new Error(`${who}: '${p}' is relative; WeChat reads package files from the project root ('/dir/file' or 'dir/file')`);
  }
}

/** The folder of a model.json path, where its weight files are read from. */
export function folderOf(modelJsonPath) {
  return modelJsonPath.slice(0, modelJsonPath.lastIndexOf('/') + 1);
}

/** A weight path of the manifest, relative to model.json's folder dir. */
export function joinPath(dir, p, who) {
  const rel = String(p).replace(/^(\.\/)+/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.startsWith('/') || rel.split('/').includes('..')) {
    throw new Error(`${who}: weight path '${p}' must stay inside the folder of model.json`);
  }
  return dir + rel;
}

/** wasmDir as '/dir/' (a package path from the project root). */
function packageDir(wasmDir, who) {
  if (typeof wasmDir !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(wasmDir) || /^\.\.?\//.test(wasmDir) ||
      wasmDir.split('/').includes('..')) {
    throw new Error(`${who}: wasmDir must be a code package folder from the project root, e.g. '/lib/', got '${wasmDir}'`);
  }
  let dir = wasmDir.startsWith('/') ? wasmDir : `/${wasmDir}`;
  if (!dir.endsWith('/')) dir += '/';
  return dir;
}
