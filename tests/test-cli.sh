#!/usr/bin/env bash
# test-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of natter-cli against natter-fake-server over loopback.
# Prints TAP. Keys come from the environment fallback (OPENAI_API_KEY); the
# keyring is made unreachable so no real keyring is touched.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
SECRET="sk-cli-SECRET-424242"
PROXY_PASSWORD="hunter22-proxy-pw"

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

unset OPENAI_API_KEY
run_in () {
  local name=$1 input=$2; shift 2
  printf '%s' "$input" | "$CLI" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  echo $? >"$tmp/$name.rc"
}
err () { cat "$tmp/$1.err"; }

skip_unless_built "$CLI" "$FAKE"

# ---------------------------------------------------------------- the server
python3 - "$tmp/routes.json" <<'EOF'
import json, sys

def chunk(content=None, finish=None, delta=None):
    d = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
         "model": "gpt-test",
         "choices": [{"index": 0,
                      "delta": delta if delta is not None else ({"content": content} if content is not None else {}),
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"

usage = "data: " + json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk",
                                "created": 1, "model": "gpt-test", "choices": [],
                                "usage": {"prompt_tokens": 9, "completion_tokens": 3,
                                          "total_tokens": 12}}) + "\n\n"
stream = [chunk(delta={"role": "assistant", "reasoning_content": "Thinking."}),
          chunk("Hel"), chunk("lo \u00e9"), chunk(finish="stop"), usage, "data: [DONE]\n\n"]
err = lambda msg, typ: json.dumps({"error": {"message": msg, "type": typ, "code": None}})
routes = [
    {"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream},
    {"method": "GET", "path": "/v1/models",
     "body": json.dumps({"object": "list", "data": [
         {"id": "gpt-b", "object": "model", "created": 1, "owned_by": "x"},
         {"id": "gpt-a", "object": "model", "created": 1, "owned_by": "x"}]})},
    {"method": "POST", "path": "/slow/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream, "chunk_delay_ms": 500},
    {"method": "POST", "path": "/ns/v1/chat/completions",
     "body": json.dumps({"id": "c", "object": "chat.completion", "created": 1, "model": "gpt-test",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": "Whole reply"},
                                      "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4}})},
    {"method": "POST", "path": "/bad/v1/chat/completions", "status": 401,
     "body": err("Incorrect API key provided.", "invalid_request_error")},
    {"method": "GET", "path": "/bad/v1/models", "status": 401,
     "body": err("Incorrect API key provided.", "invalid_request_error")},
    {"method": "POST", "path": "/busy/v1/chat/completions", "status": 429,
     "body": err("Rate limit reached for requests", "requests")},
    {"method": "POST", "path": "/cut/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream[:3]},
    # A streaming request answered with status 200 and a JSON error object.
    {"method": "POST", "path": "/quota/v1/chat/completions",
     "body": json.dumps({"error": {"message": "You exceeded your quota", "type": "insufficient_quota"}})},
]
json.dump(routes, open(sys.argv[1], "w"))
EOF

start_fake
BASE=http://127.0.0.1:$PORT

# ----------------------------------------------------------------- providers
ALL_IDS="openai anthropic google vertex openrouter deepseek xai mistral groq perplexity ai21 moonshot fireworks electronhub siliconflow nanogpt infermatic chutes zai pollinations custom ollama koboldcpp llamacpp tabbyapi textgen-webui lmstudio cohere azure-openai bedrock"
run providers providers --json
check "providers --json lists exactly the provider ids of issue 2 (30)" \
  json_check providers "sorted(p['id'] for p in d) == sorted('$ALL_IDS'.split())"
check "providers --json has name/dialect/supported" \
  json_check providers "all('name' in p and 'dialect' in p and 'supported' in p for p in d)"
run providers_text providers
check "providers prints one line per provider" \
  test "$(wc -l <"$tmp/providers_text.out")" -eq 30

# -------------------------------------------------------------------- --help
help_ok=1
for cmd in "providers" "profile add" "profile update" "profile list" "profile show" "profile set-key" \
           "profile delete" "profile use" "profile test" "profile models" "chat" "inspect"; do
  # shellcheck disable=SC2086
  if ! "$CLI" $cmd --help >"$tmp/help.out" 2>&1 || ! grep -q 'Usage:' "$tmp/help.out"; then
    help_ok=0; echo "# --help failed for: $cmd"
  fi
done
check "--help works on every command" test $help_ok -eq 1
"$CLI" --help >"$tmp/help.out" 2>&1
check "top-level --help lists commands and exit codes" \
  grep -q 'Exit status' "$tmp/help.out"
run nocmd frobnicate
check "unknown command exits 2" test "$(rc nocmd)" -eq 2

# ------------------------------------------------------------------ profiles
run add_work profile add work --provider openai --model gpt-test \
    --url "$BASE/v1/chat/completions" --default
check "profile add with a pasted endpoint URL" test "$(rc add_work)" -eq 0
run add_dup profile add WORK --provider openai
check "profile add with a taken name fails with one line" \
  sh -c "[ $(rc add_dup) -ne 0 ] && [ \$(wc -l <'$tmp/add_dup.err') -eq 1 ]"
run add_badprov profile add x --provider nope
check "profile add with an unknown provider exits 2" test "$(rc add_badprov)" -eq 2
run add_noprov profile add x
check "profile add without --provider exits 2" test "$(rc add_noprov)" -eq 2
run add_bad profile add bad --provider openai --model gpt-test --url "$BASE/bad/v1"
run add_busy profile add busy --provider openai --model gpt-test --url "$BASE/busy/v1"
run add_slow profile add slow --provider openai --model gpt-test --url "$BASE/slow/v1/"
run add_ns profile add ns --provider openai --model gpt-test --url "$BASE/ns/v1"
run add_cut profile add cut --provider openai --model gpt-test --url "$BASE/cut/v1"
run add_down profile add down --provider openai --model gpt-test --url "http://127.0.0.1:9/v1"
run add_vertex profile add vx --provider vertex --model gemini
check "more profiles added" \
  test "$(cat "$tmp"/add_bad.rc "$tmp"/add_busy.rc "$tmp"/add_slow.rc "$tmp"/add_ns.rc "$tmp"/add_cut.rc "$tmp"/add_down.rc "$tmp"/add_vertex.rc | tr -d '\n')" = "0000000"

run list profile list --json
check "profile list --json lists all profiles" \
  json_check list "sorted(p['name'] for p in d) == sorted(['work','bad','busy','slow','ns','cut','down','vx'])"
run list_text profile list
check "profile list marks the active (default) profile" \
  grep -q '^\* *work ' "$tmp/list_text.out"

run show profile show work --json
check "profile show --json has exactly the documented keys" \
  json_check show "sorted(d) == sorted(['name','provider','model','url','effective_url','proxy','default','has_api_key','input_price','output_price','settings','preset','reasoning'])"
check "profile show --json values (effective URL normalized)" \
  json_check show "d['name']=='work' and d['provider']=='openai' and d['model']=='gpt-test' and d['effective_url']=='$BASE/v1' and d['default'] is True and d['has_api_key'] is False and d['proxy'] is None and d['input_price'] is None and d['output_price'] is None"
run show_missing profile show nobody
check "profile show of a missing profile exits 1 with one line" \
  sh -c "[ $(rc show_missing) -eq 1 ] && [ \$(wc -l <'$tmp/show_missing.err') -eq 1 ]"
OPENAI_API_KEY=$SECRET run show_text profile show work
check "profile show reports the key from the environment" \
  grep -q 'Key from environment' "$tmp/show_text.out"

# ------------------------------------------------------------------- prices
run add_priced profile add priced --provider openai --model gpt-test --url "$BASE/v1" \
    --input-price 2.5 --output-price 10
run show_priced profile show priced --json
check "profile add --input-price/--output-price: show --json has the numbers" \
  sh -c "[ $(rc add_priced) -eq 0 ] && python3 -c \"import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['input_price']==2.5 and d['output_price']==10 else 1)\" '$tmp/show_priced.out'"
run show_priced_text profile show priced
check "profile show prints the prices per million tokens" \
  sh -c "grep -qx 'Input price: \\\$2.5 per million tokens' '$tmp/show_priced_text.out' && grep -qx 'Output price: \\\$10 per million tokens' '$tmp/show_priced_text.out'"
run show_unpriced_text profile show work
check "profile show says when a price is not set" \
  grep -qx 'Input price: not set' "$tmp/show_unpriced_text.out"
run upd_price profile update priced --input-price 0.15
run show_upd profile show priced --json
check "profile update --input-price changes only that price" \
  sh -c "[ $(rc upd_price) -eq 0 ] && python3 -c \"import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['input_price']==0.15 and d['output_price']==10 and d['model']=='gpt-test' else 1)\" '$tmp/show_upd.out'"
run upd_bad profile update priced --input-price 1 --output-price 'ten dollars'
run show_after_bad profile show priced --json
check "a malformed price: one line, exit 2, nothing saved" \
  sh -c "[ $(rc upd_bad) -eq 2 ] && grep -q 'ten dollars' '$tmp/upd_bad.err' && cmp -s '$tmp/show_upd.out' '$tmp/show_after_bad.out'"
check "the malformed price error is one line" one_line_err upd_bad
for bad in abc 1,5 0x10 nan inf ''; do
  run add_badprice profile add badprice --provider openai --input-price "$bad"
  if [ "$(rc add_badprice)" -ne 2 ] || ! one_line_err add_badprice; then
    not_ok "profile add --input-price '$bad' is refused"
  fi
done
run show_badprice profile show badprice
check "profile add with malformed prices exits 2 and adds nothing" test "$(rc show_badprice)" -eq 1
run upd_none profile update priced --output-price none
run upd_neg profile update priced --input-price=-1
run show_none profile show priced --json
check "profile update --output-price none / a negative price removes them" \
  sh -c "[ $(rc upd_none) -eq 0 ] && [ $(rc upd_neg) -eq 0 ] && python3 -c \"import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['input_price'] is None and d['output_price'] is None else 1)\" '$tmp/show_none.out'"
run upd_missing profile update nobody --input-price 1
check "profile update of a missing profile exits 1 with one line" \
  sh -c "[ $(rc upd_missing) -eq 1 ] && [ \$(wc -l <'$tmp/upd_missing.err') -eq 1 ]"
run upd_model profile update priced --model gpt-other
run show_model profile show priced --json
check "profile update --model changes the model" json_check show_model "d['model']=='gpt-other'"
run delete_priced profile delete priced

# ---------------------------------------------------------------------- chat
OPENAI_API_KEY=$SECRET run chat chat "Say hello"
check "chat exits 0" test "$(rc chat)" -eq 0
check "chat prints the reply on stdout" test "$(out chat)" = "Hello é"
check "chat prints reasoning on stderr" grep -q 'Thinking.' "$tmp/chat.err"
check "the server got the key from the environment" \
  grep -q "\"Bearer $SECRET\"" "$tmp/requests.log"
check "the server got the prompt and the model" \
  python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])][-1]; b=json.loads(r['body']); sys.exit(0 if r['path']=='/v1/chat/completions' and b['model']=='gpt-test' and b['messages'][-1]['content']=='Say hello' and b['stream'] else 1)" "$tmp/requests.log"

OPENAI_API_KEY=$SECRET run inspect inspect last --json
check "inspect last --json has the documented shape" \
  json_check inspect "sorted(d)==['dropped','error','purpose','request','response','timing','usage'] and sorted(d['request'])==['body','headers','method','url'] and sorted(d['response'])==['headers','raw','status','text'] and sorted(d['timing'])==['total_ms','ttfb_ms','ttft_ms'] and sorted(d['usage'])==['cache_read_tokens','cache_write_tokens','cost_usd','input_tokens','output_tokens']"
check "inspect last --json: redacted Authorization, status, text, usage, no error" \
  json_check inspect "d['request']['headers'].get('Authorization', d['request']['headers'].get('authorization'))=='Bearer REDACTED' and d['response']['status']==200 and d['response']['text']=='Hello é' and d['usage']['output_tokens']==3 and d['error'] is None and d['request']['method']=='POST' and d['request']['url']=='$BASE/v1/chat/completions' and 'data: [DONE]' in d['response']['raw']"

printf 'From stdin\n' >"$tmp/prompt.txt"
OPENAI_API_KEY=$SECRET "$CLI" chat - <"$tmp/prompt.txt" >"$tmp/stdin.out" 2>"$tmp/stdin.err"
check "chat - reads the prompt from stdin" \
  sh -c "[ \$? -eq 0 ] && [ \"\$(cat '$tmp/stdin.out')\" = 'Hello é' ] && tail -n1 '$tmp/requests.log' | grep -q 'From stdin'"

OPENAI_API_KEY=$SECRET run chat_opts chat -p work -m other-model --system "Be terse" --max-tokens 7 --temperature 0.5 "Opts"
check "chat options reach the request" \
  python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])][-1]; b=json.loads(r['body']); sys.exit(0 if b['model']=='other-model' and b['messages'][0]=={'role':'system','content':'Be terse'} and b.get('max_tokens', b.get('max_completion_tokens'))==7 and abs(b['temperature']-0.5)<1e-9 else 1)" "$tmp/requests.log"

OPENAI_API_KEY=$SECRET run chat_ns chat -p ns --no-stream "Hi"
check "chat --no-stream prints the whole reply" \
  sh -c "[ $(rc chat_ns) -eq 0 ] && [ \"\$(cat '$tmp/chat_ns.out')\" = 'Whole reply' ]"
check "chat --no-stream sends stream false" \
  sh -c "tail -n1 '$tmp/requests.log' | python3 -c 'import json,sys; b=json.loads(json.load(sys.stdin)[\"body\"]); sys.exit(0 if not b.get(\"stream\") else 1)'"

# Streaming: the first text is on stdout while the reply is still arriving.
OPENAI_API_KEY=$SECRET "$CLI" chat -p slow "Slowly" >"$tmp/slow.out" 2>"$tmp/slow.err" &
slow_pid=$!
streamed=0
for _ in $(seq 60); do
  if grep -q 'Hel' "$tmp/slow.out" 2>/dev/null; then
    kill -0 $slow_pid 2>/dev/null && streamed=1
    break
  fi
  sleep 0.05
done
wait $slow_pid
slow_rc=$?
check "chat streams text to stdout before the reply is complete" test $streamed -eq 1
check "slow chat completes" sh -c "[ $slow_rc -eq 0 ] && [ \"\$(cat '$tmp/slow.out')\" = 'Hello é' ]"

# Ctrl-C stops the stream: the text so far stays, one line, exit 130.
OPENAI_API_KEY=$SECRET "$CLI" chat -p slow "Interrupted" >"$tmp/int.out" 2>"$tmp/int.err" &
int_pid=$!
for _ in $(seq 60); do
  grep -q 'Hel' "$tmp/int.out" 2>/dev/null && break
  sleep 0.05
done
kill -INT $int_pid
wait $int_pid
int_rc=$?
check "SIGINT cancels chat: exit 130, partial text kept, one line" \
  sh -c "[ $int_rc -eq 130 ] && grep -q '^Hel' '$tmp/int.out' && [ \$(grep -c '^natter-cli: ' '$tmp/int.err') -eq 1 ]"
OPENAI_API_KEY=$SECRET run inspect_int inspect last --json
check "inspect last --json records the cancellation" \
  json_check inspect_int "d['error']['category']=='cancelled' and d['response']['text'].startswith('Hel')"

# ---------------------------------------------------------------- failures
OPENAI_API_KEY=$SECRET run chat_bad chat -p bad "Hi"
check "auth error exits 3" test "$(rc chat_bad)" -eq 3
check "auth error is one line with the provider's message" \
  sh -c "grep -q '^natter-cli: .*: Incorrect API key provided.' '$tmp/chat_bad.err' && [ \$(wc -l <'$tmp/chat_bad.err') -eq 1 ]"
OPENAI_API_KEY=$SECRET run inspect_bad inspect last --json
check "inspect last --json records the error" \
  json_check inspect_bad "d['error']['category']=='auth' and d['response']['status']==401"

OPENAI_API_KEY=$SECRET run chat_busy chat -p busy "Hi"
check "rate limit exits 5 with one line" \
  sh -c "[ $(rc chat_busy) -eq 5 ] && grep -q 'Rate limit reached' '$tmp/chat_busy.err' && [ \$(wc -l <'$tmp/chat_busy.err') -eq 1 ]"

OPENAI_API_KEY=$SECRET run chat_down chat -p down "Hi"
check "unreachable server exits 4 with one line" \
  sh -c "[ $(rc chat_down) -eq 4 ] && [ \$(wc -l <'$tmp/chat_down.err') -eq 1 ]"

OPENAI_API_KEY=$SECRET run chat_cut chat -p cut "Hi"
check "stream without terminator: exit 5, partial text kept on stdout" \
  sh -c "[ $(rc chat_cut) -eq 5 ] && grep -q '^Hel' '$tmp/chat_cut.out' && grep -q 'ended before' '$tmp/chat_cut.err'"

run chat_nokey chat -p work "Hi"
check "missing key fails with one clear line, exit 3 (auth)" \
  sh -c "[ $(rc chat_nokey) -eq 3 ] && grep -q 'needs an API key' '$tmp/chat_nokey.err' && [ \$(wc -l <'$tmp/chat_nokey.err') -eq 1 ]"

n_requests=$(wc -l <"$tmp/requests.log")
GOOGLE_APPLICATION_CREDENTIALS= run chat_vx chat -p vx "Hi"
check "Vertex without a service account: one clear line, exit 3 (auth), nothing sent" \
  sh -c "[ $(rc chat_vx) -eq 3 ] && [ \$(wc -l <'$tmp/chat_vx.err') -eq 1 ] && grep -q 'Google Vertex AI needs a service account key: add its JSON key file' '$tmp/chat_vx.err' && [ \$(wc -l <'$tmp/requests.log') -eq $n_requests ] || { cat '$tmp/chat_vx.err'; false; }"

# ------------------------------------------------ cloud providers' settings
run add_az profile add az --provider azure-openai --url "https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-01-01-preview"
run show_az profile show az --json
check "a pasted Azure URL fills endpoint, deployment and API version" \
  json_check show_az "d['url']=='https://contoso.openai.azure.com' and d['deployment']=='gpt4o-prod' and d['model']=='gpt4o-prod' and d['api_version']=='2025-01-01-preview'"
run update_az profile update az --deployment other-dep --azure-api v1
run show_az2 profile show az --json
check "profile update --deployment/--azure-api" \
  json_check show_az2 "d['deployment']=='other-dep' and d['azure_api']=='v1'"
run add_br profile add br --provider bedrock --region eu-west-3 --access-key-id AKIDCLI --model us.anthropic.claude-sonnet-4-5-20250929-v1:0
run show_br profile show br --json
check "Bedrock: region and access key ID in show --json, the runtime URL derived" \
  json_check show_br "d['region']=='eu-west-3' and d['access_key_id']=='AKIDCLI' and d['effective_url']=='https://bedrock-runtime.eu-west-3.amazonaws.com'"
run add_vx2 profile add vx2 --provider vertex --region global --project p-1 --model gemini-2.5-pro
run show_vx2 profile show vx2 --json
check "Vertex: region and project, the global host" \
  json_check show_vx2 "d['region']=='global' and d['project']=='p-1' and d['effective_url']=='https://aiplatform.googleapis.com'"
run wrong_opt profile add wrong --provider openai --region us-east-1
check "a cloud option on another provider: usage error (exit 2), nothing added" \
  sh -c "[ $(rc wrong_opt) -eq 2 ] && grep -q 'region is for vertex and bedrock' '$tmp/wrong_opt.err' && ! '$CLI' profile show wrong >/dev/null 2>&1"
run_in bad_sa '{"type": "authorized_user"}' profile add badsa --provider vertex --key-stdin
check "a file that is no service account key is refused before anything is stored" \
  sh -c "[ $(rc bad_sa) -eq 2 ] && grep -q 'not a service account key file' '$tmp/bad_sa.err' && ! '$CLI' profile show badsa >/dev/null 2>&1"

run add_nomodel profile add local --provider custom --url "$BASE/v1"
n_requests=$(wc -l <"$tmp/requests.log")
OPENAI_API_KEY=$SECRET run chat_nomodel chat -p local "Hi"
check "a profile without a model: just the message, exit 1, nothing sent" \
  sh -c "[ $(rc add_nomodel) -eq 0 ] && [ $(rc chat_nomodel) -eq 1 ] && [ \"\$(cat '$tmp/chat_nomodel.err')\" = 'natter-cli: Profile “local” has no model: choose one with --model or natter-cli profile add … --model' ] && [ \$(wc -l <'$tmp/requests.log') -eq $n_requests ]"
OPENAI_API_KEY=$SECRET run chat_model chat -p local -m gpt-test "Hi"
check "--model makes that profile work" test "$(out chat_model)" = "Hello é"

run add_quota profile add quota --provider openai --model gpt-test --url "$BASE/quota/v1"
OPENAI_API_KEY=$SECRET run chat_quota chat -p quota "Hi"
check "a 200 JSON error to a stream: the provider's message, rate limited (exit 5), one line" \
  sh -c "[ $(rc chat_quota) -eq 5 ] && grep -q '^natter-cli: .*You exceeded your quota\$' '$tmp/chat_quota.err' && [ \$(wc -l <'$tmp/chat_quota.err') -eq 1 ]"

run chat_usage chat --max-tokens nope "Hi"
check "bad option exits 2" test "$(rc chat_usage)" -eq 2

# ---------------------------------------------------------- models and test
OPENAI_API_KEY=$SECRET run models profile models work
check "profile models prints sorted ids, one per line" \
  test "$(out models | tr '\n' ' ')" = "gpt-a gpt-b "
OPENAI_API_KEY=$SECRET run models_json profile models work --json
check "profile models --json is an array of {id}" \
  json_check models_json "[m['id'] for m in d]==['gpt-a','gpt-b']"
OPENAI_API_KEY=$SECRET run test_work profile test work
check "profile test succeeds" sh -c "[ $(rc test_work) -eq 0 ]"
OPENAI_API_KEY=$SECRET run test_bad profile test bad
check "profile test reports an auth failure (exit 3)" test "$(rc test_bad)" -eq 3

# ------------------------------------------------------------- use / delete
run use profile use bad
OPENAI_API_KEY=$SECRET run chat_active chat "Hi"
check "profile use changes the profile chat uses" \
  sh -c "[ $(rc use) -eq 0 ] && [ $(rc chat_active) -eq 3 ]"
run delete profile delete bad
run show_deleted profile show bad
check "profile delete removes the profile" \
  sh -c "[ $(rc delete) -eq 0 ] && [ $(rc show_deleted) -eq 1 ]"
OPENAI_API_KEY=$SECRET run chat_fallback chat "Hi"
check "after deleting the active profile chat falls back to the default" \
  test "$(out chat_fallback)" = "Hello é"

# ----------------------------------------------------------------- secrets
run_in setkey "$SECRET" profile set-key work
check "set-key without a reachable keyring fails with one line, exit 1" \
  sh -c "[ $(rc setkey) -eq 1 ] && [ \$(wc -l <'$tmp/setkey.err') -eq 1 ]"
run_in addkey "$SECRET" profile add keyed --provider openai --key-stdin
run show_keyed profile show keyed
check "profile add --key-stdin without a keyring adds nothing" \
  sh -c "[ $(rc addkey) -ne 0 ] && [ $(rc show_keyed) -eq 1 ]"

# A proxy password never lands in the database: without a keyring to keep
# it, the profile is not added at all.
run add_proxy_nokr profile add pxnokr --provider openai --model gpt-test --url "$BASE/v1" \
  --proxy "http://bob:$PROXY_PASSWORD@127.0.0.1:3128"
run show_proxy_nokr profile show pxnokr
check "profile add --proxy with a password and no keyring adds nothing, exit 1, one line" \
  sh -c "[ $(rc add_proxy_nokr) -eq 1 ] && [ $(rc show_proxy_nokr) -eq 1 ] && grep -q 'proxy password' '$tmp/add_proxy_nokr.err' && [ \$(wc -l <'$tmp/add_proxy_nokr.err') -eq 1 ]"

leak=0
for f in "$tmp"/*.out "$tmp"/*.err; do
  case $f in */fake.*) continue ;; esac
  if grep -q "$SECRET" "$f"; then leak=1; echo "# key found in $f"; fi
done
if grep -rq "$SECRET" "$NATTER_DATA_DIR"; then leak=1; echo "# key found in the data dir"; fi
check "the key appears in no output and no file under the data dir" test $leak -eq 0

# ---------------------------------- key in the keyring (private keyring daemon)
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  cat >"$tmp/keyring.sh" <<EOF
set -u
export XDG_DATA_HOME="$tmp/kr-data" XDG_RUNTIME_DIR="$tmp/kr-run" HOME="$tmp/kr-home"
mkdir -p "\$XDG_DATA_HOME" "\$XDG_RUNTIME_DIR" "\$HOME"
chmod 700 "\$XDG_RUNTIME_DIR"
echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || exit 9
# The daemon forks; let it own the bus name before natter-cli asks for it.
if command -v gdbus >/dev/null 2>&1; then
  gdbus wait --session --timeout 20 org.freedesktop.secrets
fi
printf '%s' "$SECRET" | "$CLI" profile add kr --provider openai --model gpt-test --url "$BASE/v1" --key-stdin || exit 10
"$CLI" profile show kr --json >"$tmp/kr_show.out" || exit 11
"$CLI" chat -p kr "Keyring" >"$tmp/kr_chat.out" 2>"$tmp/kr_chat.err" || exit 12
"$CLI" profile delete kr || exit 13
# A proxy URL with a password: the URL is stored without it, the password
# goes to the keyring, and chat sends it to the proxy (the fake server
# itself, which answers plain-http proxy requests and logs their headers).
"$CLI" profile add krp --provider openai --model gpt-test --url "$BASE/v1" \
  --proxy "http://bob:$PROXY_PASSWORD@127.0.0.1:$PORT" >"$tmp/krp_add.out" 2>"$tmp/krp_add.err" || exit 14
"$CLI" profile show krp --json >"$tmp/krp_show.out" 2>"$tmp/krp_show.err" || exit 15
"$CLI" profile show krp >"$tmp/krp_show_text.out" 2>"$tmp/krp_show_text.err" || exit 16
OPENAI_API_KEY=$SECRET "$CLI" chat -p krp "Through the proxy" >"$tmp/krp_chat.out" 2>"$tmp/krp_chat.err" || exit 17
# The same with the password on standard input, never on the command line.
printf '%s\n' "$PROXY_PASSWORD-2" | "$CLI" profile add krs --provider openai --model gpt-test --url "$BASE/v1" \
  --proxy "http://carol@127.0.0.1:$PORT" --proxy-password-stdin >"$tmp/krs_add.out" 2>"$tmp/krs_add.err" || exit 18
OPENAI_API_KEY=$SECRET "$CLI" chat -p krs "Through the proxy again" >"$tmp/krs_chat.out" 2>"$tmp/krs_chat.err" || exit 19
exit 0
EOF
  unset DBUS_SESSION_BUS_ADDRESS
  timeout 60 dbus-run-session -- bash "$tmp/keyring.sh" >"$tmp/kr.log" 2>&1
  kr_rc=$?
  export DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus
  if [ $kr_rc -eq 0 ]; then
    check "profile add --key-stdin stores the key (has_api_key true)" \
      json_check kr_show "d['has_api_key'] is True"
    check "chat uses the stored key" \
      sh -c "grep 'Keyring' '$tmp/requests.log' | grep -q 'Bearer $SECRET' && [ \"\$(cat '$tmp/kr_chat.out')\" = 'Hello é' ]"
    check "profile add --proxy keeps the user name, not the password (show --json)" \
      json_check krp_show "d['proxy']=='http://bob@127.0.0.1:$PORT'"
    check "profile show prints the proxy without its password" \
      sh -c "grep -q 'http://bob@127.0.0.1:$PORT' '$tmp/krp_show_text.out' && ! grep -q '$PROXY_PASSWORD' '$tmp/krp_show_text.out'"
    proxy_auth="Basic $(printf 'bob:%s' "$PROXY_PASSWORD" | base64)"
    check "chat sends the proxy password from the keyring to the proxy" \
      sh -c "[ \"\$(cat '$tmp/krp_chat.out')\" = 'Hello é' ] && grep 'Through the proxy' '$tmp/requests.log' | grep -v 'proxy again' | grep -q '$proxy_auth'"
    proxy_auth2="Basic $(printf 'carol:%s' "$PROXY_PASSWORD-2" | base64)"
    check "profile add --proxy-password-stdin: the password from standard input reaches the proxy" \
      sh -c "tail -n1 '$tmp/requests.log' | grep -q 'Through the proxy again' && tail -n1 '$tmp/requests.log' | grep -q '$proxy_auth2' && [ ! -s '$tmp/krs_add.err' ]"
    check "a proxy password on the command line is warned about" \
      grep -q 'command line' "$tmp/krp_add.err"
    pw_leak=0
    for f in "$tmp"/*.out "$tmp"/*.err; do
      if grep -q "$PROXY_PASSWORD" "$f"; then pw_leak=1; echo "# proxy password found in $f"; fi
    done
    if grep -rqa "$PROXY_PASSWORD" "$NATTER_DATA_DIR"; then pw_leak=1; echo "# proxy password found in the data dir"; fi
    check "the proxy password appears in no output and no file under the data dir" test $pw_leak -eq 0
  else
    not_ok "keyring session (exit $kr_rc): $(tr '\n' ' ' <"$tmp/kr.log" | cut -c1-200)"
  fi
else
  ok "# SKIP no dbus-run-session / gnome-keyring-daemon"
fi

echo "1..$n"
exit $failed
