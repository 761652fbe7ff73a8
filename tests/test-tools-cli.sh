#!/usr/bin/env bash
# test-tools-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of tools and structured answers in natter-cli chat
# against natter-fake-server over loopback: --schema (checked, the failing
# path named), a stream that ends in a tool call or a refusal (never an
# empty reply with status 0), --max-tool-rounds, and with the test MCP
# server: --mcp, --allow-tool, and a call denied without a terminal. Prints
# TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
MCP_SERVER=$BUILD/tests/natter-test-mcp-server
SECRET="sk-toolscli-SECRET-555"

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=$SECRET
# request N PYTHON-EXPR: b is the JSON body of the Nth request (1-based) the fake server got
request () {
  python3 -c "
import json,sys
r=json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[2]) - 1]); b=json.loads(r['body'])
sys.exit(0 if ($2) else 1)" "$tmp/requests.log" "$1"
}

skip_unless_built "$CLI" "$FAKE"

# ---------------------------------------------------------------- the server
python3 - "$tmp/routes.json" <<'EOF'
import json, sys

def chunk(delta, finish=None):
    d = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test",
         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"

def text(*pieces):
    return [chunk({"content": p}) for p in pieces] + [chunk({}, "stop"), "data: [DONE]\n\n"]

def call(name, args, call_id="call_1"):
    # the arguments in pieces of three characters, as OpenAI streams them
    first = chunk({"role": "assistant", "content": None,
                   "tool_calls": [{"index": 0, "id": call_id, "type": "function",
                                   "function": {"name": name, "arguments": ""}}]})
    rest = [chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 3]}}]})
            for i in range(0, len(args), 3)]
    return [first] + rest + [chunk({}, "tool_calls"), "data: [DONE]\n\n"]

routes = [
    {"method": "POST", "path": "/good/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text('{"city": "Oslo", ', '"temp": 3}')},
    {"method": "POST", "path": "/bad/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text('{"city": "Oslo", ', '"temp": "cold"}')},
    {"method": "POST", "path": "/toolonly/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("weather__get", '{"city": "Oslo"}')},
    {"method": "POST", "path": "/refuse/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": [chunk({"role": "assistant", "refusal": "I can't help with that."}),
                chunk({}, "stop"), "data: [DONE]\n\n"]},
    # --mcp: a call of the test server's echo tool, then the answer
    {"method": "POST", "path": "/mcp/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "ping from the model"}')},
    {"method": "POST", "path": "/mcp/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("The tool said pong.")},
    {"method": "POST", "path": "/mcp2/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "ping from the model"}')},
    {"method": "POST", "path": "/mcp2/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("The tool said pong.")},
    {"method": "POST", "path": "/mcp3/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "from a stored chat"}')},
    {"method": "POST", "path": "/mcp3/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("Not allowed, then.")},
    {"method": "POST", "path": "/mcp3/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "allowed for good"}')},
    {"method": "POST", "path": "/mcp3/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("Echoed.")},
    # asked on a terminal
    {"method": "POST", "path": "/tty/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "typed yes"}')},
    {"method": "POST", "path": "/tty/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("Echoed.")},
    {"method": "POST", "path": "/tty/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "typed no"}')},
    {"method": "POST", "path": "/tty/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("Not echoed.")},
    # a model known not to call tools
    {"method": "POST", "path": "/notools/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": text("No tools here.")},
    # always a call: the round limit
    {"method": "POST", "path": "/forever/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": call("test__echo", '{"text": "again"}')},
]
json.dump(routes, open(sys.argv[1], "w"))
EOF

start_fake
BASE=http://127.0.0.1:$PORT

for p in good bad toolonly refuse mcp mcp2 mcp3 tty forever notools; do
  run "add_$p" profile add "$p" --provider openai --model gpt-test --url "$BASE/$p/v1"
done

cat >"$tmp/city.json" <<'EOF'
{"type": "object", "additionalProperties": false, "required": ["city", "temp"],
 "properties": {"city": {"type": "string"}, "temp": {"type": "number"}}}
EOF

# ------------------------------------------------------------------ --schema
run good chat -p good --schema "$tmp/city.json" "Weather in Oslo as JSON"
check "--schema: an answer that follows it exits 0" test "$(rc good)" -eq 0
check "--schema: the answer is printed" grep -q '"temp": 3' "$tmp/good.out"
check "--schema: sent as response_format json_schema, strict, named after the file" \
  request 1 "b['response_format']['type'] == 'json_schema' and b['response_format']['json_schema']['name'] == 'city' and b['response_format']['json_schema']['strict'] is True and b['response_format']['json_schema']['schema']['required'] == ['city', 'temp']"

run bad chat -p bad --schema "$tmp/city.json" "Weather in Oslo as JSON"
check "--schema: an answer that does not follow it exits non-zero" test "$(rc bad)" -ne 0
check "--schema: the error names where it fails" grep -q '\$\.temp' "$tmp/bad.err"

echo '{"type": ' >"$tmp/broken.json"
run broken chat -p good --schema "$tmp/broken.json" "x"
check "--schema with a file that is not JSON is a usage error before anything is sent" \
  bash -c "[ $(rc broken) -eq 2 ] && [ $(n_requests) -eq 2 ]"

# ---------------------------------------------------- never an empty reply
run toolonly chat -p toolonly "Weather in Oslo?"
check "a stream that ends in a tool call with no tools exits non-zero" test "$(rc toolonly)" -ne 0
check "… and says which tool the model wanted" grep -q 'weather__get' "$tmp/toolonly.err"

run refuse chat -p refuse "Something bad"
check "a refusal exits non-zero" test "$(rc refuse)" -ne 0
check "… with the refusal's words on stdout" grep -q "I can't help with that." "$tmp/refuse.out"
check "… and says it was refused" grep -q 'refused' "$tmp/refuse.err"

run addkobold profile add kobold --provider koboldcpp --url "$BASE/kobold"
run kobold chat -p kobold --schema "$tmp/city.json" "x"
check "--schema with a text-completion backend is a usage error that names the profile" \
  bash -c "[ $(rc kobold) -eq 2 ] && grep -q 'kobold' '$tmp/kobold.err'"

run rounds0 chat -p good --max-tool-rounds 0 "x"
check "--max-tool-rounds 0 is a usage error" test "$(rc rounds0)" -eq 2
run allowbad chat -p good --allow-tool justaname "x"
check "--allow-tool without SERVER/ is a usage error" test "$(rc allowbad)" -eq 2

# ------------------------------------------------------------------- --mcp
if [ ! -x "$MCP_SERVER" ] || ! "$CLI" mcp --help >/dev/null 2>&1; then
  echo "# natter-cli mcp is not there: the --mcp tests are skipped"
else
  run mcpadd mcp add test -- "$MCP_SERVER"
  check "mcp add of the test server" test "$(rc mcpadd)" -eq 0

  before=$(n_requests)
  run mcpdeny chat -p mcp --mcp test "Say ping"
  check "--mcp without --allow-tool and no terminal: the call is denied, the reply still comes" \
    test "$(rc mcpdeny)" -eq 0
  check "… said on stderr" grep -q 'Denied a call of test/echo' "$tmp/mcpdeny.err"
  check "… and the model is told" \
    request $((before + 2)) "any(m.get('role') == 'tool' and 'denied' in m['content'] for m in b['messages'])"
  check "… the tools were offered" \
    request $((before + 1)) "b['tools'][0]['type'] == 'function' and any(t['function']['name'] == 'test__echo' for t in b['tools'])"

  before=$(n_requests)
  run mcpallow chat -p mcp2 --mcp test --allow-tool test/echo "Say ping"
  check "--allow-tool test/echo runs the call" test "$(rc mcpallow)" -eq 0
  check "… its result goes back to the model" \
    request $((before + 2)) "any(m.get('role') == 'tool' and 'ping from the model' in m['content'] for m in b['messages'])"
  check "… the assistant turn carries the call" \
    request $((before + 2)) "any(m.get('tool_calls') and m['tool_calls'][0]['function']['name'] == 'test__echo' for m in b['messages'])"
  check "… and the answer is printed" grep -q 'The tool said pong.' "$tmp/mcpallow.out"

  # a stored chat whose servers were chosen (in the app: chat menu → Tools…)
  run chatnew chat new --title "With tools"
  CHAT_ID=$(cat "$tmp/chatnew.out")
  run chatservers mcp chat "$CHAT_ID" test
  check "mcp chat gives the chat the test server" test "$(rc chatservers)" -eq 0
  before=$(n_requests)
  run chatsend chat send -p mcp3 "$CHAT_ID" "Say ping"
  check "chat send in a chat with a server: the tools are offered" \
    request $((before + 1)) "any(t['function']['name'] == 'test__echo' for t in b['tools'])"
  check "… the call is denied without a terminal, said on stderr" \
    bash -c "[ $(rc chatsend) -eq 0 ] && grep -q 'Denied a call of test/echo' '$tmp/chatsend.err'"
  check "… and shown as it ends" grep -q '← test/echo (denied)' "$tmp/chatsend.err"
  run chatshow chat show "$CHAT_ID" --json
  check "… the reply is stored" grep -q 'Not allowed, then.' "$tmp/chatshow.out"
  check "… with its tool call, shown by chat show --json" \
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); m=d['messages'][-1]; sys.exit(0 if m['tool_calls'][0]['tool'] == 'echo' and m['tool_calls'][0]['outcome'] == 'denied' else 1)" "$tmp/chatshow.out"

  # "Always Allow This Tool" in the app keeps the tool in the chat's metadata
  python3 -c "
import sqlite3,sys
db=sqlite3.connect(sys.argv[1]); db.execute('UPDATE chats SET metadata = ? WHERE id = ?', ('{\"natter_allowed_tools\":[\"test/echo\"]}', int(sys.argv[2]))); db.commit()" \
    "$NATTER_DATA_DIR/natter.db" "$CHAT_ID"
  before=$(n_requests)
  run chatsend2 chat send -p mcp3 "$CHAT_ID" "Say it again"
  check "chat send runs a tool allowed for good in the chat without asking" \
    request $((before + 2)) "any(m.get('role') == 'tool' and m['content'] == 'allowed for good' for m in b['messages'])"
  check "… and sends the earlier reply's call and its result again, before that reply's text" \
    request $((before + 1)) "(lambda ms: (lambda c, t, x, q: c < t < x < q)(next(i for i, m in enumerate(ms) if m.get('tool_calls') and 'from a stored chat' in m['tool_calls'][0]['function']['arguments']), next(i for i, m in enumerate(ms) if m.get('role') == 'tool' and 'denied' in m['content']), next(i for i, m in enumerate(ms) if m.get('content') == 'Not allowed, then.'), next(i for i, m in enumerate(ms) if m.get('content') == 'Say it again')))(b['messages'])"

  # With a terminal (script(1) gives the command one) the person is asked.
  if command -v script >/dev/null 2>&1; then
    before=$(n_requests)
    echo y | script -qec "'$CLI' chat -p tty --mcp test 'Echo it'" /dev/null >"$tmp/ttyyes.out" 2>&1
    check "on a terminal the question names the server, the tool and the arguments" \
      grep -q 'The model wants to call test/echo with {"text": "typed yes"}' "$tmp/ttyyes.out"
    check "… and y runs the call" \
      request $((before + 2)) "any(m.get('role') == 'tool' and m['content'] == 'typed yes' for m in b['messages'])"
    before=$(n_requests)
    echo n | script -qec "'$CLI' chat -p tty --mcp test 'Echo it'" /dev/null >"$tmp/ttyno.out" 2>&1
    check "… and n denies it" \
      request $((before + 2)) "any(m.get('role') == 'tool' and 'denied' in m['content'] for m in b['messages'])"
  else
    echo "# script(1) is not installed: the terminal question is not tested"
  fi

  run notools_set model set notools gpt-test tools=false
  before=$(n_requests)
  run notools chat -p notools --mcp test "Say ping"
  check "a model known not to call tools: the reply comes without tools" \
    bash -c "[ $(rc notools_set) -eq 0 ] && [ $(rc notools) -eq 0 ] && grep -q 'No tools here.' '$tmp/notools.out'"
  check "… none were offered" request $((before + 1)) "'tools' not in b"
  check "… and stderr says why" grep -q 'No tools offered: the model “gpt-test” cannot call tools' "$tmp/notools.err"

  before=$(n_requests)
  run forever chat -p forever --mcp test --allow-tool 'test/*' --max-tool-rounds 2 "Loop"
  check "--max-tool-rounds 2: stops with an error after two rounds of calls" \
    bash -c "[ $(rc forever) -ne 0 ] && grep -q '2 rounds' '$tmp/forever.err'"
  check "… having run two rounds and sent three requests" test $(( $(n_requests) - before )) -eq 3
fi

echo "1..$n"
exit $failed
