#!/usr/bin/env bash
# bench-gui.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# GUI benchmarks (issue 4), all under one Xvfb with software rendering
# (GSK_RENDERER=cairo). Prints figures; never passes or fails.
#   1. cold start to first mapped window: natter vs gnome-text-editor,
#      each started the same way, RUNS times, median and best;
#   2. streaming 2,000 tokens/s into the chat view: main-thread CPU per
#      token and worst frame, at the start and at the end of a 20,000-token
#      reply of paragraphs, of one long list, and of one long code block;
#   3. scrolling a 10,000-message chat: 600 frames at 60 px/frame (a
#      kinetic flick) and at 300 px/frame (a fast drag) from the top, then
#      top to bottom at 1,500 px/frame: mean and worst frame, frames over
#      16 ms;
#   4. RSS with a 10,000-message stored chat open;
#   5. opening stored chats of 30, 1,000 and 10,000 messages: time from
#      opening to the frame that paints the last message.
#
# Usage: build-aux/bench-gui.sh [BUILD_DIR]    RUNS=N (default 5)
#        ONLY=start|stream|scroll|open|rss runs one of them (default: all)

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${NATTER_BUILD_DIR:-$SRC/_build}}
BUILD=$(cd "$BUILD" && pwd)
RUNS=${RUNS:-5}
ONLY=${ONLY:-all}
NATTER=$BUILD/src/gui/natter
BENCH=$BUILD/tests/gui/bench-gui

for bin in "$NATTER" "$BENCH"; do
  [ -x "$bin" ] || { echo "missing $bin: build first (ninja -C $BUILD)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/inner.sh" <<INNER
#!/usr/bin/env bash
set -u
export GSETTINGS_SCHEMA_DIR="$BUILD/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"

# Milliseconds from launch until a window whose title contains \$1 is
# mapped and viewable; -1 when the program exits or 20 s pass first.
first_map () {
  local title="\$1"; shift
  local start end id
  start=\$(date +%s%N)
  "\$@" >/dev/null 2>&1 &
  local pid=\$!
  while :; do
    id=\$(xwininfo -root -tree 2>/dev/null | grep "\"[^\"]*\$title[^\"]*\":" | awk '{ print \$1 }' | head -n 1)
    if [ -n "\$id" ] && xwininfo -id "\$id" 2>/dev/null | grep -q "IsViewable"; then
      break
    fi
    if ! kill -0 \$pid 2>/dev/null || [ \$(( (\$(date +%s%N) - start) / 1000000 )) -gt 20000 ]; then
      kill \$pid 2>/dev/null; wait \$pid 2>/dev/null
      echo "-1"; return
    fi
    sleep 0.005
  done
  end=\$(date +%s%N)
  kill \$pid 2>/dev/null; wait \$pid 2>/dev/null
  echo \$(( (end - start) / 1000000 ))
}

stats () {
  sort -n | awk '{ a[NR] = \$1 } END { printf "median %d ms, best %d ms (%d runs)", a[int((NR + 1) / 2)], a[1], NR }'
}

want () { [ "$ONLY" = all ] || [ "$ONLY" = "\$1" ]; }

if want start; then
echo "## Cold start to first mapped window (Xvfb, GSK_RENDERER=cairo)"
for i in \$(seq $RUNS); do
  NATTER_DATA_DIR="$tmp/natter-\$i" first_map "Natter" "$NATTER"
done | stats | sed 's/^/natter:            /'; echo
for i in \$(seq $RUNS); do
  first_map "Text Editor" gnome-text-editor --standalone --ignore-session
done | stats | sed 's/^/gnome-text-editor: /'; echo
echo
fi

if want stream; then
echo "## Streaming into the chat view"
NATTER_DATA_DIR="$tmp/stream" "$BENCH" stream 20000 2000 2>/dev/null | grep -v SpiRegistry
# A reply that is one long list, and one that is one long code block.
NATTER_DATA_DIR="$tmp/stream-list" "$BENCH" stream-list 20000 2000 2>/dev/null | grep -v SpiRegistry
NATTER_DATA_DIR="$tmp/stream-code" "$BENCH" stream-code 20000 2000 2>/dev/null | grep -v SpiRegistry
echo
fi
if want scroll; then
echo "## Scrolling"
NATTER_DATA_DIR="$tmp/scroll" "$BENCH" scroll 10000 2>/dev/null | grep -v SpiRegistry
echo
fi
if want open; then
echo "## Opening a chat"
NATTER_DATA_DIR="$tmp/open" "$BENCH" open 2>/dev/null | grep -v SpiRegistry
echo
fi
if want rss; then
echo "## Memory"
NATTER_DATA_DIR="$tmp/rss" "$BENCH" rss 10000 2>/dev/null | grep -v SpiRegistry
fi
INNER
chmod +x "$tmp/inner.sh"

xvfb-run -a -n 200 -s "-screen 0 1280x1024x24" dbus-run-session -- "$tmp/inner.sh" 2>/dev/null
