// The mini-program's one library file, lib/cwasm-runtime-wechat.js
// (CommonJS, built by scripts/build-wechat.mjs): cwasm's standalone runtime
// (no tfjs-core), its WeChat adapter and the CenterNet helpers.
export { init, loadModel } from '../../../js/runtime.js';
export {
  setupWechatRuntime, simdFromWechatVersion, fileSystemSource,
} from '../../../js/platform/wechat_runtime.js';
export {
  CENTERNET_FILES, CENTERNET_SIZE, ensureModelFiles, loadCenternet, detectFrame,
} from './detector.js';
