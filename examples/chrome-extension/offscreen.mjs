// The offscreen document: hosts tfjs-core on 'cwasm' (threaded SIMD variant
// when the document is cross-origin isolated, which the manifest's COOP/COEP
// keys make it) and CenterNet, all from the extension's own files. Answers
// {target: 'offscreen', type: 'detect', srcUrl} with the detections.
import * as tf from '@tensorflow/tfjs-core';

import * as cwasm from '../../dist/tfjs-backend-cwasm.esm.js';
import { detect, loadCenternet } from '../object-detection/coco.mjs';

const MIN_SCORE = 0.3;

let ready = null;  // Promise of the backend info, once

/** Starts 'cwasm' and loads the model, once. */
function start() {
  ready ??= (async () => {
    cwasm.setWasmPaths(chrome.runtime.getURL('cwasm/'));
    if (!(await tf.setBackend('cwasm'))) throw new Error("the 'cwasm' backend failed to start");
    await loadCenternet(chrome.runtime.getURL('models/centernet.json'));
    return { ...cwasm.getBackendInfo(), isolated: globalThis.crossOriginIsolated === true };
  })();
  return ready;
}

/** Fetches and decodes the image at srcUrl (the extension's host permissions allow any origin). */
async function loadImage(srcUrl) {
  const response = await fetch(srcUrl);
  if (!response.ok) throw new Error(`fetching the image failed: HTTP ${response.status}`);
  const blob = await response.blob();
  try {
    return await createImageBitmap(blob);
  } catch (e) {
    throw new Error(`the file at ${srcUrl} is not an image this browser can decode (${blob.type || 'no type'})`);
  }
}

async function detectUrl(srcUrl) {
  const info = await start();
  const image = await loadImage(srcUrl);
  try {
    const { detections, ms } = await detect(image, MIN_SCORE);
    return { ok: true, detections, ms, info, numTensors: tf.memory().numTensors };
  } finally {
    image.close();
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.target !== 'offscreen') return false;
  if (message.type !== 'detect') {
    sendResponse({ ok: false, error: `unknown request ${JSON.stringify(message.type)}` });
    return false;
  }
  detectUrl(message.srcUrl).then(sendResponse,
      (e) => sendResponse({ ok: false, error: e && e.message ? e.message : String(e) }));
  return true;  // answers asynchronously
});
