// The extension's service worker: the context-menu item on images, and the
// round trip image -> offscreen document (where the detector runs: service
// workers cannot start the Workers that wasm threads need) -> boxes drawn
// over the image in its page.
import { drawDetections } from './overlay.js';

const MENU_ID = 'cwasm-detect';
const OFFSCREEN_URL = 'offscreen.html';

/** What the last menu creation said: null while pending, then {ok, error?}. */
self.cwasmMenu = null;

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create(
      { id: MENU_ID, title: 'Detect objects with cwasm', contexts: ['image'] },
      () => {
        const e = chrome.runtime.lastError;
        self.cwasmMenu = e ? { ok: false, error: e.message } : { ok: true };
      });
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID) detectOnTab(info, tab);
});

let creating = null;  // the pending createDocument(), shared by concurrent clicks

/** Opens the offscreen document unless it is open already. */
async function ensureOffscreen() {
  const url = chrome.runtime.getURL(OFFSCREEN_URL);
  const open = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  if (open.length > 0) return;
  creating ??= chrome.offscreen.createDocument({
    url: OFFSCREEN_URL,
    reasons: ['WORKERS'],
    justification: 'runs the object detector in WebAssembly with threads, which need Workers',
  }).finally(() => { creating = null; });
  await creating;
}

/**
 * The menu item's action: detects objects in info.srcUrl and draws them over
 * that image in the tab (frame info.frameId). Returns the offscreen
 * document's answer: {ok, detections, info, ms} or {ok: false, error}.
 * @param {{srcUrl: string, frameId?: number}} info
 * @param {{id: number}} tab
 */
async function detectOnTab(info, tab) {
  let result;
  try {
    await ensureOffscreen();
    result = await chrome.runtime.sendMessage({ target: 'offscreen', type: 'detect', srcUrl: info.srcUrl });
    if (result == null) result = { ok: false, error: 'the offscreen document did not answer' };
  } catch (e) {
    result = { ok: false, error: e && e.message ? e.message : String(e) };
  }
  await chrome.scripting.executeScript({
    target: { tabId: tab.id, frameIds: [info.frameId ?? 0] },
    func: drawDetections,
    args: [info.srcUrl, result],
  });
  return result;
}

// The same function the menu item calls, for the extension's test (a native
// context menu cannot be clicked from a test).
self.cwasmDetectOnTab = detectOnTab;
