// A module Worker running the standalone runtime: each message
// {modelUrl, inputUrl, shape, threads} is answered with what the page's
// run() answers (runtime.html): the runtime's info and every output.
import { loadModel } from '/dist/cwasm-runtime.esm.js';

self.onmessage = async ({ data: { modelUrl, inputUrl, shape, threads } }) => {
  try {
    const m = await loadModel(modelUrl, { wasmPaths: '/dist/', threads });
    try {
      const input = new Float32Array(await (await fetch(inputUrl)).arrayBuffer());
      const out = m.predict(input, shape);
      const outputs = {};
      for (const [k, v] of Object.entries(out)) outputs[k] = { shape: v.shape, dtype: v.dtype, values: Array.from(v.values) };
      self.postMessage({ info: m.info, outputs, isolated: self.crossOriginIsolated === true });
    } finally {
      m.dispose();
    }
  } catch (e) {
    self.postMessage({ error: String(e && e.stack || e) });
  }
};
