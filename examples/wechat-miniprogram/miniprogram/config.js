// Where the page downloads CenterNet from, once, into wx.env.USER_DATA_PATH
// (its 4 MB of weights do not fit in a 2 MB code package).
// `node examples/wechat-miniprogram/serve-model.mjs` serves the built
// model/ folder here; the developer tool reaches it with its domain check
// off (project.config.json: urlCheck false). For a phone, serve on an
// address it can reach (--host) and put that address here; a published
// mini-program needs an HTTPS host on its downloadFile domain list.
module.exports = {
  MODEL_BASE_URL: 'http://127.0.0.1:8090/',
  // A frame is detected at most this often; frames that arrive while a
  // detection runs are skipped.
  FRAME_INTERVAL_MS: 500,
  MIN_SCORE: 0.3,
};
