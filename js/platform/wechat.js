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
 * What WeChat documents and this adapter relies on is listed in
 * wechat_base.js, which it shares with the standalone runtime's adapter
 * (wechat_runtime.js, for apps that only run models and need no tfjs-core).
 *
 * The adapter is bundled from source together with js/index.js (as
 * scripts/build-wechat.mjs does), so both use one loader configuration.
 */
import { env, io, setPlatform } from '@tensorflow/tfjs-core';

import { utf8Decode, utf8Encode } from '../utf8.js';
import { checkFilePath, folderOf, joinPath, readFile, useWXWebAssembly } from './wechat_base.js';

export { WECHAT_SIMD_VERSION, simdFromWechatVersion } from './wechat_base.js';
export { utf8Decode, utf8Encode } from '../utf8.js';

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
export function setupWechat(options) {
  const { variant, wasmPath, fileSystem: fs } = useWXWebAssembly(options, 'cwasm', 'setupWechat');
  fileSystem = fs;
  if (env().platform == null) setPlatform('wechat', new PlatformWechat());
  // tfjs-converter decodes graph models' string attributes (padding,
  // data_format...) with env().global.atob, or Node's Buffer; neither can be
  // counted on in WeChat, whose logic layer gives tfjs-core `global` as its
  // global object.
  const global = env().global;
  if (typeof global.atob !== 'function') global.atob = atob;
  return { variant, wasmPath, platform: env().platformName };
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
  const who = 'fileSystemIO';
  checkFilePath(modelJsonPath, who);
  const dir = folderOf(modelJsonPath);
  return {
    load: async () => {
      const fs = options.fileSystem || fileSystem;
      if (fs == null) throw new Error('fileSystemIO: call setupWechat({wx, ...}) first, or pass {fileSystem}');
      let json;
      try {
        json = JSON.parse(await readFile(fs, modelJsonPath, 'utf8', who));
      } catch (e) {
        throw new Error(`fileSystemIO: ${modelJsonPath} is not a model.json: ${e.message}`, { cause: e });
      }
      return io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = [];
        const shards = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) shards.push(await readFile(fs, joinPath(dir, p, who), null, who));
        }
        return [specs, shards];
      });
    },
  };
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
