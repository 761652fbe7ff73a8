#!/bin/bash
# test-a11y.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box test of the desktop app through the accessibility bus: starts
# the real natter binary under Xvfb in a private D-Bus session (with its
# own AT-SPI bus and keyring) against natter-fake-server, then lets
# tests/a11y/check-names.py find, type into and press its widgets by
# their accessible names. Prints TAP.

set -u

build="${NATTER_BUILD_DIR:?}"
src="${NATTER_SOURCE_DIR:?}"
natter="$build/src/gui/natter"
cli="$build/src/cli/natter-cli"
fake="$build/tests/natter-fake-server"
python=/usr/bin/python3

for bin in "$natter" "$cli" "$fake"; do
  if [ ! -x "$bin" ]; then
    echo "1..0 # SKIP $bin not built"
    exit 0
  fi
done
if ! "$python" -c 'import gi; gi.require_version("Atspi", "2.0")' 2>/dev/null; then
  echo "1..1"
  echo "not ok 1 - the AT-SPI Python bindings are missing (build-aux/deps.sh installs gir1.2-atspi-2.0)"
  exit 1
fi

tmp=$(mktemp -d)
fake_pid=""
cleanup () {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

export NATTER_DATA_DIR="$tmp/data"
export XDG_DATA_HOME="$tmp/xdg-data"
export XDG_CONFIG_HOME="$tmp/xdg-config"
export XDG_CACHE_HOME="$tmp/xdg-cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
export GSETTINGS_SCHEMA_DIR="$build/data"
export GSETTINGS_BACKEND=memory
export GSK_RENDERER=cairo
export GDK_BACKEND=x11
export OPENAI_API_KEY="sk-a11y-test"
export LC_ALL=C.UTF-8
unset NO_AT_BRIDGE
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# A provider that streams slowly enough to see and press "Stop".
"$python" - "$tmp/routes.json" <<'EOF'
import json, sys

def chunk(content=None, finish=None):
    d = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test",
         "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"

stream = ([chunk("Paragraph %d of a long reply.\n\n" % i) for i in range(150)] +
          [chunk(finish="stop"), "data: [DONE]\n\n"])
models = {"object": "list", "data": [{"id": "gpt-test", "object": "model"}]}
routes = [
    {"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream, "chunk_delay_ms": 100},
    {"method": "GET", "path": "/v1/models", "content_type": "application/json",
     "body": json.dumps(models)},
    {"method": "POST", "path": "/bad/v1/chat/completions", "status": 401,
     "content_type": "application/json",
     "body": json.dumps({"error": {"message": "Incorrect API key provided: sk-a11y***test.",
                                   "type": "invalid_request_error", "code": "invalid_api_key"}})},
]
json.dump(routes, open(sys.argv[1], "w"))
EOF

"$fake" --routes "$tmp/routes.json" --max-seconds 300 >"$tmp/fake.out" 2>"$tmp/fake.err" &
fake_pid=$!
for _ in $(seq 100); do
  grep -q '^PORT ' "$tmp/fake.out" 2>/dev/null && break
  sleep 0.05
done
port=$(sed -n 's/^PORT //p' "$tmp/fake.out")
if [ -z "$port" ]; then
  echo "Bail out! natter-fake-server did not start: $(cat "$tmp/fake.err")"
  exit 1
fi

if ! DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus \
     "$cli" profile add Fake --provider openai --model gpt-test --url "http://127.0.0.1:$port/v1" --default \
     >"$tmp/cli.out" 2>&1; then
  echo "Bail out! could not add a profile: $(cat "$tmp/cli.out")"
  exit 1
fi
if ! DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus \
     "$cli" profile add Other --provider openai --model other-model --url "http://127.0.0.1:$port/bad/v1" \
     >"$tmp/cli.out" 2>&1; then
  echo "Bail out! could not add a second profile: $(cat "$tmp/cli.out")"
  exit 1
fi

app_id=$(sed -n 's/^#define APP_ID "\(.*\)"$/\1/p' "$build/config.h")

cat > "$tmp/inner.sh" <<INNER
#!/bin/bash
printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
gdbus wait --session --timeout 20 org.freedesktop.secrets
"$natter" > "$tmp/natter.out" 2> "$tmp/natter.err" &
pid=\$!
NATTER_CLI="$cli" "$python" ${A11Y_SCRIPT:-"$src/tests/a11y/check-names.py"} \$pid "$app_id" "$tmp/natter.err"
status=\$?
kill \$pid 2>/dev/null
wait \$pid 2>/dev/null
exit \$status
INNER
chmod +x "$tmp/inner.sh"

# Its own range of display numbers: xvfb-run -a races with a parallel test
# that picks the same free number at the same moment.
for display in 150 170; do
  xvfb-run -a -n $display -s "-screen 0 1280x1024x24" dbus-run-session -- "$tmp/inner.sh" > "$tmp/stdout" 2> "$tmp/stderr"
  status=$?
  # Once more on another display only when the app could not even start
  # there (another X server took the number at the same moment).
  if grep -q "^not ok 1 - the app is on the accessibility bus" "$tmp/stdout" &&
     grep -q "cannot open display" "$tmp/natter.err" 2>/dev/null; then
    echo "# the app could not open display $display; trying again on another one"
    continue
  fi
  break
done
# The accessibility registry started on demand writes to the same stdout.
while IFS= read -r line; do
  case "$line" in
    "ok "*|"not ok "*|"#"*|1..*) echo "$line" ;;
    *) echo "# $line" ;;
  esac
done < "$tmp/stdout"
if [ $status -ne 0 ]; then
  sed 's/^/# /' "$tmp/stderr" "$tmp/natter.err" 2>/dev/null | tail -40
fi
exit $status
