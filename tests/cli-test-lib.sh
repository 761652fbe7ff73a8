# cli-test-lib.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared setup of the natter-cli black-box tests, sourced by each
# test-*-cli.sh after it has set CLI (and FAKE when it uses the fake
# server): a temporary data dir removed on exit, no session bus or display,
# TAP counters and helpers, and starting natter-fake-server. Each script
# still prints its own plan ("1..$n") and exits with $failed.

tmp=$(mktemp -d)
fake_pid=""
cleanup () {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

export NATTER_DATA_DIR=$tmp/data
export DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus
unset DISPLAY WAYLAND_DISPLAY
export LC_ALL=C.UTF-8

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
check () {
  local desc=$1; shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# run NAME ARGS…: runs the CLI, keeps stdout/stderr/exit in $tmp/NAME.*
run () {
  local name=$1; shift
  "$CLI" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
  echo $? >"$tmp/$name.rc"
}
rc () { cat "$tmp/$1.rc"; }
out () { cat "$tmp/$1.out"; }
one_line_err () { [ "$(wc -l <"$tmp/$1.err")" -eq 1 ] && grep -q '^natter-cli: ' "$tmp/$1.err"; }
json_check () { # json_check NAME PYTHON-EXPR (d is the parsed stdout)
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$tmp/$1.out"
}
json_get () { # json_get NAME PYTHON-EXPR: prints the value
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$tmp/$1.out"
}
n_requests () { if [ -f "$tmp/requests.log" ]; then wc -l <"$tmp/requests.log"; else echo 0; fi; }
# last_request PYTHON-EXPR: r is the last request the fake server got, b its JSON body
last_request () {
  python3 -c "
import json,sys
r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); b=json.loads(r['body'])
sys.exit(0 if ($1) else 1)" "$tmp/requests.log"
}

# skip_unless_built BIN…: prints an empty plan and exits when one is missing
skip_unless_built () {
  local bin
  for bin in "$@"; do
    if [ ! -x "$bin" ]; then echo "1..0 # SKIP $bin not built"; exit 0; fi
  done
}

# start_fake: starts natter-fake-server with $tmp/routes.json, logging to
# $tmp/requests.log, and sets PORT once it listens
start_fake () {
  "$FAKE" --routes "$tmp/routes.json" --log "$tmp/requests.log" --max-seconds 300 >"$tmp/fake.out" 2>"$tmp/fake.err" &
  fake_pid=$!
  for _ in $(seq 100); do
    grep -q '^PORT ' "$tmp/fake.out" 2>/dev/null && break
    sleep 0.05
  done
  PORT=$(sed -n 's/^PORT //p' "$tmp/fake.out")
  if [ -z "$PORT" ]; then
    echo "Bail out! natter-fake-server did not start: $(cat "$tmp/fake.err")"
    exit 1
  fi
}
