#!/usr/bin/env bash
# The checks that need no build, so scripts/test.sh runs them first:
#   - C formatting: clang-format --dry-run -Werror (the repo's .clang-format)
#     over src/, wasm/ and test/c; skipped when no file changed since the
#     last clean check (build/stamps/format);
#   - ESLint over js/ (eslint.config.js; `npm run lint` runs it alone);
#   - commit subjects of at most 72 characters (scripts/check-commit-subjects.mjs).
# --format rewrites the C files with clang-format -i instead of checking them
# (`npm run format`). CW_SKIP_FORMAT=1 skips the format check.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/stamps

c_files() { find src wasm test/c -name '*.[ch]' -print0 | LC_ALL=C sort -z; }

if [ "${1:-}" = --format ]; then
  c_files | xargs -0 clang-format -i
  echo "format: src/ wasm/ test/c formatted"
  exit 0
fi

# clang-format --dry-run -Werror over the C files; on a difference, the
# files' names (clang-format's own output shows every line it would change).
check_format() {
  local out files
  out=$(mktemp)
  if c_files | xargs -0 -n 50 -P 2 clang-format --dry-run -Werror 2>"$out"; then
    rm -f "$out"
    return 0
  fi
  files=$(grep -- '-Wclang-format-violations' "$out" | cut -d: -f1 | LC_ALL=C sort -u || true)
  if [ -z "$files" ]; then cat "$out" >&2; else sed 's/^/  /' <<<"$files" >&2; fi
  rm -f "$out"
  echo "format: these files differ from .clang-format (npm run format rewrites them;" \
    "clang-format --dry-run FILE shows where)" >&2
  return 1
}

if [ "${CW_SKIP_FORMAT:-0}" = 1 ]; then
  echo "format: skipped (CW_SKIP_FORMAT=1)"
else
  command -v clang-format >/dev/null || { echo "format: clang-format is missing (scripts/setup.sh installs it)" >&2; exit 1; }
  # The C files' paths, sizes and mtimes, .clang-format's and clang-format's version.
  stamp=build/stamps/format
  fingerprint=$({ find src wasm test/c .clang-format \( -name '*.[ch]' -o -name .clang-format \) \
    -printf '%p %s %T@\n'; clang-format --version; } | LC_ALL=C sort | sha256sum | cut -d' ' -f1)
  if [ -f $stamp ] && [ "$(cat $stamp)" = "$fingerprint" ]; then
    echo "format: src/ wasm/ test/c match .clang-format (unchanged since the last check)"
  else
    rm -f $stamp
    check_format || exit 1
    echo "$fingerprint" >$stamp
    echo "format: src/ wasm/ test/c match .clang-format"
  fi
fi

node_modules/.bin/eslint --cache --cache-location build/.eslintcache js/
echo "lint: js/ clean"

node scripts/check-commit-subjects.mjs
