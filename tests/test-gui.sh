#!/bin/bash
# test-gui.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The wrapper meson runs each GUI test binary through (tests/gui/meson.build):
#   test-gui.sh BINARY [ARGS...]
# runs BINARY inside its own Xvfb and a private D-Bus session with its own
# gnome-keyring-daemon, on a temporary data dir, and passes its TAP output
# and exit status through. NATTER_UPDATE_SCREENSHOTS=1 also copies the
# screenshots to data/screenshots/ in the source tree.

set -u

if [ $# -lt 1 ]; then
  echo "usage: $0 BINARY [ARGS...]" >&2
  exit 2
fi
binary=$1
shift

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

export NATTER_DATA_DIR="$tmp/data"
export XDG_DATA_HOME="$tmp/xdg-data"
export XDG_CONFIG_HOME="$tmp/xdg-config"
export XDG_CACHE_HOME="$tmp/xdg-cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
if [ -n "${NATTER_BUILD_DIR:-}" ]; then
  export GSETTINGS_SCHEMA_DIR="$NATTER_BUILD_DIR/data"
  export NATTER_SCREENSHOT_DIR="$NATTER_BUILD_DIR/screenshots"
fi
export GSETTINGS_BACKEND=memory
export GSK_RENDERER=cairo
export GDK_BACKEND=x11
export NO_AT_BRIDGE=1
# Tests that store keys refuse to run without this (a throwaway keyring).
export NATTER_TEST_PRIVATE_KEYRING=1
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

inner="$tmp/inner.sh"
cat > "$inner" <<'INNER'
#!/bin/bash
# A private keyring, unlocked with a password: with an empty one the login
# keyring is not created and the first stored key waits on a prompt that
# never shows.
printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
gdbus wait --session --timeout 20 org.freedesktop.secrets
# A notification server (shows nothing), as every desktop has one.
if [ -x "${NATTER_BUILD_DIR:-/nonexistent}/tests/natter-fake-notifications" ]; then
  "$NATTER_BUILD_DIR/tests/natter-fake-notifications" &
  gdbus wait --session --timeout 20 org.freedesktop.Notifications
fi
exec "$@" 1>&3 3>&-
INNER
chmod +x "$inner"

# Only the test writes to stdout (TAP); the daemons' chatter goes to stderr.
xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$inner" "$binary" "$@" 3>&1 1>&2
status=$?

if [ "${NATTER_UPDATE_SCREENSHOTS:-0}" = 1 ] && [ -n "${NATTER_SOURCE_DIR:-}" ] &&
   [ -d "${NATTER_SCREENSHOT_DIR:-/nonexistent}" ]; then
  mkdir -p "$NATTER_SOURCE_DIR/data/screenshots"
  cp "$NATTER_SCREENSHOT_DIR"/*.png "$NATTER_SOURCE_DIR/data/screenshots/"
fi

exit $status
