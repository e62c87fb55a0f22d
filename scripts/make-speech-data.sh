#!/usr/bin/env bash
# Synthesizes the spoken-commands data set (examples/speech-commands) into
# data/speech/: 20 classes (18 command words, 'unknown' for other words,
# 'background noise'), spoken by 88 espeak-ng voices at random speeds and
# pitches, placed at a random time in a 1 s window (44,032 samples at
# 44.1 kHz, 16-bit mono) with random gain, noise and room echo (sox). 8 of the voices
# are held out for testing (listed in scripts/make-speech-data.mjs).
# Output: clips.i16 (int16 PCM, clips concatenated) and index.json.
# Idempotent: a no-op when data/speech/.stamp holds the current version.
# Needs espeak-ng, sox, node, bash.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=data/speech
VERSION=$(sed -n "s/^export const VERSION = '\(.*\)';/\1/p" scripts/make-speech-data.mjs)
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$VERSION" ] \
    && [ -f "$OUT/clips.i16" ] && [ -f "$OUT/index.json" ]; then
  exit 0
fi
for tool in espeak-ng sox soxi node; do
  command -v "$tool" >/dev/null || { echo "make-speech-data: $tool is missing" >&2; exit 1; }
done

# Repeatable sox: its dither (16-bit output after resampling) and noise draw
# the same numbers on every run, so the data set is the same on every machine.
export SOX_OPTS=-R

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -f "$OUT/.stamp"

# One clip: speech (or nothing) placed in the window, plus noise -> TMP/<i>.raw.
clip() {
  local i=$1 voice=$2 word=$3 speed=$4 pitch=$5 gain=$6 noise=$7 amp=$8 offset=$9 echo=${10}
  local n=44032 t="$TMP/$i" raw=(-t raw -e signed-integer -b 16 -c 1 -r 44100)
  if [ "$word" = - ]; then
    sox -r 44100 -n "${raw[@]}" "$t.p.raw" synth "${n}s" sine 0 vol 0
  else
    espeak-ng -v "$voice" -s "$speed" -p "$pitch" -w "$t.wav" "$word"
    # Silence cut at both ends, an echo (delay ms:decay) or none, peak
    # normalised to $gain dBFS, resampled.
    local room=()
    if [ "$echo" != - ]; then room=(echo 0.6 1 "${echo%%:*}" "${echo##*:}"); fi
    sox -V1 "$t.wav" -r 44100 -c 1 -b 16 "$t.s.wav" \
      silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse "${room[@]}" gain -n "$gain"
    local len start
    len=$(soxi -s "$t.s.wav")
    start=$(awk -v f="$offset" -v free=$((n - len)) 'BEGIN { s = int(f * free); print (s > 0 ? s : 0) }')
    if [ "$len" -ge "$n" ]; then
      sox "$t.s.wav" "${raw[@]}" "$t.p.raw" trim 0 "${n}s"
    else
      sox "$t.s.wav" "${raw[@]}" "$t.p.raw" pad "${start}s" "$((n - len - start))s"
    fi
  fi
  if [ "$amp" = 0.0000 ]; then
    mv "$t.p.raw" "$t.raw"
  else
    # sox -R repeats its noise; a clip-dependent skip gives each clip its own stretch.
    local skip=$(( (i * 7919) % 100000 ))
    sox -R -r 44100 -n "${raw[@]}" "$t.n.raw" synth "$((n + skip))s" "$noise" vol "$amp" trim "${skip}s"
    sox -m -v 1 "${raw[@]}" "$t.p.raw" -v 1 "${raw[@]}" "$t.n.raw" "${raw[@]}" "$t.raw" 2>/dev/null
  fi
  rm -f "$t.wav" "$t.s.wav" "$t.p.raw" "$t.n.raw"
}
export -f clip
export TMP

start=$SECONDS
node scripts/make-speech-data.mjs plan | xargs -P 2 -L 1 bash -c 'clip "$@"' _
node scripts/make-speech-data.mjs pack "$TMP" "$OUT"
echo "$VERSION" > "$OUT/.stamp"
echo "make-speech-data: $(du -sh "$OUT" | cut -f1) in $OUT, $((SECONDS - start)) s"
