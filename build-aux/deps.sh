#!/usr/bin/env bash
# build-aux/deps.sh
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian/Ubuntu packages Natter needs to build, run and test.
# Only packages that are missing are installed; uses sudo when not root.
set -eu

packages=(
  meson ninja-build pkg-config gcc gettext itstool
  libglib2.0-dev libglib2.0-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsecret-1-dev libsqlite3-dev libmd4c-dev libmd4c-html0-dev libarchive-dev libcjson-dev libpcre2-dev
  desktop-file-utils appstream
  gnome-keyring dbus dbus-x11 xvfb xauth
  at-spi2-core python3-gi gir1.2-atspi-2.0
  curl python3 zlib1g-dev libgnutls28-dev gnome-text-editor
  clang libclang-rt-14-dev
  fonts-cantarell adwaita-icon-theme
  time
  libgdk-pixbuf-2.0-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "Installing missing packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
