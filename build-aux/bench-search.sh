#!/usr/bin/env bash
# build-aux/bench-search.sh
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Shell's search (org.gnome.Shell.SearchProvider2) on a store of
# 1,000,000 messages (100 chats × 10,000), generated once into a temporary
# cache and reused: what the provider answers, the same over a private
# D-Bus session as the Shell asks it, and the longest main-loop stall.
# Prints figures; never fails on time.
#
# Usage: build-aux/bench-search.sh [BUILD_DIR]   (default: $NATTER_BUILD_DIR or _build)
#        CHATS / PER_CHAT change the store; NATTER_BENCH_CACHE=DIR keeps it
#        elsewhere (default BUILD_DIR/bench-data, shared with bench-startup.sh).

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${NATTER_BUILD_DIR:-$SRC/_build}}
BUILD=$(cd "$BUILD" && pwd)
CHATS=${CHATS:-100}
PER_CHAT=${PER_CHAT:-10000}
CACHE=${NATTER_BENCH_CACHE:-$BUILD/bench-data}
GEN=$BUILD/tests/bench/bench-startup
BENCH=$BUILD/tests/gui/bench-search-provider

for bin in "$GEN" "$BENCH"; do
  [ -x "$bin" ] || { echo "bench-search: $bin not built (ninja -C $BUILD)" >&2; exit 1; }
done

BIG=$CACHE/big-$CHATS-$PER_CHAT
if [ ! -s "$BIG/natter.db" ]; then
  mkdir -p "$BIG"
  echo "Generating $((CHATS * PER_CHAT)) messages into $BIG (once; reused by later runs)..."
  rm -f "$BIG"/natter.db*
  "$GEN" generate "$BIG/natter.db" "$CHATS" "$PER_CHAT"
fi
# A search index check left pending by an unclean close runs to its end
# first, so it does not compete with the figures.
"$GEN" settle "$BIG/natter.db"

export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
echo "Store: $((CHATS * PER_CHAT)) messages in $CHATS chats ($(du -h "$BIG/natter.db" | cut -f1))"
dbus-run-session -- "$BENCH" "$BIG/natter.db" "$SRC/tests/fixtures/sillytavern/default_Seraphina.png"
