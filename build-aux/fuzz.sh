#!/usr/bin/env bash
# build-aux/fuzz.sh
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the libFuzzer targets for as long as asked:
#
#   build-aux/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 600); TARGETs among card, charx, framers,
# dialects, prompt, st-chat, mcp (default: all). Each is built by
# tests/fuzz/run-fuzz.sh with clang, ASan and UBSan into _build (or
# $BUILDDIR); its growing corpus stays in BUILDDIR/tests/fuzz/fuzz-TARGET.d
# so a later run starts where this one stopped. Prints one line per target
# and exits non-zero when one of them found a problem (the crashing input
# is in that directory; keep it in tests/fuzz/corpus/TARGET once fixed).
set -u

src=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(card charx framers event-stream dialects prompt st-chat mcp)

export NATTER_SOURCE_DIR=$src
export NATTER_BUILD_DIR=${BUILDDIR:-$src/_build}
export NATTER_FIXTURES_DIR=$src/tests/fixtures
export NATTER_FUZZ_SECONDS=$seconds

status=0
for t in "${targets[@]}"; do
  line=$(nice -n 10 bash "$src/tests/fuzz/run-fuzz.sh" "$t" | grep -E '^(not )?ok ')
  echo "$line"
  case $line in ok*) ;; *) status=1 ;; esac
done
exit $status
