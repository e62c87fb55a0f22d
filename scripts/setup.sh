#!/usr/bin/env bash
# Installs everything a fresh Debian bookworm machine lacks to build and test
# cwasm: Debian packages, cJSON's source from Debian's source package
# (third_party/), npm packages from the committed lock file, and the test
# data (photos, speech clips). Idempotent: each step checks first and does
# nothing when it is done, so a second run takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(emscripten chromium dpkg-dev libcmocka-dev pkg-config espeak-ng sox clang-format)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

src_list=/etc/apt/sources.list.d/cwasm-deb-src.sources
need_update=0
if [ ! -f "$src_list" ]; then
  # deb-src for the same mirror the machine already uses, so `apt-get source` works.
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  uri=${uri:-http://deb.debian.org/debian}
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
    | $SUDO tee "$src_list" >/dev/null
  need_update=1
fi

if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# cJSON's source from Debian's source package into third_party/cjson; CMake
# compiles cJSON.c into each library with that library's flags.
if [ ! -f third_party/cjson/cJSON.c ] || [ ! -f third_party/cjson/cJSON.h ]; then
  echo "setup: copying cJSON from Debian's source package"
  rm -rf third_party/cjson-src && mkdir -p third_party/cjson-src third_party/cjson
  (cd third_party/cjson-src && apt-get source -qq cjson >/dev/null 2>&1 || apt-get source cjson)
  dir=$(find third_party/cjson-src -maxdepth 1 -mindepth 1 -type d -name 'cjson-*' | head -n 1)
  cp "$dir/cJSON.c" "$dir/cJSON.h" third_party/cjson/
fi

# npm packages from the lock file: npm ci when node_modules was installed
# from another lock file (node_modules/.lock-sha256, written after each npm
# ci; without it, when package-lock.json is newer than npm's record of the
# install). A lock file only touched (a checkout) reinstalls nothing.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
need_npm=0
if [ ! -d node_modules ]; then
  need_npm=1
elif [ -f node_modules/.lock-sha256 ]; then
  [ "$(cat node_modules/.lock-sha256)" = "$lock_sum" ] || need_npm=1
elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
  need_npm=1
fi
if [ $need_npm = 1 ]; then
  if [ -L node_modules ]; then
    # npm ci would empty the linked folder, another checkout's packages.
    echo "setup: node_modules links to $(readlink -f node_modules), installed from another" \
      "package-lock.json: run npm ci there (or replace the link by a folder)" >&2
    exit 1
  fi
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >node_modules/.lock-sha256
fi
bash scripts/fetch-photos.sh
bash scripts/make-speech-data.sh
echo "setup: ok"
