// The offscreen document: runs CenterNet on cwasm's standalone runtime (no
// tfjs-core; the threaded SIMD program when the document is cross-origin
// isolated, which the manifest's COOP/COEP keys make it), all from the
// extension's own files. Answers {target: 'offscreen', type: 'detect',
// srcUrl} with the detections.
import { loadModel } from '../../dist/cwasm-runtime.esm.js';
import { detectCenternet } from '../common/coco.mjs';

const MIN_SCORE = 0.3;

let ready = null;  // Promise of {model, info}, once

/** Starts the runtime and loads the model, once. */
function start() {
  ready ??= (async () => {
    const model = await loadModel(chrome.runtime.getURL('models/centernet.json'),
        { wasmPaths: chrome.runtime.getURL('cwasm/') });
    return { model, info: { ...model.info, isolated: globalThis.crossOriginIsolated === true } };
  })();
  return ready;
}

/**
 * Fetches and decodes the image at srcUrl (the extension's host permissions
 * allow any origin): {data: RGBA bytes, width, height}.
 */
async function loadImage(srcUrl) {
  const response = await fetch(srcUrl);
  if (!response.ok) throw new Error(`fetching the image failed: HTTP ${response.status}`);
  const blob = await response.blob();
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (e) {
    throw new Error(`the file at ${srcUrl} is not an image this browser can decode (${blob.type || 'no type'})`);
  }
  try {
    const { width, height } = bitmap;
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    return { data: context.getImageData(0, 0, width, height).data, width, height };
  } finally {
    bitmap.close();
  }
}

async function detectUrl(srcUrl) {
  const { model, info } = await start();
  const image = await loadImage(srcUrl);
  const { detections, ms } = detectCenternet(model, image, MIN_SCORE);
  // The wasm memory's size: a later detection of the same image must not grow it.
  return { ok: true, detections, ms, info, memoryBytes: model.wasm.HEAPU8.buffer.byteLength };
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
