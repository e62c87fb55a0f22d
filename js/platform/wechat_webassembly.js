/**
 * The `WebAssembly` of the WeChat bundle (an esbuild `inject` file in
 * scripts/build-wechat.mjs): every free reference to `WebAssembly` in the
 * bundled code resolves to this object instead of a global.
 *
 * WeChat's documented API is WXWebAssembly; a global WebAssembly cannot be
 * counted on. Emscripten's glue still checks `typeof WebAssembly` when the
 * module starts and builds its abort error from WebAssembly.RuntimeError, so
 * it needs an object here. Everything that would compile or instantiate
 * from bytes or a URL throws: in a mini-program cwasm instantiates through
 * WXWebAssembly.instantiate(path) (js/platform/wechat.js).
 */
const wx = typeof WXWebAssembly === 'undefined' ? {} : WXWebAssembly;

function unavailable(name) {
  return () => {
    throw new Error(`cwasm (WeChat): WebAssembly.${name} is not available in a mini-program; ` +
        'call setupWechat() so the wasm is instantiated with WXWebAssembly.instantiate(path)');
  };
}

class RuntimeError extends Error {}

const wechatWebAssembly = {
  RuntimeError: wx.RuntimeError || RuntimeError,
  CompileError: wx.CompileError || Error,
  LinkError: wx.LinkError || Error,
  Memory: wx.Memory,
  Table: wx.Table,
  instantiate: unavailable('instantiate'),
  instantiateStreaming: undefined,
  compile: unavailable('compile'),
  validate: unavailable('validate'),
};

export { wechatWebAssembly as WebAssembly };
