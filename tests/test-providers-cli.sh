#!/usr/bin/env bash
# test-providers-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of the provider features of natter-cli against
# natter-fake-server over loopback: the profile options for caching,
# OpenRouter routing, the coding plan and headers as they reach the wire;
# credits; model metadata; usage and its CSV. Prints TAP. Keys come from the
# environment; the keyring is unreachable, so nothing real is touched.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export ANTHROPIC_API_KEY=sk-ant-test OPENROUTER_API_KEY=sk-or-test ZAI_API_KEY=zai-test OPENAI_API_KEY=sk-test
# The last request the fake got for PATH, as JSON (method, path, headers, body).
last_request () {
  python3 - "$tmp/requests.log" "$1" <<'EOF'
import json, sys
last = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["path"] == sys.argv[2]:
        last = r
print(json.dumps(last))
EOF
}
request_check () { # request_check PATH PYTHON-EXPR (r is the request, b its parsed body)
  last_request "$1" >"$tmp/req.json"
  python3 -c "
import json,sys
r=json.load(open(sys.argv[1]))
b=json.loads(r['body']) if r and r.get('body') else None
sys.exit(0 if ($2) else 1)" "$tmp/req.json"
}

skip_unless_built "$CLI" "$FAKE"

FIXTURES=${NATTER_FIXTURES_DIR:-$(cd "$(dirname "$0")" && pwd)/fixtures}
python3 - "$tmp/routes.json" "$FIXTURES/providers/openrouter-models.json" <<'EOF'
import json, sys
def oa(content, usage=None):
    c = {"id": "gen-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": "stop"}]}
    out = ["data: " + json.dumps(c) + "\n\n"]
    if usage:
        out.append("data: " + json.dumps({"id": "gen-1", "object": "chat.completion.chunk", "created": 1,
                                          "model": "m", "choices": [], "usage": usage}) + "\n\n")
    out.append("data: [DONE]\n\n")
    return out
anthropic = [
  "event: message_start\ndata: " + json.dumps({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5", "usage": {"input_tokens": 10, "cache_creation_input_tokens": 100, "cache_read_input_tokens": 0, "output_tokens": 1}}}) + "\n\n",
  "event: content_block_delta\ndata: " + json.dumps({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Cached."}}) + "\n\n",
  "event: message_delta\ndata: " + json.dumps({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}}) + "\n\n",
  "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
]
routes = [
  {"method": "POST", "path": "/v1/messages", "content_type": "text/event-stream", "chunks": anthropic},
  {"method": "POST", "path": "/api/v1/chat/completions", "content_type": "text/event-stream",
   "chunks": oa("Routed.", {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110, "cost": 0.0042})},
  {"method": "GET", "path": "/api/v1/credits", "body": json.dumps({"data": {"total_credits": 10, "total_usage": 2.5}})},
  {"method": "GET", "path": "/api/v1/models", "body": open(sys.argv[2]).read()},
  {"method": "POST", "path": "/api/coding/paas/v4/chat/completions", "content_type": "text/event-stream", "chunks": oa("Coding plan.")},
  {"method": "POST", "path": "/api/paas/v4/chat/completions", "content_type": "text/event-stream", "chunks": oa("Usual plan.")},
  {"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream", "chunks": oa("Headers.")},
]
json.dump(routes, open(sys.argv[1], "w"))
EOF

start_fake
BASE=http://127.0.0.1:$PORT

# ------------------------------------------------------ Anthropic caching
run cache_add profile add claude --provider anthropic --model claude-sonnet-4-5 --url "$BASE" \
  --cache 1h --cache-breakpoints system,prefix
check "profile add --cache 1h --cache-breakpoints system,prefix" test "$(rc cache_add)" -eq 0
run cache_chat chat -p claude --system "Be brief." "Hello"
check "chat through the cached connection" grep -q "Cached." "$tmp/cache_chat.out"
check "cache_control 1h on the system prompt and the last user turn, none at the top" \
  request_check /v1/messages "b['system']==[{'type':'text','text':'Be brief.','cache_control':{'type':'ephemeral','ttl':'1h'}}] and b['messages'][-1]['content'][-1]['cache_control']=={'type':'ephemeral','ttl':'1h'} and 'cache_control' not in b"
run cache_auto profile update claude --cache 5m --cache-breakpoints none
run cache_chat2 chat -p claude --system "Be brief." "Hello"
check "no breakpoint ticked falls back to the automatic one, never an empty cache_control" \
  request_check /v1/messages "b.get('cache_control')=={'type':'ephemeral'} and b['system']=='Be brief.' and isinstance(b['messages'][-1]['content'], str) and '\"cache_control\": {}' not in r['body']"
run cache_bad profile update claude --cache 2h
check "--cache 2h is a usage error" test "$(rc cache_bad)" -eq 2
run cache_wrong profile add gpt --provider openai --model gpt-test --url "$BASE/v1" --cache 5m
check "--cache on an OpenAI connection is a usage error and adds nothing" \
  sh -c "[ $(rc cache_wrong) -eq 2 ] && ! '$CLI' profile show gpt >/dev/null 2>&1"

# ---------------------------------------------------------------- OpenRouter
run or_add profile add router --provider openrouter --model anthropic/claude-sonnet-4.5 --url "$BASE/api/v1" \
  --or-sort price --or-only anthropic,google-vertex --or-ignore deepinfra --or-data-collection deny \
  --or-order anthropic --or-quantizations fp8,bf16 --or-fallbacks deny \
  --or-plugin web --or-plugin healing --or-plugin middle-out
check "profile add with the OpenRouter options" test "$(rc or_add)" -eq 0
run or_chat chat -p router "Route me"
check "chat through OpenRouter" grep -q "Routed." "$tmp/or_chat.out"
check "provider object, plugins, transforms and usage accounting on the wire" \
  request_check /api/v1/chat/completions "b['provider']=={'sort':'price','order':['anthropic'],'only':['anthropic','google-vertex'],'ignore':['deepinfra'],'allow_fallbacks':False,'quantizations':['fp8','bf16'],'data_collection':'deny'} and b['plugins']==[{'id':'web'},{'id':'response-healing'}] and b['transforms']==['middle-out'] and b['usage']=={'include':True}"
run or_inspect inspect last --json
check "inspect last --json has the cost OpenRouter charged" \
  json_check or_inspect "abs(d['usage']['cost_usd']-0.0042)<1e-9"
run or_bad profile update router --or-sort cheapest
check "--or-sort cheapest is a usage error" test "$(rc or_bad)" -eq 2
run credits profile credits router
check "profile credits prints the balance" grep -q 'Credits \$7.50 left' "$tmp/credits.out"
run credits_json profile credits router --json
check "profile credits --json" json_check credits_json "d['kind']=='credits' and d['remaining']==7.5"
run credits_none profile credits claude
check "profile credits on Anthropic says it cannot" test "$(rc credits_none)" -ne 0
run signin_wrong profile signin claude
check "profile signin on a non-OpenRouter connection is a usage error" test "$(rc signin_wrong)" -eq 2

# ------------------------------------------------------------------- Z.AI
run zai_add profile add glm --provider zai --model glm-4.6 --url "$BASE/api/paas/v4" --coding-plan
run zai_chat chat -p glm "Code"
check "--coding-plan sends to /api/coding/paas/v4" grep -q "Coding plan." "$tmp/zai_chat.out"
run zai_off profile update glm --no-coding-plan
run zai_chat2 chat -p glm "Code"
check "--no-coding-plan sends to /api/paas/v4 again" grep -q "Usual plan." "$tmp/zai_chat2.out"

# ---------------------------------------------------------------- headers
run hdr_add profile add proxied --provider openai --model gpt-test --url "$BASE/v1" --header X-Team=blue
run hdr_chat chat -p proxied "Hi"
check "--header X-Team=blue is on the wire" \
  request_check /v1/chat/completions "r['headers'].get('X-Team')=='blue' or r['headers'].get('x-team')=='blue'"
run hdr_secret profile add proxied2 --provider openai --model gpt-test --url "$BASE/v1" --header X-Api-Token=tok-123
check "a secret header without a keyring: error, no profile left behind" \
  sh -c "[ $(rc hdr_secret) -eq 1 ] && ! '$CLI' profile show proxied2 >/dev/null 2>&1 && ! grep -rq tok-123 '$NATTER_DATA_DIR'"
run hdr_show profile show proxied --json
check "profile show --json has the headers in its settings" \
  json_check hdr_show "d['settings']['headers']==[{'name':'X-Team','value':'blue'}]"
run cache_show profile show claude
check "profile show prints the cache summary" grep -q "Prompt caching: Cache 5m • auto" "$tmp/cache_show.out"
run hdr_bad profile update proxied --header "Bad Name=1"
check "a malformed header is a usage error" test "$(rc hdr_bad)" -eq 2

# ------------------------------------------------------------------ models
run model_list model list router --json
check "model list --json has OpenRouter's prices, context and capabilities" \
  json_check model_list "any(m['id']=='anthropic/claude-sonnet-4.5' and m['input_price']==3.0 and m['cache_read_price']==0.3 and m['context']==1000000 and m['vision'] and m['tools'] for m in d)"
run model_set model set router anthropic/claude-sonnet-4.5 alias=Sonnet input_price=2.5 no_system_message=true
run model_list2 model list router --json
check "model set overrides alias, price and flags" \
  json_check model_list2 "any(m['id']=='anthropic/claude-sonnet-4.5' and m['alias']=='Sonnet' and m['input_price']==2.5 and m['output_price']==15.0 and m['no_system_message'] for m in d)"
run model_bad model set router x colour=red
check "model set with an unknown key is a usage error" test "$(rc model_bad)" -eq 2

# ------------------------------------------------------------------- usage
run usage usage --by connection --json
check "usage --by connection: OpenRouter's own cost recorded" \
  json_check usage "any(t['connection']=='router' and abs(t['cost_usd']-0.0042)<1e-9 for t in d)"
check "usage --by connection: Anthropic cache writes recorded" \
  json_check usage "any(t['connection']=='claude' and t['cache_write_tokens']==200 for t in d)"
run usage_csv usage --by day --csv
check "usage --csv starts with its header" \
  sh -c "head -1 '$tmp/usage_csv.out' | grep -q '^day,label,exchanges,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,unpriced'"
run usage_since usage --since 2999-01-01 --json
check "usage --since in the future is empty" json_check usage_since "d==[]"
run usage_bad usage --by week
check "usage --by week is a usage error" test "$(rc usage_bad)" -eq 2

echo "1..$n"
exit $failed
