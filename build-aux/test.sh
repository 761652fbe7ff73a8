#!/usr/bin/env bash
# build-aux/test.sh
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is missing, builds, and runs every test. Prints the
# closing line "N passed, M failed" from meson's testlog.json.
set -eu
cd "$(dirname "$0")/.."

bash build-aux/deps.sh

builddir=${BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Ddevelopment=true --werror
fi
ninja -C "$builddir"

status=0
meson test -C "$builddir" --num-processes 2 --print-errorlogs "$@" || status=$?

python3 build-aux/count-tests.py "$builddir/meson-logs/testlog.json" || status=1
exit $status
