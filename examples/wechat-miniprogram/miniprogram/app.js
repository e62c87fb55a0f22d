// Sets up the 'cwasm' backend once, at launch: WXWebAssembly loads
// /lib/cwasm-simd.wasm when this WeChat has SIMD (8.0.25 or later), else
// /lib/cwasm-scalar.wasm. Pages wait for getApp().backendReady.
const { tf, cwasm, setupWechat, simdFromWechatVersion } = require('./lib/cwasm-wechat.js');

App({
  onLaunch() {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync();
    const setup = setupWechat({
      wx,
      WXWebAssembly: typeof WXWebAssembly === 'undefined' ? undefined : WXWebAssembly,
      wasmDir: '/lib/',
      simd: simdFromWechatVersion(info.version),
    });
    this.backendReady = tf.setBackend('cwasm').then((ok) => {
      if (!ok) throw new Error(`tf.setBackend('cwasm') failed loading ${setup.wasmPath} (see the console)`);
      return { ...cwasm.getBackendInfo(), wasmPath: setup.wasmPath };
    });
  },
});
