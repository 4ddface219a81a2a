#!/usr/bin/env bash
# Traced starts from the cache, interleaved (A, B, A, B ...): each start's phases
# (FANTRACK_TRACE_START) appended to /tmp/trace/NAME.txt, NAME the binary's file name; then
# the medians (benches/trace_sum.py). From the repository root, after the set-up in
# benches/pty.sh:
#   bash benches/trace.sh 15 /tmp/fantrack-old /tmp/fantrack-new
# The measuring script kills the app right after its first key, so some starts write nothing.
set -euo pipefail
N=$1; shift
TOOLS=${TOOLS:-../shared/tools}
B=${B:-/tmp/bench}
OUT=${OUT:-/tmp/trace}
mkdir -p "$OUT"
declare -a TS
for bin in "$@"; do
  rm -f "$OUT/$(basename "$bin").txt"
  T=$(mktemp -d); TS+=("$T"); mkdir -p "$T/config"; cp "$B/library.ron" "$T/big.ron"
  XDG_CONFIG_HOME=$T/config FANTRACK_STATE_DIR=$T/state FANTRACK_CACHE_DIR=$T/cache \
    python3 "$(dirname "$0")/clean_run.py" "$bin" "$T/big.ron" 4
  cp -r "$T/state" "$T/state.saved"
done
for r in $(seq "$N"); do
  i=0
  for bin in "$@"; do
    T=${TS[$i]}; i=$((i+1))
    rm -rf "$T/state"; cp -r "$T/state.saved" "$T/state"
    XDG_CONFIG_HOME=$T/config FANTRACK_STATE_DIR=$T/state FANTRACK_CACHE_DIR=$T/cache \
      python3 "$TOOLS/ttfi.py" -n 1 --env FANTRACK_TRACE_START="$OUT/$(basename "$bin").txt" \
      'G' Premiere -- "$bin" --file "$T/big.ron" > /dev/null 2>&1 || true
  done
done
for bin in "$@"; do python3 "$(dirname "$0")/trace_sum.py" "$OUT/$(basename "$bin").txt"; done
