#!/usr/bin/env bash
# bench-stream.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The streaming benchmark (issue 2): a local server streams a 100,000-event
# OpenAI-style reply (~230-byte chunks) to
#   - natter-cli chat (framer, cJSON dialect parse, delta dispatch, request
#     log, stdout),
#   - the official OpenAI Node SDK (npm "openai", stream: true),
#   - curl -sN (the transport floor),
# and prints wall time, CPU time (user+sys), CPU µs per event and peak RSS
# as a Markdown table, plus Natter CPU / Node CPU.
#
# Usage: build-aux/bench-stream.sh [BUILD_DIR]   (default: $NATTER_BUILD_DIR or _build)
#        EVENTS=N to change the number of events.

set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${NATTER_BUILD_DIR:-$SRC/_build}}
BUILD=$(cd "$BUILD" && pwd)
EVENTS=${EVENTS:-100000}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
TIME=/usr/bin/time

for bin in "$CLI" "$FAKE"; do
  [ -x "$bin" ] || { echo "bench-stream: $bin not built (ninja -C $BUILD)" >&2; exit 1; }
done
if [ ! -x "$TIME" ]; then
  "$SRC/build-aux/deps.sh" || true
  [ -x "$TIME" ] || { echo "bench-stream: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
fi

NODE_DIR=$SRC/tests/bench
have_node=0
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -d "$NODE_DIR/node_modules/openai" ]; then
    echo "bench-stream: installing the openai npm package into $NODE_DIR/node_modules" >&2
    (cd "$NODE_DIR" && npm install --no-save --no-audit --no-fund --silent openai >&2) || true
  fi
  [ -d "$NODE_DIR/node_modules/openai" ] && have_node=1
fi

tmp=$(mktemp -d)
fake_pid=""
cleanup () {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

python3 - "$tmp/routes.json" "$EVENTS" <<'PY'
import json, sys
events = int(sys.argv[2])
def chunk(delta, finish):
    return "data: " + json.dumps({
        "id": "chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012", "object": "chat.completion.chunk",
        "created": 1731000000, "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]},
        separators=(",", ":")) + "\n\n"
routes = [{"method": "POST", "path": "/v1/chat/completions",
           "content_type": "text/event-stream",
           "repeat": {"chunk": chunk({"content": " word"}, None), "count": events},
           "chunks_after": [chunk({}, "stop"), "data: [DONE]\n\n"]}]
json.dump(routes, open(sys.argv[1], "w"))
sys.stderr.write("bench-stream: %d events of %d bytes\n" % (events, len(chunk({"content": " word"}, None))))
PY

"$FAKE" --routes "$tmp/routes.json" --max-seconds 900 >"$tmp/fake.out" 2>"$tmp/fake.err" &
fake_pid=$!
for _ in $(seq 200); do
  grep -q '^PORT ' "$tmp/fake.out" 2>/dev/null && break
  sleep 0.05
done
PORT=$(sed -n 's/^PORT //p' "$tmp/fake.out")
[ -n "$PORT" ] || { echo "bench-stream: the fake server did not start" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT/v1

export NATTER_DATA_DIR=$tmp/data
export DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus
export OPENAI_API_KEY=sk-bench
"$CLI" profile add bench --provider openai --model gpt-bench --url "$BASE" --default

# measure NAME CMD…: appends "NAME wall user sys rss_kib" to $tmp/results
measure () {
  local name=$1; shift
  "$TIME" -f "%e %U %S %M" -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || {
    echo "bench-stream: $name failed: $(tail -n 3 "$tmp/$name.err")" >&2; return 1; }
  echo "$name $(tail -n 1 "$tmp/$name.time")" >>"$tmp/results"
}

: >"$tmp/results"
measure natter "$CLI" chat -p bench "Benchmark"
got=$(tr -cd ' ' <"$tmp/natter.out" | wc -c)
echo "bench-stream: natter printed $got words" >&2
[ "$got" -eq "$EVENTS" ] || echo "bench-stream: natter printed $got of $EVENTS words" >&2

if [ $have_node -eq 1 ]; then
  NODE_PATH=$NODE_DIR/node_modules measure node node "$SRC/build-aux/bench-openai-sdk.cjs" "$BASE"
  echo "bench-stream: node saw $(cat "$tmp/node.out") (chunks chars)" >&2
else
  echo "bench-stream: node/npm or the openai package unavailable: Node SDK row skipped" >&2
fi

measure curl curl -sN -X POST -H "Authorization: Bearer sk-bench" \
  -H "Content-Type: application/json" \
  -d '{"model":"gpt-bench","stream":true,"messages":[{"role":"user","content":"Benchmark"}]}' \
  "$BASE/chat/completions"

python3 - "$tmp/results" "$EVENTS" <<'PY'
import sys
events = int(sys.argv[2])
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, rss = line.split()
    rows[name] = (float(wall), float(user) + float(sys_), int(rss))
labels = {"natter": "natter-cli chat", "node": "OpenAI Node SDK (stream: true)", "curl": "curl -sN (raw stream)"}
print()
print("| Client | Wall (s) | CPU user+sys (s) | CPU µs/event | Peak RSS (MiB) |")
print("| --- | ---: | ---: | ---: | ---: |")
for name in ("natter", "node", "curl"):
    if name in rows:
        wall, cpu, rss = rows[name]
        print("| %s | %.2f | %.2f | %.2f | %.1f |" % (labels[name], wall, cpu, cpu * 1e6 / events, rss / 1024))
print()
n = rows["natter"][1] * 1e6 / events
print("Events: %d. Natter CPU per event: %.2f µs (bar: <= 10 µs): %s" % (events, n, "PASS" if n <= 10 else "FAIL"))
if "node" in rows and rows["node"][1] > 0:
    r = rows["natter"][1] / rows["node"][1]
    print("Natter CPU / Node SDK CPU: %.2f (bar: <= 0.50): %s" % (r, "PASS" if r <= 0.5 else "FAIL"))
PY
