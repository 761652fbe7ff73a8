#!/bin/bash
# test-gui.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the GUI tests that need a display inside Xvfb and a private D-Bus
# session with its own gnome-keyring-daemon, on a temporary data dir.
# Prints TAP. NATTER_UPDATE_SCREENSHOTS=1 also copies the screenshots to
# data/screenshots/ in the source tree.

set -u

build="${NATTER_BUILD_DIR:?}"
src="${NATTER_SOURCE_DIR:?}"
tests=(test-window test-dialogs test-chat-view test-presets)

for t in "${tests[@]}"; do
  if [ ! -x "$build/tests/gui/$t" ]; then
    echo "1..0 # SKIP $t not built (gui disabled?)"
    exit 0
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

export NATTER_DATA_DIR="$tmp/data"
export XDG_DATA_HOME="$tmp/xdg-data"
export XDG_CONFIG_HOME="$tmp/xdg-config"
export XDG_CACHE_HOME="$tmp/xdg-cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
export GSETTINGS_SCHEMA_DIR="$build/data"
export GSETTINGS_BACKEND=memory
export GSK_RENDERER=cairo
export GDK_BACKEND=x11
export NO_AT_BRIDGE=1
export NATTER_SCREENSHOT_DIR="$build/screenshots"
# Tests that store keys refuse to run without this (a throwaway keyring).
export NATTER_TEST_PRIVATE_KEYRING=1
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

inner="$tmp/inner.sh"
cat > "$inner" <<INNER
#!/bin/bash
# A private keyring, unlocked with an empty password.
# A password, not an empty one: with an empty one the login keyring is not
# created and the first stored key waits on a prompt that never shows.
printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
gdbus wait --session --timeout 20 org.freedesktop.secrets
status=0
for t in ${tests[*]}; do
  "$build/tests/gui/\$t" --tap > "$tmp/\$t.tap"
  code=\$?
  echo \$code > "$tmp/\$t.status"
  [ \$code -eq 0 ] || status=1
done
exit \$status
INNER
chmod +x "$inner"

xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$inner" > "$tmp/stdout" 2> "$tmp/stderr"
status=$?
# One TAP stream: the binaries' results renumbered under a single plan,
# plus a failure for a binary that crashed or exited non-zero.
n=0
for t in "${tests[@]}"; do
  while IFS= read -r line; do
    case "$line" in
      "ok "[0-9]*)
        n=$((n + 1)); echo "ok $n ${line#ok * }" ;;
      "not ok "[0-9]*)
        n=$((n + 1)); echo "not ok $n ${line#not ok * }" ;;
      "Bail out!"*)
        n=$((n + 1)); echo "not ok $n - $t: $line" ;;
      1..[0-9]*) ;;
      "#"*) echo "$line" ;;
      *) echo "# $line" ;;
    esac
  done < "$tmp/$t.tap"
  code=$(cat "$tmp/$t.status" 2>/dev/null || echo missing)
  if [ "$code" != 0 ]; then
    n=$((n + 1)); echo "not ok $n - $t exited with status $code"
  fi
done
echo "1..$n"
if [ $status -ne 0 ]; then
  cat "$tmp/stderr" >&2
fi

if [ "${NATTER_UPDATE_SCREENSHOTS:-0}" = 1 ] && [ -d "$NATTER_SCREENSHOT_DIR" ]; then
  mkdir -p "$src/data/screenshots"
  cp "$NATTER_SCREENSHOT_DIR"/*.png "$src/data/screenshots/"
fi

exit $status
