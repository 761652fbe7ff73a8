#!/usr/bin/env bash
# test-hardening-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# natter-cli against hostile files and servers: a card nested 60,000
# levels that looks like a world book, a JSONL line nested 100,000 levels,
# a key over plain http to a public address, a cross-origin redirect
# (a second loopback server records what reaches it), and the proxy
# password options. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
SECRET="sk-hardening-cli-SECRET-42"

tmp=$(mktemp -d)
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

export NATTER_DATA_DIR=$tmp/data
export DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus
unset DISPLAY WAYLAND_DISPLAY
export ANTHROPIC_API_KEY=$SECRET OPENAI_API_KEY=$SECRET
export LC_ALL=C.UTF-8

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
check () {
  local desc=$1; shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
run () {
  local name=$1; shift
  "$CLI" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
  echo $? >"$tmp/$name.rc"
}
rc () { cat "$tmp/$1.rc"; }
err_has () { grep -q -- "$2" "$tmp/$1.err"; }

for bin in "$CLI" "$FAKE"; do
  if [ ! -x "$bin" ]; then echo "1..0 # SKIP $bin not built"; exit 0; fi
done

start_fake () { # start_fake VAR NAME ROUTES: sets VAR to the port, records the PID
  "$FAKE" --routes "$3" --log "$tmp/$2.log" --max-seconds 300 >"$tmp/$2.fake.out" 2>"$tmp/$2.fake.err" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '^PORT ' "$tmp/$2.fake.out" 2>/dev/null && break
    sleep 0.05
  done
  printf -v "$1" '%s' "$(sed -n 's/^PORT //p' "$tmp/$2.fake.out")"
}

# --------------------------------------------------------------- files
python3 - "$tmp" <<'EOP'
import sys
d = sys.argv[1]
def deep(n):
    return '{"a":[' * n + '1' + ']}' * n
# Looks like a world book ("entries", no card fields) and nests 60,000 levels.
open(d + '/deep-book.json', 'w').write('{"entries":' + deep(60000) + '}')
open(d + '/deep-chat.jsonl', 'w').write('{"user_name":"You","character_name":"Bot"}\n' + deep(100000) + '\n')
EOP

run card_deep character import "$tmp/deep-book.json"
check "character import of a 60,000-level file fails cleanly (exit 1, says nested)" \
  bash -c "[ $(rc card_deep) -eq 1 ] && grep -q 'nested' '$tmp/card_deep.err'"
run chat_deep chat import "$tmp/deep-chat.jsonl"
check "chat import of a 100,000-level JSONL line fails cleanly (exit 1, line 2, nested)" \
  bash -c "[ $(rc chat_deep) -eq 1 ] && grep -q 'Line 2' '$tmp/chat_deep.err' && grep -q 'nested' '$tmp/chat_deep.err'"

# ------------------------------------------------------------- servers
python3 - "$tmp" <<'EOP'
import json, sys
d = sys.argv[1]
deep = '[' * 100000 + ']' * 100000
json.dump([{"method": "GET", "path": "/*", "status": 200, "content_type": "application/json",
            "body": '{"data":[]}'},
           {"method": "POST", "path": "/*", "status": 200, "content_type": "application/json",
            "body": '{"choices":[]}'}], open(d + '/other.json', 'w'))
json.dump([{"method": "GET", "path": "/deep/v1/models", "status": 200,
            "content_type": "application/json", "body": deep},
           {"method": "POST", "path": "/deep/v1/chat/completions", "status": 400,
            "content_type": "application/json", "body": deep}], open(d + '/main.json', 'w'))
EOP
start_fake PORT_OTHER other "$tmp/other.json"
python3 - "$tmp" "$PORT_OTHER" <<'EOP'
import json, sys
d, port = sys.argv[1], sys.argv[2]
routes = json.load(open(d + '/main.json'))
there = 'http://127.0.0.1:%s/stolen' % port
routes.append({"method": "GET", "path": "/v1/models", "status": 307,
               "content_type": "text/plain", "headers": {"Location": there}, "body": "moved"})
routes.append({"method": "POST", "path": "/v1/chat/completions", "status": 307,
               "content_type": "text/plain", "headers": {"Location": there}, "body": "moved"})
json.dump(routes, open(d + '/main.json', 'w'))
EOP
start_fake PORT main "$tmp/main.json"
if [ -z "$PORT" ] || [ -z "$PORT_OTHER" ]; then
  echo "Bail out! natter-fake-server did not start: $(cat "$tmp"/*.fake.err)"
  exit 1
fi
BASE=http://127.0.0.1:$PORT

run add_a profile add ant --provider anthropic --model claude-test --url "$BASE"
run add_o profile add oai --provider openai --model gpt-test --url "$BASE/v1"
run add_d profile add deep --provider openai --model gpt-test --url "$BASE/deep/v1"
check "profiles for the fake servers" test "$(rc add_a)$(rc add_o)$(rc add_d)" = "000"

run test_redirect profile test ant
run models_redirect profile models oai
run chat_redirect chat -p oai "Hello"
check "profile test refuses a redirect to another origin and names it" \
  bash -c "[ $(rc test_redirect) -ne 0 ] && grep -q 'another site' '$tmp/test_redirect.err' && grep -q '127.0.0.1:$PORT_OTHER' '$tmp/test_redirect.err'"
check "profile models refuses it too" \
  bash -c "[ $(rc models_redirect) -ne 0 ] && grep -q 'another site' '$tmp/models_redirect.err'"
check "chat refuses it too" \
  bash -c "[ $(rc chat_redirect) -ne 0 ] && grep -q 'another site' '$tmp/chat_redirect.err'"
check "nothing reached the other origin" \
  bash -c "[ ! -s '$tmp/other.log' ]"
check "the key appears in no output" \
  bash -c "! grep -q '$SECRET' '$tmp'/*.out '$tmp'/*.err"

run models_deep profile models deep
run chat_deep_400 chat -p deep "Hello"
check "a model list nested 100,000 levels fails cleanly" \
  bash -c "[ $(rc models_deep) -ne 0 ] && [ $(rc models_deep) -lt 128 ] && grep -q 'nested' '$tmp/models_deep.err'"
check "an error body nested 100,000 levels fails cleanly" \
  bash -c "[ $(rc chat_deep_400) -ne 0 ] && [ $(rc chat_deep_400) -lt 128 ]"

# ----------------------------------------------------------- plain http
check "no warning for a key to a loopback server" \
  bash -c "! grep -q 'plain http' '$tmp/chat_redirect.err'"
run add_pub profile add pub --provider openai --model gpt-test --url "http://198.51.100.7:9/v1"
"$CLI" profile test pub >"$tmp/pub.out" 2>"$tmp/pub.err" </dev/null &
pub_pid=$!
for _ in $(seq 100); do
  grep -q 'plain http' "$tmp/pub.err" 2>/dev/null && break
  sleep 0.05
done
kill -INT $pub_pid 2>/dev/null; wait $pub_pid 2>/dev/null
check "a key to a public address over plain http is warned about before the request" \
  bash -c "grep -q 'plain http' '$tmp/pub.err' && grep -q '198.51.100.7' '$tmp/pub.err'"

# ---------------------------------------------------------- proxy password
run help_add profile add --help
check "profile add --help explains --proxy-password-stdin" \
  bash -c "grep -q -- '--proxy-password-stdin' '$tmp/help_add.out' && grep -q 'process list\|every user' '$tmp/help_add.out'"
run pw_noproxy profile add x1 --provider openai --proxy-password-stdin
run pw_both profile add x2 --provider openai --proxy http://u@127.0.0.1:1 --proxy-password-stdin --key-stdin
run pw_twice profile add x3 --provider openai --proxy http://u:p@127.0.0.1:1 --proxy-password-stdin
run pw_nouser profile add x4 --provider openai --proxy http://127.0.0.1:1 --proxy-password-stdin
check "--proxy-password-stdin refuses what makes no sense (exit 2)" \
  test "$(rc pw_noproxy)$(rc pw_both)$(rc pw_twice)$(rc pw_nouser)" = "2222"
printf 'pw-from-stdin\n' | "$CLI" profile add x5 --provider openai --proxy http://u@127.0.0.1:1 \
  --proxy-password-stdin >"$tmp/pw_stdin.out" 2>"$tmp/pw_stdin.err"
echo $? >"$tmp/pw_stdin.rc"
check "--proxy-password-stdin reads the password and hands it to the keyring (none here: exit 1)" \
  bash -c "[ $(rc pw_stdin) -eq 1 ] && grep -q 'proxy password' '$tmp/pw_stdin.err' && ! grep -q 'pw-from-stdin' '$tmp/pw_stdin.err'"

# ------------------------------------------------------------- cleanup
# Every server this script started is one the exit trap stops.
started=$(pgrep -f -- "natter-fake-server --routes $tmp/" | sort)
recorded=$(printf '%s\n' "${pids[@]}" | sort)
check "every fake server started here is recorded for the exit trap (${#pids[@]} of them)" \
  bash -c "[ -n '$started' ] && [ '$started' = '$recorded' ]"

echo "1..$n"
exit $failed
