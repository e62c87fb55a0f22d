/**
 * WeChat mini-program adapter: runs the 'cwasm' backend where there is no
 * fetch, no streaming compilation, no Worker, no SharedArrayBuffer and no
 * TextEncoder/TextDecoder, and where WebAssembly is WXWebAssembly.
 *
 *   const { tf, setupWechat, fileSystemIO } = require('./lib/cwasm-wechat.js');
 *   setupWechat({ wx, WXWebAssembly, wasmDir: '/lib/', simd: simdFromWechatVersion(version) });
 *   await tf.setBackend('cwasm');
 *   const model = await loadGraphModel(fileSystemIO('/models/model.json'));
 *
 * What WeChat documents, and this file relies on:
 * - WXWebAssembly.instantiate(path, imports) (base library 2.13.0) takes only
 *   a string, the path of a .wasm (or brotli-compressed .wasm.br) file inside
 *   the code package; SIMD is supported from WeChat 8.0.25.
 * - Code package files are read from the project root: '/a/b' and 'a/b' are
 *   valid paths, './a/b' and '../a/b' are not. Files written at run time live
 *   under wx.env.USER_DATA_PATH.
 * - wx.getFileSystemManager().readFile({filePath, encoding, success, fail})
 *   gives res.data, an ArrayBuffer without encoding, a string with one.
 *
 * The adapter is bundled from source together with js/index.js (as
 * scripts/build-wechat.mjs does), so both use one loader configuration.
 */
import { env, io, setPlatform } from '@tensorflow/tfjs-core';

import { setInstantiate, setVariant, setWasmPaths } from '../index.js';

/** The first WeChat version whose WXWebAssembly supports SIMD (WeChat's WXWebAssembly page). */
export const WECHAT_SIMD_VERSION = '8.0.25';

let fileSystem = null;  // wx.getFileSystemManager(), set by setupWechat

/**
 * Makes cwasm load and tfjs-core run in a WeChat mini-program. Call once,
 * before tf.setBackend('cwasm').
 * - The wasm is instantiated with WXWebAssembly.instantiate(wasmDir + file,
 *   imports): a code package path, never bytes, never fetch.
 * - The variant is 'simd' when simd is true, else 'scalar'; never 'threads'
 *   (no Worker, no SharedArrayBuffer). simd is the host's word (e.g.
 *   simdFromWechatVersion): WebAssembly.validate is not used.
 * - When tfjs-core found no platform (WeChat is neither a browser nor Node),
 *   the 'wechat' platform is set: UTF-8 without TextEncoder/TextDecoder,
 *   Date.now(), and a fetch that throws (models load with fileSystemIO).
 * - tfjs-core's global object gets an atob when it has none.
 * @param {{wx: object, WXWebAssembly: object, wasmDir?: string, simd: boolean}} options
 *   wasmDir: the package folder holding cwasm-simd.wasm and cwasm-scalar.wasm
 *   (default '/lib/').
 * @returns {{variant: string, wasmPath: string, platform: string}}
 */
export function setupWechat({ wx, WXWebAssembly, wasmDir = '/lib/', simd } = {}) {
  if (wx == null || typeof wx.getFileSystemManager !== 'function') {
    throw new Error('setupWechat: wx must be the mini-program\'s wx object (with getFileSystemManager)');
  }
  if (WXWebAssembly == null || typeof WXWebAssembly.instantiate !== 'function') {
    throw new Error('setupWechat: WXWebAssembly must be the mini-program\'s WXWebAssembly (base library 2.13.0 or later)');
  }
  if (typeof simd !== 'boolean') {
    throw new Error(`setupWechat: simd must be true or false (the host's word, e.g. simdFromWechatVersion()), got ${simd}`);
  }
  const dir = packageDir(wasmDir);
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
  fileSystem = wx.getFileSystemManager();
  if (env().platform == null) setPlatform('wechat', new PlatformWechat());
  // tfjs-converter decodes graph models' string attributes (padding,
  // data_format...) with env().global.atob, or Node's Buffer; neither can be
  // counted on in WeChat, whose logic layer gives tfjs-core `global` as its
  // global object.
  const global = env().global;
  if (typeof global.atob !== 'function') global.atob = atob;
  return { variant, wasmPath: `${dir}cwasm-${variant}.wasm`, platform: env().platformName };
}

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
 * An IOHandler for tf.loadGraphModel / tf.loadLayersModel reading model.json
 * at modelJsonPath and its weight shards (the paths in its weightsManifest,
 * relative to model.json's folder) with wx.getFileSystemManager().readFile.
 * modelJsonPath is a code package path ('/models/x/model.json') or a path
 * under wx.env.USER_DATA_PATH.
 * @param {string} modelJsonPath
 * @param {{fileSystem?: object}} options  a FileSystemManager (default: the one of setupWechat's wx)
 * @returns {{load: function(): Promise<object>}}
 */
export function fileSystemIO(modelJsonPath, options = {}) {
  checkFilePath(modelJsonPath, 'fileSystemIO');
  const dir = modelJsonPath.slice(0, modelJsonPath.lastIndexOf('/') + 1);
  return {
    load: async () => {
      const fs = options.fileSystem || fileSystem;
      if (fs == null) throw new Error('fileSystemIO: call setupWechat({wx, ...}) first, or pass {fileSystem}');
      let json;
      try {
        json = JSON.parse(await readFile(fs, modelJsonPath, 'utf8'));
      } catch (e) {
        throw new Error(`fileSystemIO: ${modelJsonPath} is not a model.json: ${e.message}`);
      }
      return io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = [];
        const shards = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) shards.push(await readFile(fs, joinPath(dir, p)));
        }
        return [specs, shards];
      });
    },
  };
}

/** readFile({filePath, encoding}) as a promise of res.data. */
function readFile(fs, filePath, encoding) {
  return new Promise((resolve, reject) => {
    const option = {
      filePath,
      success: (res) => resolve(res.data),
      fail: (res) => reject(new Error(`fileSystemIO: reading ${filePath} failed: ${res && res.errMsg || res}`)),
    };
    if (encoding) option.encoding = encoding;
    fs.readFile(option);
  });
}

function checkFilePath(p, what) {
  if (typeof p !== 'string' || p === '') throw new Error(`${what}: expected a file path string, got ${p}`);
  if (/^\.\.?\//.test(p)) {
    throw new Error(`${what}: '${p}' is relative; WeChat reads package files from the project root ('/dir/file' or 'dir/file')`);
  }
}

/** A weight path of the manifest, relative to model.json's folder. */
function joinPath(dir, p) {
  const rel = p.replace(/^(\.\/)+/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(rel) || rel.startsWith('/') || rel.split('/').includes('..')) {
    throw new Error(`fileSystemIO: weight path '${p}' must stay inside the folder of model.json`);
  }
  return dir + rel;
}

/** wasmDir as '/dir/' (a package path from the project root). */
function packageDir(wasmDir) {
  if (typeof wasmDir !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(wasmDir) || /^\.\.?\//.test(wasmDir) ||
      wasmDir.split('/').includes('..')) {
    throw new Error(`setupWechat: wasmDir must be a code package folder from the project root, e.g. '/lib/', got '${wasmDir}'`);
  }
  let dir = wasmDir.startsWith('/') ? wasmDir : `/${wasmDir}`;
  if (!dir.endsWith('/')) dir += '/';
  return dir;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The binary string (one character per byte) of base64 text, as the
 * browsers' atob gives it; throws on a character outside the alphabet.
 * @param {string} text
 * @returns {string}
 */
export function atob(text) {
  const clean = String(text).replace(/[\t\n\f\r ]+/g, '').replace(/={1,2}$/, '');
  if (clean.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(clean)) {
    throw new Error('atob: the string is not correctly base64-encoded');
  }
  let out = '';
  let bits = 0, n = 0;
  for (let i = 0; i < clean.length; i++) {
    bits = ((bits << 6) | BASE64.indexOf(clean[i])) & 0xffffff;
    n += 6;
    if (n >= 8) {
      n -= 8;
      out += String.fromCharCode((bits >> n) & 255);
    }
  }
  return out;
}

/** tfjs-core's Platform for WeChat. */
export class PlatformWechat {
  /** There is no fetch in a mini-program. */
  fetch(path) {
    throw new Error(`cwasm (WeChat): fetch('${path}') is not available in a mini-program; ` +
        'load models with the file-system IO handler: tf.loadGraphModel(fileSystemIO(path))');
  }

  now() { return Date.now(); }

  encode(text, encoding) {
    checkUtf8(encoding, 'encode');
    return utf8Encode(text);
  }

  decode(bytes, encoding) {
    checkUtf8(encoding, 'decode');
    return utf8Decode(bytes);
  }

  isTypedArray(a) {
    return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array ||
        a instanceof Uint8ClampedArray;
  }
}

function checkUtf8(encoding, what) {
  const e = String(encoding).toLowerCase();
  if (e !== 'utf-8' && e !== 'utf8') throw new Error(`PlatformWechat.${what}: only utf-8 is supported, got ${encoding}`);
}

/**
 * UTF-8 bytes of a string, as TextEncoder gives them (a lone surrogate
 * becomes U+FFFD).
 * @param {string} text
 * @returns {Uint8Array}
 */
export function utf8Encode(text) {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.slice(0, n);
}

/**
 * The string of UTF-8 bytes, as TextDecoder gives it: each malformed
 * sequence (bad lead byte, missing continuation, overlong form, surrogate,
 * beyond U+10FFFF) becomes one U+FFFD.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function utf8Decode(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer || bytes, bytes.byteOffset || 0, bytes.byteLength);
  const units = [];
  let s = '';
  for (let i = 0; i < u8.length;) {
    const b = u8[i];
    let c = 0xfffd, len = 1;
    if (b < 0x80) {
      c = b;
    } else if (b >= 0xc2 && b <= 0xf4) {
      const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
      // The second byte's range excludes overlong forms, surrogates and
      // code points past U+10FFFF.
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      let v = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
      let k = 1;
      for (; k <= need && i + k < u8.length; k++) {
        const x = u8[i + k];
        if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) break;
        v = (v << 6) | (x & 63);
      }
      if (k > need) c = v;
      len = k;  // a malformed sequence is replaced up to the offending byte
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else {
      units.push(c);
    }
    i += len;
    if (units.length >= 8192) {
      s += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  return s + String.fromCharCode.apply(null, units);
}
