// The Chrome extension (examples/chrome-extension, Manifest V3), built by
// scripts/build-extension.mjs and loaded unpacked into Debian's Chromium
// (headless, a fresh profile). A local page shows astronaut.png; the
// context-menu item's action (the function its onClicked listener calls: a
// native menu cannot be clicked from a test) must draw a person box over the
// photo, computed by CenterNet on the threaded program of cwasm's standalone
// runtime in the offscreen document (no tfjs-core in the package); the model
// and the wasm come from the package, not the network.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { CWASM_FILES, buildExtension } from '../../scripts/build-extension.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './harness.mjs';
import { startServer } from './server.mjs';

const PAGE = '/test/browser/extension.html';

describe('Chrome extension (Manifest V3)', () => {
  let dir, server, profile, context, worker, page;
  const pageErrors = [];

  before(async () => {
    dir = await buildExtension();
    // A plain web page: not cross-origin isolated, no CORP on its image.
    server = await startServer({ isolate: false });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cwasm-extension-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
    });
    worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 20000 });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.origin + PAGE, { waitUntil: 'load' });
  });

  after(async () => {
    await context?.close().catch(() => {});
    await server?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  /** Runs the menu item's action on the image at srcUrl in the test page's tab. */
  const detectOnPage = (srcUrl) => worker.evaluate(async ({ srcUrl, pageUrl }) => {
    const [tab] = await chrome.tabs.query({ url: pageUrl });
    if (!tab) throw new Error(`no tab shows ${pageUrl}`);
    return self.cwasmDetectOnTab({ srcUrl, frameId: 0 }, tab);
  }, { srcUrl, pageUrl: server.origin + PAGE });

  const overlays = () => page.evaluate(() => [...document.querySelectorAll('.cwasm-overlay')].map((o) => ({
    error: o.classList.contains('cwasm-error'),
    text: o.textContent,
    boxes: [...o.querySelectorAll('.cwasm-box')].map((b) => ({
      label: b.dataset.label, score: Number(b.dataset.score), rect: b.getBoundingClientRect().toJSON(),
    })),
  })));

  test('the manifest allows wasm and nothing looser, isolates extension pages and packages all code', () => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    assert.equal(m.manifest_version, 3);
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    assert.equal(m.cross_origin_embedder_policy.value, 'require-corp');
    assert.equal(m.cross_origin_opener_policy.value, 'same-origin');
    assert.deepEqual(m.background, { service_worker: 'background.js', type: 'module' });
    assert.ok(fs.existsSync(path.join(dir, m.background.service_worker)));
    // Every script the offscreen document loads is a file of the package.
    const html = fs.readFileSync(path.join(dir, 'offscreen.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((s) => s[1]);
    assert.ok(scripts.length > 0);
    for (const s of scripts) {
      assert.doesNotMatch(s, /^[a-z]+:/i, `offscreen.html loads ${s}`);
      assert.ok(fs.existsSync(path.join(dir, s)), `${s} is packaged`);
    }
  });

  test('the package holds the standalone runtime only: its .wasm files and threaded worker, no tfjs-core', () => {
    assert.deepEqual(fs.readdirSync(path.join(dir, 'cwasm')).sort(), [...CWASM_FILES].sort());
    assert.ok(CWASM_FILES.every((f) => f.startsWith('cwasm-runtime-')));
    // tfjs-core's flag registry is in any bundle that holds tfjs-core.
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'offscreen.js'), 'utf8'), /IS_BROWSER|tfjsflags/);
  });

  test('the context-menu item is on images', async () => {
    const menu = await worker.evaluate(async () => {
      for (let i = 0; i < 100 && self.cwasmMenu == null; i++) await new Promise((r) => setTimeout(r, 50));
      return self.cwasmMenu;
    });
    assert.deepEqual(menu, { ok: true });
  });

  test('detecting objects in astronaut.png draws a person box over it, computed on the runtime\'s threaded program', async (t) => {
    const src = await page.evaluate(() => document.getElementById('photo').src);
    const requestsBefore = server.requests.length;
    const r = await detectOnPage(src);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.info.variant, 'threads', JSON.stringify(r.info));
    assert.ok(r.info.threads >= 2, `${r.info.threads} thread(s)`);
    assert.equal(r.info.isolated, true, 'the offscreen document is cross-origin isolated');
    assert.equal(r.detections[0].label, 'person', JSON.stringify(r.detections));
    t.diagnostic(`${r.detections[0].label} ${r.detections[0].score.toFixed(3)}, ${r.detections.length} detection(s), ` +
        `${r.ms} ms on ${r.info.variant} with ${r.info.threads} threads; wasm memory ${r.memoryBytes} bytes`);

    const [overlay, ...more] = await overlays();
    assert.equal(more.length, 0);
    assert.equal(overlay.error, false, overlay.text);
    const person = overlay.boxes.find((b) => b.label === 'person');
    assert.ok(person, JSON.stringify(overlay));
    const photo = await page.evaluate(() => document.getElementById('photo').getBoundingClientRect().toJSON());
    // The box lies on the photo and covers a real part of it.
    assert.ok(person.rect.left >= photo.left - 1 && person.rect.right <= photo.right + 1 &&
        person.rect.top >= photo.top - 1 && person.rect.bottom <= photo.bottom + 1, JSON.stringify({ person, photo }));
    assert.ok(person.rect.width * person.rect.height > 0.2 * photo.width * photo.height, JSON.stringify({ person, photo }));
    assert.match(overlay.text, /on cwasm \(threads, \d+ thread\(s\)\)/);
    // Only the photo came from the web server: the model and the wasm are the package's.
    assert.deepEqual(server.requests.slice(requestsBefore), ['/data/photos/astronaut.png']);

    // A second click replaces the overlay; the model (planned once) gives the
    // same detections, and the wasm memory does not grow.
    const again = await detectOnPage(src);
    assert.equal(again.ok, true);
    assert.deepEqual(again.detections, r.detections, 'detections of the second run');
    assert.equal(again.memoryBytes, r.memoryBytes, 'wasm memory after the second detection');
    assert.equal((await overlays()).length, 1);
    assert.deepEqual(pageErrors, []);
  });

  test('a file that is not an image gets a clear error over it', async () => {
    const src = await page.evaluate(() => document.getElementById('notes').src);
    const r = await detectOnPage(src);
    assert.equal(r.ok, false);
    assert.match(r.error, /README\.md is not an image/);
    const errs = (await overlays()).filter((o) => o.error);
    assert.equal(errs.length, 1);
    assert.match(errs[0].text, /^cwasm: .*is not an image/);
  });
});
