#!/usr/bin/env bash
# Builds the three WebAssembly variants (emcmake) and bundles the JS into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
jobs=$(nproc)
# One build at a time: concurrent builds would mix glue and .wasm of different builds.
mkdir -p build
exec 9>build/.build.lock
flock 9
if [ ! -f build/wasm/CMakeCache.txt ]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build/wasm -j"$jobs"
node scripts/check-codes.mjs
node scripts/bundle.mjs
node scripts/bundle-examples.mjs
node scripts/build-extension.mjs
node scripts/build-wechat.mjs
