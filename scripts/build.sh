#!/usr/bin/env bash
# Builds the three WebAssembly variants (emcmake), then the JS: the bundles in
# dist/, the examples' bundles, the Chrome extension and the WeChat packages.
# Incremental: CMake rebuilds only what changed, and the JS steps are skipped
# when their inputs are unchanged since they last succeeded (the fingerprint
# in build/stamps/js) and their outputs are there. rm -r build/stamps forces
# them.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
jobs=$(nproc)
# One build at a time: concurrent builds would mix glue and .wasm of different builds.
mkdir -p build/stamps
exec 9>build/.build.lock
flock 9

if [ ! -f build/wasm/CMakeCache.txt ]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build/wasm -j"$jobs"
node scripts/check-codes.mjs

# What the JS steps read: js/, the examples (less what build-wechat.mjs
# writes into them), the JS build scripts, the wasm build's output and the
# installed npm packages (npm rewrites node_modules/.package-lock.json on
# every install). A fingerprint of each file's path, size and mtime.
js_inputs_fingerprint() {
  { find js examples scripts/*.mjs scripts/build.sh build/wasm/dist package.json node_modules/.package-lock.json \
      \( -path examples/wechat-miniprogram/miniprogram/lib -o -path examples/wechat-miniprogram/model \) -prune \
      -o -type f -printf '%p %s %T@\n' 2>&1 || true; } | LC_ALL=C sort | sha256sum | cut -d' ' -f1
}
# One file each JS step writes (a deleted output reruns the steps).
JS_OUTPUTS=(
  dist/tfjs-backend-cwasm.esm.js dist/tfjs-backend-cwasm.umd.min.js dist/tfjs-backend-cwasm.node.cjs
  dist/tfjs-backend-cwasm.node.mjs dist/cwasm-runtime.esm.js dist/cwasm-runtime.node.mjs
  dist/cwasm-threads.mjs dist/cwasm-runtime-threads.mjs dist/package.json
  build/examples/mnist/page.js build/examples/speech-commands/page.js build/examples/object-detection/page.js
  build/chrome-extension/offscreen.js
  examples/wechat-miniprogram/miniprogram/lib/cwasm-runtime-wechat.js build/wechat-backend/lib/cwasm-wechat.js
)

stamp=build/stamps/js
fingerprint=$(js_inputs_fingerprint)
js_up_to_date() {
  [ -f $stamp ] && [ "$(cat $stamp)" = "$fingerprint" ] || return 1
  for f in "${JS_OUTPUTS[@]}"; do [ -f "$f" ] || return 1; done
}
if js_up_to_date; then
  echo "build: JS bundles up to date"
else
  rm -f $stamp
  node scripts/bundle.mjs
  node scripts/bundle-examples.mjs
  node scripts/build-extension.mjs
  node scripts/build-wechat.mjs
  echo "$fingerprint" >$stamp
fi
