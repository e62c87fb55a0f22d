// The mini-program's one library file, lib/cwasm-wechat.js (CommonJS,
// built by scripts/build-wechat.mjs): tfjs-core, tfjs-converter, the
// 'cwasm' backend, its WeChat adapter and the CenterNet helpers.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

import * as cwasm from '../../../js/index.js';

export { tf, cwasm, loadGraphModel };
export {
  setupWechat, simdFromWechatVersion, fileSystemIO, PlatformWechat, utf8Encode, utf8Decode, atob,
} from '../../../js/platform/wechat.js';
export {
  CENTERNET_FILES, CENTERNET_SIZE, ensureModelFiles, loadCenternet, frameInput, detectFrame,
} from './detector.js';
