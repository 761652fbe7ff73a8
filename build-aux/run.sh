#!/usr/bin/env bash
# build-aux/run.sh
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is missing, builds, and launches Natter from the build
# tree (development build: its data lives apart from an installed Natter).
set -eu
cd "$(dirname "$0")/.."

bash build-aux/deps.sh

builddir=${BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Ddevelopment=true
fi
ninja -C "$builddir"

export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
exec "$builddir/src/gui/natter" "$@"
