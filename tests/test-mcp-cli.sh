#!/bin/bash
# test-mcp-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# natter-cli mcp add|import|list|tools|remove against the test MCP server,
# first without any keyring (servers without secrets need none), then with
# a throwaway gnome-keyring-daemon inside a private D-Bus session: secret
# headers and environment values go to the keyring, reach the server, and
# appear in no file and no output. Prints TAP.

set -u

build_dir="${NATTER_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/_build}"
source_dir="${NATTER_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
cli="$build_dir/src/cli/natter-cli"
server="$build_dir/tests/natter-test-mcp-server"
fixture="$source_dir/tests/fixtures/mcp/mcp-servers.json"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$tmp/out" "$tmp/err" 2>/dev/null; fi; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/natter-mcp-cli-XXXXXX")"
http_pid=""
cleanup () {
  if [ -n "$http_pid" ]; then kill "$http_pid" 2>/dev/null; wait "$http_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

home="$tmp/home"
mkdir -p "$home" "$tmp/run"
chmod 700 "$tmp/run"

# Without a keyring: the session bus points nowhere.
nk () {
  env DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-such-bus" HOME="$home" \
    XDG_RUNTIME_DIR="$tmp/run" NATTER_DATA_DIR="$tmp/plain" timeout 60 "$cli" "$@" > "$tmp/out" 2> "$tmp/err"
}

nk mcp list
check "list with no servers says how to add one" 'grep -q "mcp add" "$tmp/out"'

nk mcp add test -- "$server" --page-size=2
check "add a program" '[ $? -eq 0 ] && grep -q "Added MCP server “test”" "$tmp/out"'

nk mcp add test -- "$server"
check "adding a name twice fails with status 1" '[ $? -eq 1 ] && grep -q "already" "$tmp/err"'

nk mcp add nothing
check "add without a command or URL is a usage error" '[ $? -eq 2 ]'

nk mcp add both --url http://127.0.0.1:1/mcp -- "$server"
check "add with both a URL and a command is a usage error" '[ $? -eq 2 ]'

nk mcp add bad --url ftp://example.com/mcp
check "an ftp:// address is refused" '[ $? -eq 2 ] && grep -q "http://" "$tmp/err"'

nk mcp list --json
check "list --json has the command and its arguments" \
  'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[0][\"name\"]==\"test\" and d[0][\"type\"]==\"stdio\" and d[0][\"args\"]==[\"--page-size=2\"]" "$tmp/out"'

nk mcp tools test
check "tools starts the server and lists its tools (over six pages)" \
  '[ $? -eq 0 ] && grep -q "^echo	Says the text back" "$tmp/out" && [ "$(wc -l < "$tmp/out")" -eq 11 ]'

nk mcp tools test --json
check "tools --json has names, descriptions and input schemas" \
  'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[0][\"name\"]==\"echo\" and d[0][\"inputSchema\"][\"properties\"][\"text\"][\"type\"]==\"string\" and len(d)==11" "$tmp/out"'

nk mcp add broken -- "$server" --hostile=exit
nk mcp tools broken
check "a server that exits gives status 5 and its last words" \
  '[ $? -eq 5 ] && grep -q "exited with status 7: fatal: no configuration found" "$tmp/err"'

nk mcp tools nope
check "tools of an unknown server fails with status 1" '[ $? -eq 1 ] && grep -q "no MCP server called “nope”" "$tmp/err"'

nk mcp import "$fixture"
check "import without a keyring adds the servers without secrets and says why the others failed" \
  '[ $? -eq 1 ] && grep -q "“filesystem”" "$tmp/out" && grep -q "keyring" "$tmp/err"'

# Which servers a stored chat may use.
nk chat new
chat_id="$(grep -o "[0-9][0-9]*" "$tmp/out" | head -n1)"
nk mcp chat "$chat_id" test
check "mcp chat sets a chat's servers" '[ $? -eq 0 ] && [ "$(cat "$tmp/out")" = "test" ]'
nk mcp chat "$chat_id" --json
check "mcp chat --json shows them" 'python3 -c "import json,sys; assert json.load(open(sys.argv[1]))==[\"test\"]" "$tmp/out"'
nk mcp chat "$chat_id" nope
check "an unknown server is refused" '[ $? -eq 1 ] && grep -q "nope" "$tmp/err"'
nk mcp chat 99999 test
check "an unknown chat is refused" '[ $? -eq 1 ]'
nk mcp chat "$chat_id" --clear
check "mcp chat --clear empties the choice" '[ $? -eq 0 ] && [ ! -s "$tmp/out" ]'

nk mcp remove broken
check "remove" '[ $? -eq 0 ] && grep -q "Removed" "$tmp/out"'
nk mcp list
check "a removed server is gone from the list" '! grep -q "^broken" "$tmp/out" && grep -q "^filesystem" "$tmp/out"'

# With a keyring.
for tool in gnome-keyring-daemon dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    not_ok "$tool is not installed (apt-get install gnome-keyring dbus)"
    echo "1..$n"
    exit 1
  fi
done

rnd () { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
header_secret="Bearer mcp-header-leak-check-$(rnd)"
env_secret="mcp-env-leak-check-$(rnd)"
printf '%s' "$env_secret" > "$tmp/env-secret"

"$server" --http --max-seconds 120 --require-header "Authorization=$header_secret" > "$tmp/http.out" 2> "$tmp/http.err" &
http_pid=$!
for i in $(seq 1 100); do [ -s "$tmp/http.out" ] && break; sleep 0.1; done
url="$(head -n1 "$tmp/http.out")"

env -u DBUS_SESSION_BUS_ADDRESS HOME="$home" XDG_DATA_HOME="$home/.local/share" \
  XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$tmp/run" \
  NATTER_DATA_DIR="$tmp/keyed" \
  timeout 300 dbus-run-session -- bash -c '
    printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
    command -v gdbus >/dev/null 2>&1 && gdbus wait --session --timeout 20 org.freedesktop.secrets
    cli=$1 server=$2 url=$3 hs=$4 es=$5 out=$6 fixture=$7
    "$cli" mcp add web --url "$url" --header "Authorization=$hs" --header X-Team=blue > "$out/add-web" 2>&1; echo $? >> "$out/add-web"
    "$cli" mcp tools web > "$out/tools-web" 2>&1; echo $? >> "$out/tools-web"
    "$cli" mcp add local --secret-env "NATTER_REQUIRED=$es" -- "$server" --require-env "NATTER_REQUIRED=@$out/env-secret" > "$out/add-local" 2>&1
    "$cli" mcp tools local > "$out/tools-local" 2>&1; echo $? >> "$out/tools-local"
    "$cli" mcp list > "$out/list" 2>&1
    "$cli" mcp list --json >> "$out/list" 2>&1
    "$cli" mcp import "$fixture" > "$out/import" 2>&1; echo $? >> "$out/import"
    "$cli" mcp remove local > "$out/remove" 2>&1
    "$cli" mcp add local2 --secret-env "NATTER_REQUIRED=wrong" -- "$server" --require-env "NATTER_REQUIRED=@$out/env-secret" > /dev/null 2>&1
    "$cli" mcp tools local2 > "$out/tools-wrong" 2>&1; echo $? >> "$out/tools-wrong"
  ' bash "$cli" "$server" "$url" "$header_secret" "$env_secret" "$tmp" "$fixture" > "$tmp/session.log" 2>&1
sed 's/^/# /' "$tmp/session.log"

check "an HTTP server with a secret header is added" 'tail -n1 "$tmp/add-web" | grep -qx 0'
check "the secret header from the keyring reaches the server (it refuses without)" \
  'tail -n1 "$tmp/tools-web" | grep -qx 0 && grep -q "^echo" "$tmp/tools-web"'
check "the secret environment value from the keyring reaches the program" \
  'tail -n1 "$tmp/tools-local" | grep -qx 0 && grep -q "^echo" "$tmp/tools-local"'
check "a wrong secret value makes the program refuse, with its words" \
  'tail -n1 "$tmp/tools-wrong" | grep -qx 5 && grep -q "NATTER_REQUIRED is not set as required" "$tmp/tools-wrong"'
check "list shows secret values as kept in the keyring" \
  'grep -q "Authorization=(in the keyring)" "$tmp/list" && grep -q "X-Team=blue" "$tmp/list" && grep -q "\"secret\" : true" "$tmp/list"'
check "import with a keyring adds every server" 'tail -n1 "$tmp/import" | grep -qx 0 && [ "$(grep -c Added "$tmp/import")" -eq 3 ]'

leaks=""
for secret in "$header_secret" "$env_secret" "ghp_example_not_a_real_token" "example-not-real"; do
  hits="$(grep -rlF -- "$secret" "$tmp/keyed" "$home" "$tmp/list" "$tmp/session.log" "$tmp"/add-* "$tmp"/tools-* "$tmp/import" 2>/dev/null || true)"
  [ -n "$hits" ] && leaks="$leaks ${secret:0:20}… in $(echo $hits)"
done
check "secret values appear in no database file and no output${leaks:+ (found:$leaks)}" '[ -z "$leaks" ] && [ -s "$tmp/keyed/natter.db" ]'

echo "1..$n"
exit $failed
