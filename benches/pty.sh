#!/usr/bin/env bash
# The pty figures of issue #15 in one run, side by side: the floor apps, jless, fantrack.
# Run from the repository root after a release build:
#   cargo build --release --bins --examples
#   cargo build --release --manifest-path ../shared/tools/floorkey/Cargo.toml --target-dir /tmp/floorkey
#   cargo install jless --version 0.9.0      # needs libxcb-shape0-dev libxcb-xfixes0-dev
#   target/release/examples/trakt_history /tmp/bench
#   target/release/fantrack --file /tmp/bench/library.ron export --format json > /tmp/bench/big.json
#   bash benches/pty.sh [RUNS] [KEYS] [BENCH_DIR]
# Everything the app writes (config, state, caches, its own copy of each library) goes to a
# fresh temporary directory, never the real config dir.
set -euo pipefail
RUNS=${1:-11}
KEYS=${2:-300}
B=${3:-/tmp/bench}
TOOLS=${TOOLS:-../shared/tools}
FLOOR=${FLOOR:-/tmp/floorkey/release/floorkey}
BIN=${BIN:-$PWD/target/release/fantrack}
FULL=$PWD/target/release/examples/full_floor
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/config FANTRACK_STATE_DIR=$T/state FANTRACK_CACHE_DIR=$T/cache
export FANTRACK_TVMAZE_URL=http://127.0.0.1:9
cp "$B/library.ron" "$T/big.ron"

# A clean run writes the library cache and the saved state (see benches/clean_run.py).
clean_run() { python3 "$(dirname "$0")/clean_run.py" "$BIN" "$1"; }
clean_run "$T/big.ron"
clean_run "$T/cat.ron"   # the first run writes the shipped catalog
clean_run "$T/cat.ron"
cp -r "$T/state" "$T/state.saved"
restore_state() { rm -rf "$T/state"; cp -r "$T/state.saved" "$T/state"; }

ttfi() { python3 "$TOOLS/ttfi.py" -n "$RUNS" "$@" | tail -1; }
keylat() { python3 "$TOOLS/keylat.py" -n "$KEYS" "$@" | tail -1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== time to answer the first key (medians of $RUNS)"
echo "floor:            $(ttfi 'j' KEYSEEN -- "$FLOOR")"
echo "jless (G):        $(ttfi 'G' 'amelie-shift/s05e10' -- jless "$B/big.json")"
restore_state
echo "unchanged (G):    $(ttfi 'G' Premiere -- "$BIN" --file "$T/big.ron")"
restore_state
echo "edited (G):       $(ttfi --env FANTRACK_CACHE_DIR=/proc/none 'G' Premiere -- "$BIN" --file "$T/big.ron")"
restore_state
echo "catalog (G):      $(ttfi 'G' Premiere -- "$BIN" --file "$T/cat.ron")"
echo "== key -> frame ($KEYS keys)"
echo "floor j/k:        $(keylat floor 'j,k' -- "$FLOOR")"
echo "full floor j/k:   $(keylat floor 'j,k' -- "$FULL")"
restore_state
echo "j/k:              $(keylat Franchise 'j,k' -- "$BIN" --file "$T/big.ron")"
restore_state
echo "search keystroke: $(keylat --pre '/' Franchise 'a,\x7f' -- "$BIN" --file "$T/big.ron")"
restore_state
echo "Space, episode:   $(keylat --pre 'ljljlj' Franchise ' ' -- "$BIN" --file "$T/big.ron")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
