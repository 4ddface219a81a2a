#!/usr/bin/env bash
# First-key times of two or more builds, interleaved (A, B, A, B ...), each with its own copy of
# the library and its own config, state and caches in a temporary directory. From the repository
# root, after the set-up in benches/pty.sh:
#   CASES="unchanged catalog edited" bash benches/ab.sh ROUNDS BIN...
set -euo pipefail
ROUNDS=$1; shift
TOOLS=${TOOLS:-../shared/tools}
B=${B:-/tmp/bench}
declare -a TS
for bin in "$@"; do
  T=$(mktemp -d); TS+=("$T")
  mkdir -p $T/config
  cp $B/library.ron $T/big.ron
  for f in big cat cat; do
    XDG_CONFIG_HOME=$T/config FANTRACK_STATE_DIR=$T/state FANTRACK_CACHE_DIR=$T/cache \
      python3 "$(dirname "$0")/clean_run.py" "$bin" "$T/$f.ron" 4
  done
  cp -r $T/state $T/state.saved
done
for r in $(seq $ROUNDS); do
  for case in ${CASES:-unchanged catalog edited}; do
    i=0
    for bin in "$@"; do
      T=${TS[$i]}; i=$((i+1))
      rm -rf $T/state; cp -r $T/state.saved $T/state
      export XDG_CONFIG_HOME=$T/config FANTRACK_STATE_DIR=$T/state FANTRACK_CACHE_DIR=$T/cache FANTRACK_TVMAZE_URL=http://127.0.0.1:9
      case $case in
        unchanged) out=$(python3 $TOOLS/ttfi.py -n 11 G Premiere -- $bin --file $T/big.ron | tail -1);;
        catalog) out=$(python3 $TOOLS/ttfi.py -n 11 G Premiere -- $bin --file $T/cat.ron | tail -1);;
        edited) out=$(python3 $TOOLS/ttfi.py -n 11 --env FANTRACK_CACHE_DIR=/proc/none G Premiere -- $bin --file $T/big.ron | tail -1);;
      esac
      echo "round $r $case $(basename $bin): $out"
    done
  done
done
for T in "${TS[@]}"; do rm -rf $T; done
