#!/usr/bin/env bash
# test-preset-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of the preset, sidecar and continue commands of natter-cli
# against natter-fake-server over loopback, with the real SillyTavern presets
# from the fixtures and a temporary data dir. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
FIXTURES=${NATTER_FIXTURES_DIR:?NATTER_FIXTURES_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
PRESETS=$FIXTURES/sillytavern/presets
SECRET="sk-chatcli-SECRET-777"

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=$SECRET
# fails_with NAME CODE: the command exited with CODE and said why in one line.
fails_with () { [ "$(rc "$1")" -eq "$2" ] && one_line_err "$1"; }

skip_unless_built "$CLI" "$FAKE"

# Two presets' JSON trees are the same, numbers compared by value.
same_tree () {
  python3 - "$1" "$2" <<'PY'
import json, sys
def norm(x):
    if isinstance(x, bool) or x is None or isinstance(x, str): return x
    if isinstance(x, (int, float)): return float(x)
    if isinstance(x, list): return [norm(v) for v in x]
    return {k: norm(v) for k, v in x.items()}
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if norm(a) == norm(b) and list(a) == list(b) else 1)
PY
}

# ---------------------------------------------------------------- the server
python3 - "$tmp/routes.json" <<'PY'
import json, sys

def chunk(content=None, finish=None):
    d = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test",
         "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"

stream = [chunk("Hello "), chunk("from the "), chunk("fake."), chunk(finish="length"), "data: [DONE]\n\n"]
routes = [
    {"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream},
]
json.dump(routes, open(sys.argv[1], "w"))
PY

start_fake
BASE=http://127.0.0.1:$PORT

run add profile add work --provider openai --model gpt-test --url "$BASE/v1" --default
run add2 profile add cheap --provider openai --model gpt-mini --url "$BASE/v1"
check "profiles for the fake server" test "$(rc add)$(rc add2)" = "00"

# -------------------------------------------------------------------- --help
help_ok=1
for cmd in "preset" "preset list" "preset show" "preset import" "preset export" "preset set" \
           "preset use" "preset delete" "preset rename" "preset copy" "sidecar" "sidecar set" \
           "sidecar show" "sidecar clear" "chat continue"; do
  # shellcheck disable=SC2086
  if ! "$CLI" $cmd --help >"$tmp/help.out" 2>&1 || ! grep -q 'Usage:' "$tmp/help.out"; then
    help_ok=0; echo "# --help failed for: $cmd"
  fi
done
check "--help works on every preset, sidecar and continue command" test $help_ok -eq 1

# ------------------------------------------------------------------- presets
run list preset list --json
check "built-in presets are listed, Default is the default" \
  json_check list "[p['name'] for p in d] == ['Creative', 'Default', 'Precise'] and [p['name'] for p in d if p['default']] == ['Default'] and all(p['builtin'] for p in d)"

run profiles_before profile list --json
run imp preset import "$PRESETS/Default.json" --name "ST Default" --json
check "SillyTavern's Default chat-completion preset imports" \
  json_check imp "d['name'] == 'ST Default' and len(d['prompts']) == 12 and d['sampling']['max_tokens'] == 300 and 'chat_completion_source' not in json.dumps(d)"
roundtrip_ok=1
for f in Universal-Light Universal-Creative Mirostat; do
  "$CLI" preset import "$PRESETS/$f.json" >/dev/null 2>&1 || roundtrip_ok=0
done
for f in "ST Default:Default" "Universal-Light:Universal-Light" "Universal-Creative:Universal-Creative" "Mirostat:Mirostat"; do
  name=${f%%:*}; file=${f#*:}
  "$CLI" preset export "$name" -o "$tmp/export.json" || roundtrip_ok=0
  same_tree "$PRESETS/$file.json" "$tmp/export.json" || { roundtrip_ok=0; echo "# $name differs"; }
  cmp -s "$PRESETS/$file.json" "$tmp/export.json" || { roundtrip_ok=0; echo "# $name is not byte for byte"; }
done
check "the four SillyTavern presets export as they were imported, byte for byte" test $roundtrip_ok -eq 1
run profiles_after profile list --json
check "importing presets changed no connection" cmp -s "$tmp/profiles_before.out" "$tmp/profiles_after.out"

run again preset import "$PRESETS/Mirostat.json"
check "importing under a taken name fails with one clear line" \
  bash -c "[ $(rc again) -eq 1 ] && grep -q '^natter-cli: .*--name' '$tmp/again.err'"
echo '{"not": "a preset"}' >"$tmp/bad.json"
run bad preset import "$tmp/bad.json"
check "a file that is no preset fails with one clear line" \
  fails_with bad 1
printf '{"temp": 0.7, "name": "a\\733b"}\n' >"$tmp/octal.json"
run octal_before preset list --json
run octal preset import "$tmp/octal.json"
run octal_after preset list --json
check "a preset with an escape JSON does not have fails with one clear line" \
  fails_with octal 1
check "that line names the escape, and no preset was added" \
  bash -c "grep -q '\\\\7' '$tmp/octal.err' && cmp -s '$tmp/octal_before.out' '$tmp/octal_after.out'"

run set preset set "ST Default" temperature=0.5 top_k=40 min_p=0.1 reasoning=high prompt.note.content=NOTE prompt.note.position=history prompt.note.depth=1
run show preset show "ST Default" --json
check "preset set changes sampling, reasoning and blocks" \
  json_check show "d['sampling']['temperature'] == 0.5 and d['sampling']['top_k'] == 40 and d['reasoning']['effort'] == 'high' and any(p['id'] == 'note' and p['position'] == 'history' and p['depth'] == 1 for p in d['prompts'])"
run setbad preset set "ST Default" warmth=3
check "an unknown setting is a usage error" fails_with setbad 2
run setbad2 preset set "ST Default" temperature=hot
check "a malformed value is a usage error" fails_with setbad2 2

# --------------------------------------------------------------------- chats
run new chat new --preset "ST Default"
CHAT=$(out new)
run newbad chat new --preset Nope
check "chat new --preset with an unknown preset fails and leaves no chat" \
  bash -c "[ $(rc newbad) -eq 1 ] && [ \$('$CLI' chat list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 1 ]"
run prompt prompt "$CHAT" --message "Hi" --json
check "prompt --json: the chat's preset in OpenAI's names, what OpenAI does not take listed" \
  json_check prompt "d['request']['body']['temperature'] == 0.5 and 'top_k' not in d['request']['body'] and 'min_p' not in d['request']['body'] and d['request']['body']['reasoning_effort'] == 'high' and d['prompt']['dropped'] == ['min_p', 'top_k'] and d['request']['body']['max_tokens'] == 300"
check "... the in-history block sits one message above the end" \
  json_check prompt "d['request']['body']['messages'][-2]['content'] == 'NOTE' and d['request']['body']['messages'][-1]['content'] == 'Hi'"

run send chat send "$CHAT" Hello
check "chat send uses the chat's preset" \
  bash -c "[ $(rc send) -eq 0 ] && grep -q 'Hello from the fake.' '$tmp/send.out'"
check "... the request has the preset's temperature" last_request "b['temperature'] == 0.5 and b['reasoning_effort'] == 'high'"
run inspect inspect last --json
check "inspect last --json lists what was not sent" \
  json_check inspect "d['dropped'] == ['min_p', 'top_k'] and d['purpose'] == 'chat'"
run inspect_text inspect last
check "inspect last says what was not sent" \
  bash -c "grep -q '^Sent for: chat' '$tmp/inspect_text.out' && grep -q '^Preset settings not sent: min_p, top_k' '$tmp/inspect_text.out'"
run show_chat chat show "$CHAT" --json
check "chat show --json has each reply's finish_reason" \
  json_check show_chat "d['messages'][-1]['finish_reason'] == 'length' and d['messages'][-2]['finish_reason'] is None"

run send2 chat send "$CHAT" --preset Precise Again
check "chat send --preset sets the chat's preset" last_request "b['temperature'] == 0.3 and 'reasoning_effort' not in b"
run send3 chat send "$CHAT" -p cheap Third
check "... remembered for later sends, on another connection too" last_request "b['temperature'] == 0.3 and b['model'] == 'gpt-mini'"

run count1 chat show "$CHAT" --json
before=$(json_get count1 "len(d['messages'])")
run cont chat continue "$CHAT"
run count2 chat show "$CHAT" --json
check "chat continue extends the last reply in place" \
  json_check count2 "len(d['messages']) == $before and d['messages'][-1]['content'] == 'Hello from the fake.Hello from the fake.'"
check "... asking OpenAI with the continue nudge after the reply so far" \
  last_request "b['messages'][-2]['content'] == 'Hello from the fake.' and b['messages'][-1]['role'] == 'system'"

# ------------------------------------------------------- connection defaults
run upd profile update work --preset Creative --reasoning low
run plist profile list --json
check "profile update --preset --reasoning are kept with the connection" \
  json_check plist "[p for p in d if p['name'] == 'work'][0]['preset'] == 'Creative' and [p for p in d if p['name'] == 'work'][0]['reasoning'] == 'low'"
run new2 chat new
CHAT2=$(out new2)
run prompt2 prompt "$CHAT2" --message Hi --json
check "a chat without its own preset uses the connection's, and its reasoning" \
  json_check prompt2 "d['request']['body']['temperature'] == 1.1 and d['request']['body']['reasoning_effort'] == 'low'"
run updbad profile update work --reasoning loud
check "a wrong --reasoning is a usage error" fails_with updbad 2
run addp profile add third --provider anthropic --model m --url "$BASE" --preset Precise --reasoning max
run plist2 profile list --json
check "profile add --preset --reasoning" \
  json_check plist2 "[p for p in d if p['name'] == 'third'][0]['preset'] == 'Precise'"
run upd0 profile update work --preset ""
run use preset use Precise
run prompt3 prompt "$CHAT2" --message Hi --json
check "preset use makes the global default" json_check prompt3 "d['request']['body']['temperature'] == 0.3"

CARD=$FIXTURES/sillytavern/default_Seraphina.png
run cimp character import "$CARD" --json
run cuse preset use Creative --character Seraphina
run cnew chat new --character Seraphina
CCHAT=$(out cnew)
run cprompt prompt "$CCHAT" --message Hi --json
check "preset use --character: that character's chats use it" \
  json_check cprompt "d['request']['body']['temperature'] == 1.1"
run cuse2 preset use default --character Seraphina
run cprompt2 prompt "$CCHAT" --message Hi --json
check "... until forgotten" json_check cprompt2 "d['request']['body']['temperature'] == 0.3"
run cbad preset use Creative --character Nobody
check "preset use --character with an unknown character fails with one clear line" fails_with cbad 1

run oneshot chat -p work --preset "ST Default" Hi
check "one-shot chat --preset sends the preset's sampling" \
  bash -c "[ $(rc oneshot) -eq 0 ] && grep -q 'min_p' '$tmp/oneshot.err'"
check "... with its main prompt" last_request "b['temperature'] == 0.5 and b['messages'][0]['role'] == 'system'"

run delb preset delete Default
check "a built-in preset cannot be deleted" fails_with delb 1
run ren preset rename "ST Default" Mine
run send4 chat send "$CHAT" --preset Mine Four
run del preset delete Mine
run prompt4 prompt "$CHAT" --message Hi --json
check "rename keeps the chat's choice; deleting falls back to the default" \
  bash -c "[ $(rc ren)$(rc send4)$(rc del) = 000 ] && python3 -c \"import json; d=json.load(open('$tmp/prompt4.out')); assert d['request']['body']['temperature'] == 0.3\""

# ------------------------------------------------------------------- sidecar
run sc0 sidecar show --json
run sc1 sidecar set cheap --model gpt-mini
run sc2 sidecar show --json
run scbad sidecar set nobody
run sc3 sidecar clear
run sc4 sidecar show --json
check "sidecar set, show and clear" \
  bash -c "python3 -c \"import json; assert json.load(open('$tmp/sc0.out'))['profile'] is None; d=json.load(open('$tmp/sc2.out')); assert d == {'profile': 'cheap', 'model': 'gpt-mini'}; assert json.load(open('$tmp/sc4.out'))['profile'] is None\" && [ $(rc scbad) -eq 1 ]"

echo "1..$n"
exit $failed
