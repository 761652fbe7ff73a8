#!/bin/bash
# test-kill.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Streams replies into a database and kill -9s the writer at random times;
# after each kill the database must be sound, every finished message intact
# and at most the reply in flight partial (marked incomplete). Prints TAP.

set -u

KILLS=${NATTER_KILLS:-30}
BIN="${NATTER_BUILD_DIR:-_build}/tests/kill-writer"

if [ ! -x "$BIN" ]; then
  echo "1..0 # SKIP kill-writer not built ($BIN)"
  exit 0
fi

DIR=$(mktemp -d "${TMPDIR:-/tmp}/natter-kill-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/natter.db"

echo "1..$KILLS"
failed=0
for i in $(seq 1 "$KILLS"); do
  ms=$(( (RANDOM % 351) + 50 ))
  "$BIN" "$DB" 2>"$DIR/writer.log" &
  pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "not ok $i - the writer stopped by itself: $(cat "$DIR/writer.log")"
    failed=1
    continue
  fi
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  if out=$("$BIN" --check "$DB" 2>&1); then
    echo "ok $i - killed after ${ms} ms: $out"
  else
    echo "not ok $i - killed after ${ms} ms: $out"
    failed=1
  fi
done

exit $failed
