// Sets up cwasm's standalone runtime once, at launch: WXWebAssembly loads
// /lib/cwasm-runtime-simd.wasm when this WeChat has SIMD (8.0.25 or later),
// else /lib/cwasm-runtime-scalar.wasm. Pages wait for getApp().runtimeReady.
const { init, setupWechatRuntime, simdFromWechatVersion } = require('./lib/cwasm-runtime-wechat.js');

App({
  onLaunch() {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync();
    const setup = setupWechatRuntime({
      wx,
      WXWebAssembly: typeof WXWebAssembly === 'undefined' ? undefined : WXWebAssembly,
      wasmDir: '/lib/',
      simd: simdFromWechatVersion(info.version),
    });
    this.runtimeReady = init().then((started) => ({ ...started, wasmPath: setup.wasmPath }));
  },
});
