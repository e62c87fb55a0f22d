// Shared by the browser tests: the static server, Debian's Chromium through
// playwright-core, pages that record every console error, page error, failed
// request, HTTP error and worker, and the comparison of op results.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

import { startServer } from './server.mjs';

export const CHROMIUM = process.env.CWASM_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts the server (options as startServer's) and a headless Chromium
 * (plain launch: a fresh temporary profile each time).
 * @returns {Promise<{server, browser, open: (path: string) => Promise<object>, close: () => Promise<void>}>}
 */
export async function startHarness(serverOptions = {}) {
  const server = await startServer(serverOptions);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    server,
    browser,
    open: (path, ready, init) => openPage(browser, server, path, ready, init),
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/**
 * Opens path in a fresh browser context and waits until ready() holds in
 * the page (by default: window.cwPage.ready); init, if given, runs in the
 * page before its own scripts (context.addInitScript).
 * Returns {page, context, errors, warnings, workers, requests(), close()}:
 * errors collects console errors, uncaught page errors, failed requests and
 * HTTP errors, from the page and its workers; workers lists worker URLs.
 */
async function openPage(browser, server, path, ready = () => window.cwPage && window.cwPage.ready === true, init = null) {
  const context = await browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  const warnings = [];
  const workers = [];
  const onConsole = (where) => (msg) => {
    if (msg.type() === 'error') errors.push(`console error (${where}): ${msg.text()}`);
    else if (msg.type() === 'warning') warnings.push(`console warning (${where}): ${msg.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (e) => errors.push(`page error: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('worker', (w) => {
    workers.push(w.url());
    // Worker console messages also reach the page's 'console' event in
    // recent playwright; listening here as well would count them twice.
  });
  page.on('crash', () => errors.push('page crashed'));
  const firstRequest = server.requests.length;
  await page.goto(server.origin + path, { waitUntil: 'load' });
  await page.waitForFunction(ready);
  return {
    page,
    context,
    errors,
    warnings,
    workers,
    /**
     * Runs the ops on backend in the page (window.cwPage.run); on failure the
     * error carries the page's warnings (tfjs-core reports a failed backend
     * initialisation only by console.warn).
     */
    async run(backend, timeoutMs = 20000) {
      let timer;
      try {
        // A wasm instantiation failure inside Emscripten's instantiateWasm
        // can leave tf.setBackend pending forever: fail in time instead.
        return await Promise.race([
          page.evaluate((b) => window.cwPage.run(b), backend),
          new Promise((resolve, reject) => {
            timer = setTimeout(() => reject(new Error(
                `running the ops on '${backend}' took over ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (e) {
        e.message += `\npage warnings:\n  ${warnings.join('\n  ') || '(none)'}` +
            `\npage errors:\n  ${errors.join('\n  ') || '(none)'}`;
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    /** Paths this page (and its workers) requested from the server so far. */
    requests: () => server.requests.slice(firstRequest),
    close: () => context.close(),
  };
}

/** Fails with every collected error, if any. */
export function assertNoErrors(p, what) {
  assert.deepEqual(p.errors, [], `${what}: errors in the page (warnings: ${JSON.stringify(p.warnings)})`);
}

/**
 * Asserts the op results of got ('cwasm') agree with want ('cpu'): same
 * names, shapes and dtypes; values within rtol relative to
 * max(1, |want|) (so values near zero are held to rtol absolute).
 */
export function assertResultsClose(got, want, rtol, what) {
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${what}: op names`);
  for (const name of Object.keys(want)) {
    const g = got[name], w = want[name];
    assert.deepEqual(g.shape, w.shape, `${what}: ${name} shape`);
    assert.equal(g.dtype, w.dtype, `${what}: ${name} dtype`);
    assert.equal(g.values.length, w.values.length, `${what}: ${name} size`);
    for (let i = 0; i < w.values.length; i++) {
      const a = g.values[i], b = w.values[i];
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      if (!(Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b)))) {
        assert.fail(`${what}: ${name} element ${i} is ${a} on cwasm, cpu gives ${b}`);
      }
    }
  }
}
