// The WeChat mini-program target, run in Node. scripts/build-wechat.mjs
// builds examples/wechat-miniprogram/ (CenterNet on cwasm's standalone
// runtime, no tfjs-core) and the 'cwasm' backend's WeChat library; their
// files (the example's lib/cwasm-runtime-wechat.js, app.js,
// pages/detect/index.js; the backend's lib/cwasm-wechat.js) run in a
// WeChat-like node:vm sandbox (fixtures/wechat_sandbox.mjs) that has no
// fetch, Worker, SharedArrayBuffer, XMLHttpRequest, TextEncoder, TextDecoder,
// eval or global WebAssembly, reads files only from the package and a fake
// wx.env.USER_DATA_PATH, and instantiates wasm only from a package path
// through a WXWebAssembly shim. In it:
// - the runtime's package: CenterNet on astronaut.png (input prepared by the
//   host as models/detect.mjs does), read from USER_DATA_PATH, gives
//   tfjs-backend-cpu's outputs within 1e-3 (models/compare.mjs's measure) and
//   finds a person first, on the simd program when the host reports WeChat
//   8.0.30 and on the scalar one for 8.0.5; the MNIST convnet saved by
//   model.save gives cpu's predictions within 1e-4; a broken model names its
//   problems; the detect page downloads the model into USER_DATA_PATH, runs
//   a camera frame through it and lists a person first;
// - the backend's library: the MNIST convnet (examples/common/models.mjs),
//   loaded with tf.loadLayersModel(fileSystemIO(...)), gives
//   tfjs-backend-cpu's predictions within 1e-4 on the simd and the scalar
//   variant, and CenterNet loaded with tf.loadGraphModel(fileSystemIO(...))
//   cpu's outputs within 1e-3;
// - for both, instantiating by fetch, from bytes or from a non-package path
//   fails.
// WeChat itself, its camera and the real WXWebAssembly are not involved.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { PNG } from 'pngjs';

import { EXAMPLE_DIR, PACKAGE_DIR, PACKAGE_LIMIT, buildWechat, buildWechatBackend } from '../../scripts/build-wechat.mjs';
import { mnistConvnet } from '../../examples/common/models.mjs';
import { USER_DATA_PATH, createWechatSandbox } from './fixtures/wechat_sandbox.mjs';
import { assertOutputsClose, maxRelError, runRecorded } from './models/compare.mjs';
import { mnistDigits } from './models/data.mjs';
import { CENTERNET, distinctLabels } from './models/detect.mjs';
import { loadHumanModel } from './models/graph.mjs';
import { PHOTO_DIR, loadPhoto } from './models/photos.mjs';

const MNIST_TOLERANCE = 1e-4;
const CENTERNET_TOLERANCE = 1e-3;
const SIMD_WECHAT = '8.0.30';   // SIMD from WeChat 8.0.25 on
const SCALAR_WECHAT = '8.0.5';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cwasm-wechat-'));
let built;          // the test's build of the example (the runtime's package)
let backend;        // a package holding only the backend's lib/, with tfjs-layers
let mnist;          // {values, shape, cpu: Float32Array}
let centernetCpu;   // {names, outputs, input}

/** A fresh USER_DATA_PATH folder holding the MNIST model. */
function userData(name) {
  const dir = path.join(work, 'usr', name);
  fs.cpSync(path.join(work, 'usr-mnist'), dir, { recursive: true });
  return dir;
}

let sandboxes = 0;
/**
 * A sandbox over the example's package with its own USER_DATA_PATH; app.js
 * launched, the runtime started.
 */
async function launched(version, options = {}) {
  const userDataDir = userData(`sandbox-${++sandboxes}`);
  const sb = createWechatSandbox({ packageDir: built.packageDir, userDataDir, version, ...options });
  sb.require('/app.js');
  sb.app.onLaunch();
  const info = await sb.app.runtimeReady;
  return { sb, info, lib: sb.require('/lib/cwasm-runtime-wechat.js'), userDataDir };
}

/**
 * A sandbox over the backend's package with its own USER_DATA_PATH;
 * setupWechat called as an app would (simd from the WeChat version), 'cwasm'
 * started.
 */
async function backendLaunched(version, options = {}) {
  const userDataDir = userData(`sandbox-${++sandboxes}`);
  const sb = createWechatSandbox({ packageDir: backend.packageDir, userDataDir, version, ...options });
  const lib = sb.require('/lib/cwasm-wechat.js');
  const setup = lib.setupWechat({
    wx: sb.run('wx'), WXWebAssembly: sb.run('WXWebAssembly'), wasmDir: '/lib/',
    simd: lib.simdFromWechatVersion(sb.run('wx.getAppBaseInfo().version')),
  });
  assert.equal(await lib.tf.setBackend('cwasm'), true, 'the backend starts');
  return { sb, info: { ...lib.cwasm.getBackendInfo(), wasmPath: setup.wasmPath }, lib, userDataDir };
}

before(async () => {
  // The test's own copy of the mini-program (the example's files, lib/ built
  // anew), and a package of the backend's library with the tfjs-layers
  // add-on for the MNIST Layers model.
  const packageDir = path.join(work, 'miniprogram');
  const builtLib = path.join(PACKAGE_DIR, 'lib');
  fs.cpSync(PACKAGE_DIR, packageDir, { recursive: true, filter: (src) => src !== builtLib && !src.startsWith(builtLib + path.sep) });
  built = await buildWechat({ packageDir, modelDir: path.join(work, 'server') });
  const backendDir = path.join(work, 'backend');
  backend = { packageDir: backendDir, ...await buildWechatBackend({ libDir: path.join(backendDir, 'lib'), layers: true }) };

  // The MNIST convnet, saved by the host as a TF.js model.json + weights.bin
  // in USER_DATA_PATH/mnist/.
  await tf.setBackend('cpu');
  const model = mnistConvnet();
  const dir = path.join(work, 'usr-mnist', 'mnist');
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (a) => {
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(a.weightData));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const digits = mnistDigits(8);
  const xs = tf.tensor(digits.xs, [digits.n, 28, 28, 1]);
  const ys = model.predict(xs);
  mnist = { values: digits.xs, shape: xs.shape, cpu: ys.dataSync() };
  tf.dispose([xs, ys]);
  model.dispose();
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

/** The cpu outputs of CenterNet on astronaut.png, computed once. */
async function centernetReference() {
  if (!centernetCpu) {
    const input = CENTERNET.input(loadPhoto('astronaut'));
    const model = await loadHumanModel('centernet');
    const names = model.outputNodes;
    const run = await runRecorded('cpu', () => model.execute(tf.tensor(input.values, input.shape), names));
    model.dispose();
    centernetCpu = { names, outputs: run.outputs, input, ms: run.ms };
  }
  return centernetCpu;
}

/** Fails when code requires a Node module or compiles code from strings. */
function assertNoNodeModuleNorEval(code) {
  assert.doesNotMatch(code, /require\(["'][^."']/);
  assert.doesNotMatch(code, /new Function\(|[^.\w]eval\(/);
}

// tfjs-core's flag registry: in any bundle that holds tfjs-core.
const TFJS_CORE = /IS_BROWSER|tfjsflags/;

test('the example builds into one CommonJS bundle of the runtime (no tfjs-core) and the two runtime .wasm files, ' +
    'a code package under 2 MB', async (t) => {
  const r = await buildWechat();
  const lib = Object.keys(r.files).filter((f) => f.startsWith('lib/')).sort();
  assert.deepEqual(lib, ['lib/cwasm-runtime-scalar.wasm', 'lib/cwasm-runtime-simd.wasm', 'lib/cwasm-runtime-wechat.js']);
  for (const f of ['app.js', 'app.json', 'config.js', 'pages/detect/index.js', 'pages/detect/index.wxml']) {
    assert.ok(r.files[f] > 0, `${f} in the package`);
  }
  assert.ok(r.packageBytes < PACKAGE_LIMIT, `package ${r.packageBytes} bytes`);
  assert.ok(fs.existsSync(path.join(EXAMPLE_DIR, 'model/centernet.bin')));
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  t.diagnostic(`package ${kb(r.packageBytes)}: ${lib.map((f) => `${f} ${kb(r.files[f])}`).join(', ')}; ` +
      `model (downloaded at run time) ${kb(r.modelBytes)}`);
  const code = fs.readFileSync(path.join(r.packageDir, 'lib/cwasm-runtime-wechat.js'), 'utf8');
  assertNoNodeModuleNorEval(code);
  assert.doesNotMatch(code, TFJS_CORE);
});

test('the backend\'s WeChat library builds into one CommonJS bundle (tfjs-core, tfjs-converter, cwasm) and two .wasm files', (t) => {
  assert.deepEqual(Object.keys(backend.files).sort(), ['cwasm-scalar.wasm', 'cwasm-simd.wasm', 'cwasm-wechat.js', 'tfjs-layers.js']);
  t.diagnostic(`backend library: cwasm-wechat.js ${(backend.files['cwasm-wechat.js'] / 1024).toFixed(0)} KiB`);
  const code = fs.readFileSync(path.join(backend.libDir, 'cwasm-wechat.js'), 'utf8');
  assertNoNodeModuleNorEval(code);
  assert.match(code, TFJS_CORE);
});

test('the sandbox enforces its constraints (no fetch, eval, global WebAssembly; package paths only)', async () => {
  const sb = createWechatSandbox({ packageDir: built.packageDir, userDataDir: userData('constraints') });
  for (const name of ['fetch', 'Worker', 'SharedArrayBuffer', 'XMLHttpRequest', 'WebAssembly']) {
    assert.throws(() => sb.run(`typeof ${name}`), /does not exist in a mini-program/);
  }
  assert.deepEqual(sb.log.violations, ['fetch', 'Worker', 'SharedArrayBuffer', 'XMLHttpRequest', 'WebAssembly']);
  assert.throws(() => sb.run('importScripts("x.js")'), /importScripts is not defined/);
  assert.throws(() => sb.run('new Function("return 1")'), /Code generation from strings disallowed/);
  assert.equal(sb.run('typeof TextDecoder + typeof TextEncoder + typeof window + typeof process'),
      'undefinedundefinedundefinedundefined');
  const fsm = sb.run('wx.getFileSystemManager()');
  assert.throws(() => fsm.readFileSync('/etc/passwd'), /no such file/);
  assert.throws(() => fsm.readFileSync('../app.js'), /permission denied/);
  assert.throws(() => fsm.readFileSync('file:///etc/passwd'), /permission denied/);
  assert.equal(typeof fsm.readFileSync('/app.js', 'utf8'), 'string');
  assert.throws(() => sb.require('fs'), /only files of the code package/);
  const wxwasm = sb.run('WXWebAssembly');
  const bytes = fsm.readFileSync('/lib/cwasm-runtime-simd.wasm');
  await assert.rejects(wxwasm.instantiate(bytes, {}), /must be a code package path string/);
  await assert.rejects(wxwasm.instantiate('https://example.com/cwasm-runtime-simd.wasm', {}), /not a .wasm path inside the code package/);
  await assert.rejects(wxwasm.instantiate(`${USER_DATA_PATH}/cwasm-runtime-simd.wasm`, {}), /not a .wasm path inside the code package/);
  await assert.rejects(wxwasm.instantiate('/lib/../../x.wasm', {}), /not a .wasm path inside the code package/);
});

/** Runtime outputs ({name: {values, shape, dtype}}) as the list assertOutputsClose takes, in names' order. */
function outputList(out, names) {
  return names.map((n) => {
    assert.ok(out[n], `the runtime gives output ${n}`);
    return { shape: Array.from(out[n].shape), dtype: out[n].dtype, values: out[n].values };
  });
}

for (const [version, variant, shape] of [[SIMD_WECHAT, 'simd', 'object'], [SCALAR_WECHAT, 'scalar', 'instance']]) {
  test(`runtime package, WeChat ${version}: the ${variant} program loads from /lib/cwasm-runtime-${variant}.wasm and ` +
      `centernet from USER_DATA_PATH gives tfjs-backend-cpu's outputs on astronaut.png within ${CENTERNET_TOLERANCE}, ` +
      'a person first', async (t) => {
    const cpu = await centernetReference();
    const { sb, info, lib, userDataDir } = await launched(version, { instantiateResult: shape });
    assert.equal(info.variant, variant);
    assert.equal(info.threads, 1);
    assert.equal(info.vec, variant === 'simd' ? 'wasm-simd128' : 'scalar');
    assert.equal(info.wasmPath, `/lib/cwasm-runtime-${variant}.wasm`);
    assert.deepEqual(sb.log.instantiate, [`/lib/cwasm-runtime-${variant}.wasm`]);
    // As if downloaded: the built model files in USER_DATA_PATH/centernet/.
    fs.cpSync(built.modelDir, path.join(userDataDir, 'centernet'), { recursive: true });
    const model = await lib.loadCenternet(`${USER_DATA_PATH}/centernet/centernet.json`);
    assert.deepEqual(sb.log.reads.slice(-2), [`${USER_DATA_PATH}/centernet/centernet.json`, `${USER_DATA_PATH}/centernet/centernet.bin`]);
    assert.deepEqual([...model.outputs.map((o) => o.name)].sort(), [...cpu.names].sort());
    const t0 = Date.now();
    const out = model.predict(sb.float32(cpu.input.values), cpu.input.shape);
    const ms = Date.now() - t0;
    model.dispose();
    const got = outputList(out, cpu.names);
    const errors = assertOutputsClose(got, cpu.outputs, CENTERNET_TOLERANCE, `centernet on the runtime's ${variant} program`, cpu.names);
    const detections = CENTERNET.decode(Object.fromEntries(cpu.names.map((n, i) => [n, got[i]])));
    t.diagnostic(`runtime ${variant} ${(ms / 1000).toFixed(2)} s, cpu ${(cpu.ms / 1000).toFixed(1)} s; max relative error ` +
        `${Math.max(...errors).toExponential(1)}; best ${detections[0].label} ${detections[0].score.toFixed(3)}`);
    assert.equal(distinctLabels(detections)[0], 'person');
    assert.deepEqual(sb.log.violations, []);
  });
}

test(`runtime package: the MNIST convnet saved by model.save gives tfjs-backend-cpu's predictions within ${MNIST_TOLERANCE}; ` +
    'a model it cannot run fails at load time naming the problem', async (t) => {
  const { sb, lib, userDataDir } = await launched(SIMD_WECHAT);
  const model = await lib.loadModel(await lib.fileSystemSource(`${USER_DATA_PATH}/mnist/model.json`));
  const out = model.predict(sb.float32(mnist.values), mnist.shape);
  model.dispose();
  const [got] = Object.values(out);
  assert.deepEqual(Array.from(got.shape), [mnist.shape[0], 10]);
  const { error, at } = maxRelError(got.values, mnist.cpu);
  t.diagnostic(`runtime simd: max relative error ${error.toExponential(1)}`);
  assert.ok(error <= MNIST_TOLERANCE, `element ${at}: runtime ${got.values[at]}, cpu ${mnist.cpu[at]}`);

  // centernet with one op renamed, and a name outside ASCII in its
  // model.json (read without TextDecoder).
  const json = JSON.parse(fs.readFileSync(path.join(built.modelDir, 'centernet.json'), 'utf8'));
  json.modelTopology.node.find((n) => n.op === 'Conv2D').op = 'NoSuchOp';
  json.generatedBy = 'é ✓ 中文';
  fs.mkdirSync(path.join(userDataDir, 'broken'));
  fs.writeFileSync(path.join(userDataDir, 'broken/centernet.json'), JSON.stringify(json));
  fs.copyFileSync(path.join(built.modelDir, 'centernet.bin'), path.join(userDataDir, 'broken/centernet.bin'));
  await assert.rejects(lib.loadCenternet(`${USER_DATA_PATH}/broken/centernet.json`), /the model cannot run:[^]*op 'NoSuchOp' is not supported/);
  await assert.rejects(lib.fileSystemSource(`${USER_DATA_PATH}/nowhere/model.json`), /fileSystemSource: reading .*nowhere\/model.json failed/);
  await assert.rejects(lib.fileSystemSource('./model.json'), /is relative/);
  assert.deepEqual(sb.log.violations, []);
});

for (const [version, variant, shape] of [[SIMD_WECHAT, 'simd', 'object'], [SCALAR_WECHAT, 'scalar', 'instance']]) {
  test(`backend library, WeChat ${version}: the ${variant} variant loads from /lib/cwasm-${variant}.wasm and the MNIST ` +
      `convnet from USER_DATA_PATH matches tfjs-backend-cpu within ${MNIST_TOLERANCE}`, async (t) => {
    const { sb, info, lib } = await backendLaunched(version, { instantiateResult: shape });
    assert.equal(info.variant, variant);
    assert.equal(info.vec, variant === 'simd' ? 'wasm-simd128' : 'scalar');
    assert.equal(info.wasmPath, `/lib/cwasm-${variant}.wasm`);
    assert.deepEqual(sb.log.instantiate, [`/lib/cwasm-${variant}.wasm`]);
    assert.equal(lib.tf.getBackend(), 'cwasm');
    assert.equal(lib.tf.env().platformName, 'wechat');

    const layers = sb.require('/lib/tfjs-layers.js');
    const model = await layers.loadLayersModel(lib.fileSystemIO(`${USER_DATA_PATH}/mnist/model.json`));
    assert.deepEqual(sb.log.reads.slice(-2), [`${USER_DATA_PATH}/mnist/model.json`, `${USER_DATA_PATH}/mnist/weights.bin`]);
    const xs = lib.tf.tensor(sb.float32(mnist.values), mnist.shape);
    const ys = model.predict(xs);
    const got = ys.dataSync();
    lib.tf.dispose([xs, ys]);
    model.dispose();
    const { error, at } = maxRelError(got, mnist.cpu);
    t.diagnostic(`${variant}: max relative error ${error.toExponential(1)}`);
    assert.ok(error <= MNIST_TOLERANCE, `element ${at}: cwasm ${got[at]}, cpu ${mnist.cpu[at]}`);
    assert.deepEqual(sb.log.violations, []);
  });
}

test(`backend library: centernet, a graph model read with loadGraphModel(fileSystemIO(...)), gives tfjs-backend-cpu's ` +
    `outputs on astronaut.png within ${CENTERNET_TOLERANCE}`, async (t) => {
  const cpu = await centernetReference();
  const { sb, lib, userDataDir } = await backendLaunched(SIMD_WECHAT);
  fs.cpSync(built.modelDir, path.join(userDataDir, 'centernet'), { recursive: true });
  const model = await lib.loadGraphModel(lib.fileSystemIO(`${USER_DATA_PATH}/centernet/centernet.json`));
  const outs = model.execute(lib.tf.tensor(sb.float32(cpu.input.values), cpu.input.shape), cpu.names);
  const got = [];
  for (const o of outs) got.push({ shape: Array.from(o.shape), dtype: o.dtype, values: await o.data() });
  lib.tf.dispose(outs);
  model.dispose();
  const errors = assertOutputsClose(got, cpu.outputs, CENTERNET_TOLERANCE, 'centernet on the backend in the WeChat sandbox', cpu.names);
  t.diagnostic(`backend simd: max relative error ${Math.max(...errors).toExponential(1)}`);
  assert.deepEqual(sb.log.violations, []);
});

test('the detect page downloads the model into USER_DATA_PATH and finds a person in a camera frame', async (t) => {
  const sb = createWechatSandbox({
    packageDir: built.packageDir, userDataDir: fs.mkdtempSync(path.join(work, 'usr-page-')),
    serverDir: built.modelDir, version: SIMD_WECHAT,
  });
  sb.require('/app.js');
  sb.require('/pages/detect/index.js');
  sb.app.onLaunch();
  const page = sb.pages[0];
  page.onLoad();
  await page.ready;
  assert.equal(page.data.status, 'detecting');
  const { MODEL_BASE_URL } = sb.require('/config.js');
  assert.deepEqual(sb.log.downloads, [`${MODEL_BASE_URL}centernet.json`, `${MODEL_BASE_URL}centernet.bin`]);
  assert.match(page.data.runtime, /^simd \(wasm-simd128\) from \/lib\/cwasm-runtime-simd.wasm$/);

  const png = PNG.sync.read(fs.readFileSync(path.join(PHOTO_DIR, 'astronaut.png')));
  sb.cameraFrame(png.width, png.height, png.data);
  const running = page.detection;
  sb.cameraFrame(png.width, png.height, png.data);  // skipped: a detection is running
  assert.equal(page.detection, running);
  await running;
  const rows = page.data.detections;
  t.diagnostic(`page: ${rows.map((r) => `${r.label} ${r.score}`).join(', ')} (${page.data.ms} ms, ${page.data.frame})`);
  assert.equal(rows[0].label, 'person');
  assert.match(rows[0].style, /^left:[\d.]+%;top:[\d.]+%;width:[\d.]+%;height:[\d.]+%$/);
  page.onUnload();
  assert.deepEqual(sb.log.violations, []);
  assert.deepEqual(sb.log.instantiate, ['/lib/cwasm-runtime-simd.wasm']);
});

// Hosts whose WXWebAssembly.instantiate(path, imports) tries another way in.
const BAD_INSTANTIATE = {
  // The browser way: fetch the file, then instantiate its bytes.
  fetch: 'async (p, imports) => WXWebAssembly.instantiate(await (await fetch(p)).arrayBuffer(), imports)',
  // Bytes read from the package.
  bytes: '(p, imports) => WXWebAssembly.instantiate(wx.getFileSystemManager().readFileSync(p), imports)',
  // A user-data path, not a package path.
  userData: '(p, imports) => WXWebAssembly.instantiate(wx.env.USER_DATA_PATH + p, imports)',
};

const PACKAGES = {
  runtime: {
    dir: () => built.packageDir, lib: '/lib/cwasm-runtime-wechat.js', setup: 'setupWechatRuntime', wasm: '/lib/cwasm-runtime-simd.wasm',
    // The error of the failed start.
    start: async (lib) => {
      try {
        await lib.init();
      } catch (e) {
        return e.message;
      }
      assert.fail('the runtime must not start');
    },
  },
  backend: {
    dir: () => backend.packageDir, lib: '/lib/cwasm-wechat.js', setup: 'setupWechat', wasm: '/lib/cwasm-simd.wasm',
    start: async (lib, sb) => {
      assert.equal(await lib.tf.setBackend('cwasm'), false, 'the backend must not start');
      return sb.log.console.map((c) => c.text).join('\n');
    },
  },
};

for (const [name, pkg] of Object.entries(PACKAGES)) {
  test(`${name}: instantiating by fetch, from bytes or from outside the package fails in the sandbox`, async () => {
    const failures = {};
    for (const [how, fn] of Object.entries(BAD_INSTANTIATE)) {
      const sb = createWechatSandbox({ packageDir: pkg.dir(), userDataDir: userData(`neg-${name}-${how}`), version: SIMD_WECHAT });
      const lib = sb.require(pkg.lib);
      lib[pkg.setup]({ wx: sb.run('wx'), WXWebAssembly: { ...sb.run('WXWebAssembly'), instantiate: sb.run(fn) }, simd: true });
      failures[how] = { errors: await pkg.start(lib, sb), violations: sb.log.violations, instantiate: sb.log.instantiate };
    }
    assert.deepEqual(failures.fetch.violations, ['fetch']);
    assert.match(failures.fetch.errors, /fetch does not exist in a mini-program/);
    assert.deepEqual(failures.bytes.instantiate, ['[object ArrayBuffer]']);
    assert.match(failures.bytes.errors, /must be a code package path string/);
    assert.deepEqual(failures.userData.instantiate, [`${USER_DATA_PATH}${pkg.wasm}`]);
    assert.match(failures.userData.errors, /not a .wasm path inside the code package/);

    // Setting up takes only package folders, and a simd answer from the host.
    const sb = createWechatSandbox({ packageDir: pkg.dir(), userDataDir: userData(`neg-${name}-setup`) });
    const lib = sb.require(pkg.lib);
    const host = { wx: sb.run('wx'), WXWebAssembly: sb.run('WXWebAssembly') };
    assert.throws(() => lib[pkg.setup]({ ...host, simd: true, wasmDir: `${USER_DATA_PATH}/` }), /code package folder/);
    assert.throws(() => lib[pkg.setup]({ ...host, simd: true, wasmDir: '../lib/' }), /code package folder/);
    assert.throws(() => lib[pkg.setup]({ ...host }), /simd must be true or false/);
    assert.deepEqual(sb.log.violations, []);
  });
}

test('backend library: tfjs-core\'s HTTP handler gets the platform\'s fetch, which names the file-system handler', async () => {
  // The global fetch is never touched. (Given a URL string,
  // tf.loadGraphModel first asks tfjs-core's http router, which probes
  // `typeof fetch`: in WeChat that is 'undefined', here it is a violation,
  // so models are only loaded through fileSystemIO in these tests.)
  const { sb, lib } = await backendLaunched(SCALAR_WECHAT);
  await assert.rejects(lib.tf.io.browserHTTPRequest('https://example.com/model.json').load(),
      /fetch\('https:\/\/example.com\/model.json'\) is not available in a mini-program; load models with the file-system IO handler/);
  assert.deepEqual(sb.log.violations, []);
});

test('backend library: the platform encodes and decodes UTF-8 as TextEncoder and TextDecoder do', async () => {
  const { lib } = await backendLaunched(SIMD_WECHAT);
  const strings = ['', 'ascii', 'héllo', '€ ✓ 中文', '𝄞 emoji 😀', 'lone \ud800 surrogate', 'x\udc00y'];
  for (const s of strings) {
    assert.deepEqual(Array.from(lib.utf8Encode(s)), Array.from(new TextEncoder().encode(s)), `encode ${JSON.stringify(s)}`);
    assert.equal(lib.utf8Decode(new TextEncoder().encode(s)), new TextDecoder().decode(new TextEncoder().encode(s)));
  }
  const malformed = [[0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x82], [0x61, 0xf0, 0x9f, 0x98, 0x62], [0xff, 0xfe, 0x41]];
  for (const b of malformed) {
    assert.equal(lib.utf8Decode(new Uint8Array(b)), new TextDecoder().decode(new Uint8Array(b)), `decode ${b}`);
  }
  assert.equal(lib.tf.util.decodeString(lib.tf.util.encodeString('tfjs ✓')), 'tfjs ✓');
});

test('backend library: a C kernel error reaches JS as its message (no TextDecoder in the sandbox)', async () => {
  const { sb, lib } = await backendLaunched(SIMD_WECHAT);
  const { tf } = lib;
  const x = tf.tensor1d([1, 2, 3]);
  const indices = tf.tensor1d([0, 7], 'int32');
  assert.throws(() => tf.engine().runKernel('GatherV2', { x, indices }, { axis: 0, batchDims: 0 }),
      /GatherV2: the index value 7 is not in \[0, 2\]/);
  tf.dispose([x, indices]);
  assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync()), [2, 3]);
  assert.deepEqual(sb.log.violations, []);
});

test('backend library: tfjs-core\'s global object gets an atob that decodes base64 as the browsers\' does', async () => {
  const { sb, lib } = await backendLaunched(SIMD_WECHAT);
  assert.equal(sb.run('global.atob'), lib.atob);
  for (const s of ['', 'U0FNRQ==', 'TkhXQw==', 'YQ', 'YWI=', 'AP+A/w==', Buffer.from([...Array(256).keys()]).toString('base64')]) {
    assert.equal(lib.atob(s), atob(s), `atob(${s})`);
  }
  assert.throws(() => lib.atob('a*b'), /not correctly base64-encoded/);
});
