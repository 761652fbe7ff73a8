#!/usr/bin/env bash
# bench-startup.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Start-up and search with a large store (issue 8). Builds (once, then
# reuses) a store of 1,000,000 messages (100 chats × 10,000) and, in the
# same run, against it and against an empty store:
#   - `natter-cli profile list` wall time (median and best of RUNS runs),
#     plus one run right after an unclean close (the integrity check runs),
#   - the time from launch to the main window's first frame (the app
#     honours NATTER_BENCH_FIRST_FRAME=1: prints the time of its first frame
#     and quits; under xvfb-run and dbus-run-session),
#   - search latency off the main thread and the longest main-loop gap
#     meanwhile (tests/bench/bench-startup search).
# Prints figures; never fails on time.
#
# Usage: build-aux/bench-startup.sh [BUILD_DIR]   (default: $NATTER_BUILD_DIR or _build)
#        RUNS=N runs per figure (default 5); CHATS / PER_CHAT change the store;
#        NATTER_BENCH_CACHE=DIR keeps the generated store elsewhere
#        (default BUILD_DIR/bench-data).

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${NATTER_BUILD_DIR:-$SRC/_build}}
BUILD=$(cd "$BUILD" && pwd)
RUNS=${RUNS:-5}
CHATS=${CHATS:-100}
PER_CHAT=${PER_CHAT:-10000}
CACHE=${NATTER_BENCH_CACHE:-$BUILD/bench-data}
CLI=$BUILD/src/cli/natter-cli
APP=$BUILD/src/natter
BENCH=$BUILD/tests/bench/bench-startup

for bin in "$CLI" "$BENCH"; do
  [ -x "$bin" ] || { echo "bench-startup: $bin not built (ninja -C $BUILD)" >&2; exit 1; }
done
[ -x "$APP" ] || APP=$(find "$BUILD/src" -maxdepth 2 -type f -name natter -perm -u+x | head -n 1)

BIG=$CACHE/big-$CHATS-$PER_CHAT
EMPTY=$(mktemp -d)
trap 'rm -rf "$EMPTY"' EXIT

# Keyring and settings stay out of the way: the CLI reads no key here.
export GSETTINGS_BACKEND=memory
export NO_AT_BRIDGE=1

if [ ! -s "$BIG/natter.db" ]; then
  mkdir -p "$BIG"
  echo "Generating $((CHATS * PER_CHAT)) messages into $BIG (once; reused by later runs)..."
  rm -f "$BIG"/natter.db*
  "$BENCH" generate "$BIG/natter.db" "$CHATS" "$PER_CHAT"
fi

size=$(du -h "$BIG/natter.db" | cut -f1)
messages=$(sqlite3 "$BIG/natter.db" "SELECT count(*) FROM messages" 2>/dev/null || echo "?")

now_ns() { date +%s%N; }

# Wall time of one command in milliseconds.
time_ms() {
  local start end
  start=$(now_ns)
  "$@" >/dev/null 2>&1 || true
  end=$(now_ns)
  echo $(((end - start) / 1000000))
}

# "median best" of RUNS runs of the command.
median_best() {
  local times=() t
  for _ in $(seq "$RUNS"); do
    t=$(time_ms "$@")
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%d %d\n", a[int((NR + 1) / 2)], a[1] }'
}

cli_in() {
  NATTER_DATA_DIR=$1 "$CLI" profile list
}

# An empty store, created by a first run.
cli_in "$EMPTY" >/dev/null 2>&1 || true

echo
echo "Store: $messages messages in $CHATS chats, $size ($BIG/natter.db)"
echo
echo "| natter-cli profile list | median | best |"
echo "| --- | ---: | ---: |"
read -r med best < <(median_best cli_in "$EMPTY")
echo "| empty store | $med ms | $best ms |"
empty_cli=$med
read -r med best < <(median_best cli_in "$BIG")
echo "| $messages messages | $med ms | $best ms |"
big_cli=$med
# After a kill -9 the stamp of the last clean close is gone: the next start
# checks the whole file once.
: > "$BIG/natter.db-state"
t=$(time_ms cli_in "$BIG")
echo "| $messages messages, first start after an unclean close (full check) | $t ms | |"
t=$(time_ms cli_in "$BIG")
echo "| $messages messages, the start after that | $t ms | |"
# The search index check that the unclean close left pending runs to its
# end here, so it does not compete with the runs below.
"$BENCH" settle "$BIG/natter.db"
awk -v a="$big_cli" -v b="$empty_cli" 'BEGIN { if (b > 0) printf "\nlarge / empty (median): %.2f×\n", a / b }'

# First window: the app prints the wall-clock time of its first frame and
# quits (NATTER_BENCH_FIRST_FRAME=1); measured from just before its launch,
# with the process's CPU time (less sensitive to a busy machine). The same
# 100 chats with 10 messages each tell the size of the data from what the
# window shows.
SMALL=$EMPTY/small
mkdir -p "$SMALL"
"$BENCH" generate "$SMALL/natter.db" "$CHATS" 10 >/dev/null
echo
first_window_runs() {
  local dir=$1 label=$2
  cat > "$EMPTY/inner.sh" <<INNER
set -u
export GSETTINGS_SCHEMA_DIR="$BUILD/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo NO_AT_BRIDGE=1
export XDG_CONFIG_HOME="$EMPTY/config" XDG_CACHE_HOME="$EMPTY/cache"
for i in \$(seq $RUNS); do
  start=\$(date +%s%N)
  NATTER_DATA_DIR="$dir" NATTER_BENCH_FIRST_FRAME=1 timeout 60 /usr/bin/time -f "cpu %U %S" -o "$EMPTY/cpu" "$APP" > "$EMPTY/out" 2>/dev/null
  at=\$(awk '/^natter-first-frame-at-us / { print \$2; exit }' "$EMPTY/out")
  cpu=\$(awk '/^cpu / { printf "%d", (\$2 + \$3) * 1000 }' "$EMPTY/cpu")
  [ -n "\$at" ] && echo \$(( (at * 1000 - start) / 1000000 )) \$cpu
done
INNER
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$EMPTY/inner.sh" 2>/dev/null \
    > "$EMPTY/runs"
  [ -s "$EMPTY/runs" ] || return 0
  local wall best cpu
  wall=$(cut -d' ' -f1 "$EMPTY/runs" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  best=$(cut -d' ' -f1 "$EMPTY/runs" | sort -n | head -n 1)
  cpu=$(cut -d' ' -f2 "$EMPTY/runs" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "| $label | $wall ms | $best ms | $cpu ms |"
}
if [ -n "$APP" ] && [ -x "$APP" ] && [ -x /usr/bin/time ] && command -v xvfb-run >/dev/null &&
   command -v dbus-run-session >/dev/null; then
  empty_row=$(first_window_runs "$EMPTY" "empty store")
  if [ -n "$empty_row" ]; then
    echo "| first window (first frame) | median | best | CPU (median) |"
    echo "| --- | ---: | ---: | ---: |"
    echo "$empty_row"
    first_window_runs "$SMALL" "$CHATS chats × 10 messages"
    first_window_runs "$BIG" "$CHATS chats × $PER_CHAT messages"
  else
    echo "First window: not measured (the app did not print natter-first-frame-at-us under NATTER_BENCH_FIRST_FRAME=1)."
  fi
else
  echo "First window: not measured (no app, /usr/bin/time, xvfb-run or dbus-run-session)."
fi

echo
echo "Search on the $messages-message store (limit 50; a 1 ms main-loop tick measures stalls):"
"$BENCH" search "$BIG/natter.db"
