#!/usr/bin/env bash
# All tests: set-up, the checks that need no build (format, lint, commit
# subjects: scripts/check.sh) and the build first, each a no-op when already
# done; then native C tests (ctest), Node tests of the built wasm (node
# --test), and tfjs-core's own suite on 'cwasm'. CW_SKIP_FORMAT=1 skips the
# clang-format check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check.sh
bash scripts/build.sh

echo "== native C tests (ctest)"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$(nproc)" >/dev/null
ctest --test-dir build/native --output-on-failure -j"$(nproc)"

echo "== Node tests (node --test)"
node --test --test-concurrency=1 test/js/
node --test --test-concurrency=1 test/browser/

echo "== conformance: tfjs-core 4.22's own suite on 'cwasm'"
node test/conformance/run.mjs
