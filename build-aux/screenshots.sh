#!/usr/bin/env bash
# build-aux/screenshots.sh
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Refreshes the screenshots the AppStream metainfo lists (data/screenshots)
# by driving the app under Xvfb: the GUI tests that open those windows
# (test-window, test-dialogs, through tests/test-gui.sh) save them, and
# only the files the metainfo names are copied back. A stable build (not
# .Devel, whose header bar is striped) in its own build directory.
#
# Usage: build-aux/screenshots.sh [BUILD_DIR]   (default: _build-screenshots)

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/_build-screenshots}
META=$SRC/data/io.github.natterapp.Natter.metainfo.xml.in.in

if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "$SRC" -Ddevelopment=false
fi
nice -n 10 ninja -C "$BUILD"

rm -rf "$BUILD/screenshots"
mkdir -p "$BUILD/screenshots"
# test-gui.sh points NATTER_SCREENSHOT_DIR at $BUILD/screenshots.
meson test -C "$BUILD" --no-rebuild test-window test-dialogs

names=$(sed -n 's|.*<image>.*/data/screenshots/\([^<]*\)</image>.*|\1|p' "$META")
status=0
for name in $names; do
  if [ -s "$BUILD/screenshots/$name" ]; then
    cp "$BUILD/screenshots/$name" "$SRC/data/screenshots/$name"
    echo "updated data/screenshots/$name"
  else
    echo "screenshots: $name was not produced by the GUI tests" >&2
    status=1
  fi
done
exit $status
