#!/usr/bin/env bash
# Puts four photos from scikit-image's sample data (Debian's python3-skimage
# package) into data/photos/ for the detector tests: astronaut.png,
# chelsea.png, coffee.png, motorcycle_left.png. Idempotent; a no-op when the
# photos are there. Downloads the .deb with apt-get (no install, no root
# needed) and unpacks it with dpkg -x into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

PHOTOS=(astronaut.png chelsea.png coffee.png motorcycle_left.png)
DEST=data/photos

missing=0
for p in "${PHOTOS[@]}"; do
  [ -s "$DEST/$p" ] || missing=1
done
if [ $missing = 0 ]; then exit 0; fi

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-photos: downloading python3-skimage for its sample photos"
if ! (cd "$tmp" && apt-get download -qq python3-skimage >/dev/null 2>&1); then
  $SUDO apt-get update -qq
  (cd "$tmp" && apt-get download -qq python3-skimage)
fi
deb=$(find "$tmp" -maxdepth 1 -name 'python3-skimage_*.deb' | head -n 1)
if [ -z "$deb" ]; then
  echo "fetch-photos: apt-get download python3-skimage gave no .deb" >&2
  exit 1
fi
dpkg -x "$deb" "$tmp/x"

mkdir -p "$DEST"
for p in "${PHOTOS[@]}"; do
  src=$(find "$tmp/x" -path '*/skimage/data/*' -name "$p" | head -n 1)
  if [ -z "$src" ]; then
    echo "fetch-photos: $p is not in $(basename "$deb")" >&2
    exit 1
  fi
  cp "$src" "$DEST/$p"
done
echo "fetch-photos: ${PHOTOS[*]} -> $DEST/"
