// Camera frames -> CenterNet on cwasm's standalone runtime -> the objects
// found, boxed over the camera and listed below it. Frames come from
// CameraContext.onCameraFrame ({width, height, data: ArrayBuffer of RGBA
// bytes}, the <camera>'s frame-size); at most one detection runs at a time,
// at most one every FRAME_INTERVAL_MS.
const { ensureModelFiles, loadCenternet, detectFrame } = require('../../lib/cwasm-runtime-wechat.js');
const { MODEL_BASE_URL, FRAME_INTERVAL_MS, MIN_SCORE } = require('../../config.js');

const SHOWN = 5;

Page({
  data: {
    status: 'starting',
    runtime: '',
    ms: 0,
    frame: '',
    detections: [],
  },

  onLoad() {
    this.busy = false;
    this.lastRun = 0;
    this.ready = this.start().catch((e) => this.setData({ status: `error: ${e.message}` }));
  },

  async start() {
    const info = await getApp().runtimeReady;
    this.setData({ runtime: `${info.variant} (${info.vec}) from ${info.wasmPath}`, status: 'fetching the model' });
    const modelPath = await ensureModelFiles(wx, { baseUrl: MODEL_BASE_URL, dir: `${wx.env.USER_DATA_PATH}/centernet` });
    this.setData({ status: 'loading the model' });
    const model = await loadCenternet(modelPath);
    if (this.unloaded) {
      model.dispose();
      return;
    }
    this.model = model;
    this.listener = wx.createCameraContext().onCameraFrame((frame) => this.onFrame(frame));
    this.listener.start();
    this.setData({ status: 'detecting' });
  },

  onFrame(frame) {
    const now = Date.now();
    if (this.busy || this.unloaded || now - this.lastRun < FRAME_INTERVAL_MS) return;
    this.busy = true;
    this.lastRun = now;
    // A copy of the pixels, so the detection never depends on the camera
    // keeping this frame's buffer.
    const copy = { width: frame.width, height: frame.height, data: frame.data.slice(0) };
    this.detection = detectFrame(this.model, copy, MIN_SCORE)
        .then(({ detections, ms }) => {
          if (this.unloaded) return;
          this.setData({
            ms,
            frame: `${copy.width}x${copy.height}`,
            detections: detections.slice(0, SHOWN).map((d) => ({
              label: d.label,
              score: d.score.toFixed(2),
              // Boxes are in 0..1 of the frame; the camera view shows the
              // frame scaled to its size, so they are placed in percent.
              style: `left:${pct(d.box[0])};top:${pct(d.box[1])};` +
                  `width:${pct(d.box[2] - d.box[0])};height:${pct(d.box[3] - d.box[1])}`,
            })),
          });
        })
        .catch((e) => this.setData({ status: `error: ${e.message}` }))
        .then(() => { this.busy = false; });
  },

  onCameraError(e) {
    this.setData({ status: `camera: ${e.detail && e.detail.errMsg || 'not available'}` });
  },

  onUnload() {
    this.unloaded = true;
    if (this.listener) this.listener.stop();
    const model = this.model;
    this.model = null;
    // A detection may still be running on the model.
    Promise.resolve(this.detection).then(() => { if (model) model.dispose(); });
  },
});

function pct(v) {
  return `${(100 * v).toFixed(1)}%`;
}
