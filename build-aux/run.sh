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
# The translations compiled in the build tree (po/<lang>/LC_MESSAGES), so
# that LANGUAGE=de build-aux/run.sh speaks German without installing.
export NATTER_LOCALE_DIR="$PWD/$builddir/po"
# LANGUAGE is ignored under the plain C locale; C.UTF-8 honours it.
case "${LC_ALL:-${LC_MESSAGES:-${LANG:-C}}}" in
  C|POSIX) [ -n "${LANGUAGE:-}" ] && export LC_ALL=C.UTF-8 ;;
esac
exec "$builddir/src/gui/natter" "$@"
