#!/usr/bin/env bash
# test-chat-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of the chats and characters commands of natter-cli
# against natter-fake-server over loopback, with the real SillyTavern card
# from the fixtures and a temporary data dir. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
FIXTURES=${NATTER_FIXTURES_DIR:?NATTER_FIXTURES_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
CARD=$FIXTURES/sillytavern/default_Seraphina.png
WORLD=$FIXTURES/sillytavern/Eldoria.json
SECRET="sk-chatcli-SECRET-777"

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=$SECRET

skip_unless_built "$CLI" "$FAKE"
if [ ! -f "$CARD" ]; then echo "1..0 # SKIP fixture $CARD missing"; exit 0; fi

# ---------------------------------------------------------------- the server
python3 - "$tmp/routes.json" <<'EOF'
import json, sys

def chunk(content=None, finish=None):
    d = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test",
         "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"

stream = [chunk("Hello "), chunk("from the "), chunk("fake."), chunk(finish="stop"), "data: [DONE]\n\n"]
routes = [
    {"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream},
    {"method": "POST", "path": "/cut/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream[:2]},
    {"method": "POST", "path": "/slow/v1/chat/completions", "content_type": "text/event-stream",
     "chunks": stream, "chunk_delay_ms": 400},
]
json.dump(routes, open(sys.argv[1], "w"))
EOF

start_fake
BASE=http://127.0.0.1:$PORT

run add profile add work --provider openai --model gpt-test --url "$BASE/v1" --default
run add_cut profile add cut --provider openai --model gpt-test --url "$BASE/cut/v1"
run add_slow profile add slow --provider openai --model gpt-test --url "$BASE/slow/v1"
check "profiles for the fake server" test "$(rc add)$(rc add_cut)$(rc add_slow)" = "000"

# -------------------------------------------------------------------- --help
help_ok=1
for cmd in "character" "character import" "character list" "character show" "character export" \
           "character delete" "chat" "chat new" "chat send" "chat list" "chat show" "chat delete" \
           "chat swipe" "chat branch" "chat import" "chat export" "search" "prompt"; do
  # shellcheck disable=SC2086
  if ! "$CLI" $cmd --help >"$tmp/help.out" 2>&1 || ! grep -q 'Usage:' "$tmp/help.out"; then
    help_ok=0; echo "# --help failed for: $cmd"
  fi
done
check "--help works on every chats/characters command" test $help_ok -eq 1
"$CLI" chat --help >"$tmp/help.out" 2>&1
check "chat --help lists the subcommands and the -- rule" grep -q -- 'chat -- list' "$tmp/help.out"

# ---------------------------------------------------------------- characters
run imp character import "$CARD" --json
check "character import PNG exits 0" test "$(rc imp)" -eq 0
check "character import --json names Seraphina with her lorebook" \
  json_check imp "d['type'] == 'character' and d['name'] == 'Seraphina' and d['has_avatar'] and d['lorebook_entries'] > 0"
CHAR_ID=$(json_get imp "d['id']")

run world character import "$WORLD" --attach Seraphina --json
check "world book imports as a lorebook attached to the character" \
  json_check world "d['type'] == 'lorebook' and d['attached_to'] == 'Seraphina'"

head -c 3000 /dev/urandom >"$tmp/junk.png"
run junk character import "$tmp/junk.png"
check "a file that is not a card fails with one clear line" \
  bash -c "[ $(rc junk) -ne 0 ] && grep -q 'junk.png' '$tmp/junk.err'"
check "... on one line" one_line_err junk
{ printf '\x89PNG\r\n\x1a\n'; head -c 40 "$CARD" | tail -c 32; } >"$tmp/trunc.png"
run trunc character import "$tmp/trunc.png"
check "a truncated PNG fails with one line" bash -c "[ $(rc trunc) -ne 0 ]"
check "... on one line" one_line_err trunc

run clist character list --json
check "character list --json has exactly Seraphina (nothing half-imported)" \
  json_check clist "[c['name'] for c in d] == ['Seraphina']"
run clist_text character list
check "character list prints id and name" grep -q "^$CHAR_ID	Seraphina$" "$tmp/clist_text.out"

run cshow character show Seraphina --json
check "character show --json has the card and the attached lorebook" \
  json_check cshow "d['card']['data']['name'] == 'Seraphina' and d['card']['spec'] == 'chara_card_v2' and len(d['lorebooks']) == 1"
run cshow_missing character show Nobody
check "character show of an unknown name: exit 1, one line" \
  bash -c "[ $(rc cshow_missing) -eq 1 ] && grep -q 'Nobody' '$tmp/cshow_missing.err'"

# Round trips.
run exp_json character export Seraphina --format json -o "$tmp/a.json"
check "character export json exits 0" test "$(rc exp_json)" -eq 0
check "exported JSON is the card of the PNG, every field kept" python3 - "$CARD" "$tmp/a.json" <<'EOF'
import base64, json, struct, sys
png = open(sys.argv[1], 'rb').read()
i, chara = 8, None
while i < len(png):
    (l,) = struct.unpack('>I', png[i:i + 4])
    if png[i + 4:i + 8] == b'tEXt':
        k, v = png[i + 8:i + 8 + l].split(b'\0', 1)
        if k == b'chara':
            chara = json.loads(base64.b64decode(v))
    i += 12 + l
sys.exit(0 if chara is not None and json.load(open(sys.argv[2])) == chara else 1)
EOF
run imp2 character import "$tmp/a.json" --json
ID2=$(json_get imp2 "d['id']")
run exp2 character export "$ID2" --format json -o "$tmp/b.json"
check "character JSON export → import → export is byte-identical" cmp -s "$tmp/a.json" "$tmp/b.json"
run exp_png character export Seraphina --format png -o "$tmp/a.png"
run imp3 character import "$tmp/a.png" --json
ID3=$(json_get imp3 "d['id']")
run exp3 character export "$ID3" --format json -o "$tmp/c.json"
check "character PNG export → import gives the same JSON" cmp -s "$tmp/a.json" "$tmp/c.json"
check "exported PNG has chara and ccv3 chunks" \
  bash -c "grep -qa 'chara' '$tmp/a.png' && grep -qa 'ccv3' '$tmp/a.png'"
python3 - "$tmp/a.json" "$tmp/card.charx" <<'EOF'
import json, sys, zipfile
card = json.load(open(sys.argv[1]))
card["spec"], card["spec_version"] = "chara_card_v3", "3.0"
card["data"]["name"] = "Charx Seraphina"
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("card.json", json.dumps(card))
EOF
run imp_charx character import "$tmp/card.charx" --json
check "character import CHARX (zip with card.json)" \
  json_check imp_charx "d['name'] == 'Charx Seraphina' and d['spec'] == 'chara_card_v3'"
run del_charx character delete "Charx Seraphina"
check "character delete by name" test "$(rc del_charx)" -eq 0
run exp_charx character export Seraphina -o "$tmp/out.charx"
check "character export to .charx exits 0" test "$(rc exp_charx)" -eq 0
check "exported CHARX is a zip with a V3 card.json and the avatar as main icon" \
  python3 - "$tmp/out.charx" "$tmp/a.json" <<'EOF'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
card = json.loads(z.read("card.json"))
orig = json.load(open(sys.argv[2]))
icons = [a for a in card["data"]["assets"] if a["type"] == "icon" and a["name"] == "main"]
path = icons[0]["uri"][len("embeded://"):] if icons and icons[0]["uri"].startswith("embeded://") else None
ok = (z.testzip() is None and card["spec"] == "chara_card_v3" and card["spec_version"] == "3.0"
      and card["data"]["name"] == "Seraphina"
      and all(card["data"][k] == v for k, v in orig["data"].items())
      and path is not None and z.read(path).startswith(b"\x89PNG\r\n\x1a\n"))
sys.exit(0 if ok else 1)
EOF
run imp_x character import "$tmp/out.charx" --json
check "re-imported CHARX gives the same name" json_check imp_x "d['name'] == 'Seraphina'"
IDX=$(json_get imp_x "d['id']")
run exp_x character export "$IDX" --format json -o "$tmp/x.json"
check "character CHARX export → import gives the same JSON" cmp -s "$tmp/a.json" "$tmp/x.json"
run del_x character delete "$IDX"
run exp_charx_opt character export Seraphina --format charx -o "$tmp/out.zip"
check "--format charx writes a zip whatever the file name" \
  bash -c "[ $(rc exp_charx_opt) -eq 0 ] && head -c 4 '$tmp/out.zip' | grep -q '^PK'"
run exp_bad character export Seraphina --format gif -o "$tmp/a.gif"
check "export with an unknown format exits 2" test "$(rc exp_bad)" -eq 2
run del2 character delete "$ID2"
run del3 character delete "$ID3"
run clist2 character list --json
check "character delete removes the copies" \
  bash -c "[ $(rc del2)$(rc del3) = 00 ] && python3 -c \"import json; d=json.load(open('$tmp/clist2.out')); exit(0 if [c['id'] for c in d] == [$CHAR_ID] else 1)\""

# --------------------------------------------------------------------- chats
run new chat new --character Seraphina
check "chat new prints the chat id" grep -qE '^[0-9]+$' "$tmp/new.out"
CHAT=$(out new)
run show0 chat show "$CHAT" --json
check "a new chat starts with the card's greeting, macros expanded" \
  json_check show0 "len(d['messages']) == 1 and d['messages'][0]['role'] == 'assistant' and d['messages'][0]['content'].startswith('*You wake with a start') and '{{' not in d['messages'][0]['content'] and d['character'] == 'Seraphina'"

before=$(n_requests)
run send chat send "$CHAT" -p work "Tell me about the forest"
check "chat send exits 0 and streams the reply" \
  bash -c "[ $(rc send) -eq 0 ] && [ \"\$(cat '$tmp/send.out')\" = 'Hello from the fake.' ]"
check "chat send made one request" test "$(n_requests)" -eq $((before + 1))
check "the request has the character, the lore hit and the history in order" last_request \
  "b['messages'][0]['role'] == 'system' and 'Seraphina' in b['messages'][0]['content'] and 'What is Eldoria?' in b['messages'][0]['content'] and b['messages'][-1]['content'] == 'Tell me about the forest' and b['messages'][-2]['content'].startswith('*You wake')"
check "the key went to the server, not to stdout" \
  bash -c "last=\$(tail -n 1 '$tmp/requests.log'); [[ \$last == *'$SECRET'* ]] && ! grep -q '$SECRET' '$tmp/send.out' '$tmp/send.err'"
run show1 chat show "$CHAT" --json
check "chat show: user message and the complete reply are stored" \
  json_check show1 "[m['role'] for m in d['messages']] == ['assistant', 'user', 'assistant'] and d['messages'][2]['content'] == 'Hello from the fake.' and d['messages'][2]['state'] == 'complete' and d['messages'][2]['error'] is None"
USER_MSG=$(json_get show1 "d['messages'][1]['id']")
REPLY_MSG=$(json_get show1 "d['messages'][2]['id']")
run show_text chat show "$CHAT"
check "chat show prints the messages" grep -q 'Hello from the fake.' "$tmp/show_text.out"

run list chat list --json
check "chat list --json has the chat with its character and count" \
  json_check list "any(c['id'] == $CHAT and c['character'] == 'Seraphina' and c['messages'] == 3 for c in d)"
run list_char chat list --character Seraphina --json
check "chat list --character filters" json_check list_char "[c['id'] for c in d] == [$CHAT]"

run search search fake --json
check "search finds the reply" \
  json_check search "any(h['chat_id'] == $CHAT and h['message_id'] == $REPLY_MSG and 'fake' in h['snippet'] for h in d)"
run search_none search zzyzxnotthere --json
check "search with no hit prints an empty list" json_check search_none "d == []"

before=$(n_requests)
run prompt prompt "$CHAT" -p work --json
check "prompt --json shows the request" \
  json_check prompt "d['request']['method'] == 'POST' and d['request']['url'].endswith('/v1/chat/completions') and d['request']['body']['messages'][-1]['content'] == 'Hello from the fake.' and d['prompt']['input_tokens'] > 0"
check "prompt --json redacts the key" bash -c "! grep -q '$SECRET' '$tmp/prompt.out'"
check "prompt sends nothing (fake server log unchanged)" test "$(n_requests)" -eq "$before"

run swipe chat swipe "$CHAT" -p work
check "chat swipe streams a new reply" \
  bash -c "[ $(rc swipe) -eq 0 ] && grep -q 'Hello from the fake.' '$tmp/swipe.out'"
check "the swipe's request ends with the user message" last_request \
  "b['messages'][-1]['content'] == 'Tell me about the forest'"
run show2 chat show "$CHAT" --json
check "the reply now has 2 swipes, the new one selected" \
  json_check show2 "len(d['messages']) == 3 and d['messages'][2]['n_swipes'] == 2 and d['messages'][2]['swipe_index'] == 1"

run branch chat branch "$CHAT" "$USER_MSG"
BRANCH=$(out branch)
run show_b chat show "$BRANCH" --json
check "chat branch forks at the message" \
  json_check show_b "len(d['messages']) == 2 and d['parent_chat_id'] == $CHAT and d['messages'][1]['content'] == 'Tell me about the forest'"
run branch_bad chat branch "$CHAT" 999999
check "chat branch with an unknown message: exit 1, one line" \
  bash -c "[ $(rc branch_bad) -eq 1 ]"
check "... on one line" one_line_err branch_bad

run export chat export "$CHAT" -o "$tmp/c.jsonl"
check "chat export writes JSONL" \
  bash -c "[ $(rc export) -eq 0 ] && [ \$(wc -l <'$tmp/c.jsonl') -eq 4 ]"
run import chat import "$tmp/c.jsonl" --character Seraphina
IMPORTED=$(out import)
run export2 chat export "$IMPORTED" -o "$tmp/d.jsonl"
check "chat JSONL export → import → export is identical" python3 - "$tmp/c.jsonl" "$tmp/d.jsonl" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
sys.exit(0 if a == b and len(a) == 4 else 1)
EOF
run show_i chat show "$IMPORTED" --json
check "the imported chat has the same messages and swipes" \
  bash -c "python3 -c \"
import json
a=json.load(open('$tmp/show2.out'))['messages']; b=json.load(open('$tmp/show_i.out'))['messages']
k=lambda m: (m['role'], m['content'], m['n_swipes'], m['swipe_index'])
exit(0 if list(map(k,a)) == list(map(k,b)) else 1)\""
printf 'not json at all\n' >"$tmp/bad.jsonl"
run import_bad chat import "$tmp/bad.jsonl"
check "importing a bad JSONL file: one clear line, nothing imported" \
  bash -c "[ $(rc import_bad) -ne 0 ] && [ \$(wc -l <'$tmp/import_bad.err') -eq 1 ]"
run list2 chat list --json
check "... chat count unchanged" json_check list2 "len(d) == 3"

# Errors keep what arrived.
run cut chat send "$CHAT" -p cut "Go on"
check "a stream cut short: non-zero exit and one line on stderr" \
  bash -c "[ $(rc cut) -ne 0 ]"
check "... on one line" one_line_err cut
run show3 chat show "$CHAT" --json
check "the partial reply is kept, marked error with its category" \
  json_check show3 "d['messages'][-1]['content'] == 'Hello from the ' and d['messages'][-1]['state'] == 'error' and d['messages'][-1]['error']['category'] in ('protocol', 'network') and d['messages'][-2]['content'] == 'Go on'"

# Ctrl-C stops the reply and keeps what arrived.
"$CLI" chat send "$CHAT" -p slow "Slowly" >"$tmp/int.out" 2>"$tmp/int.err" </dev/null &
int_pid=$!
sleep 0.6
kill -INT "$int_pid"
wait "$int_pid"
echo $? >"$tmp/int.rc"
check "Ctrl-C on chat send exits 130" test "$(rc int)" -eq 130
run show4 chat show "$CHAT" --json
check "the interrupted reply is kept, marked cancelled" \
  json_check show4 "d['messages'][-1]['state'] == 'cancelled' and 'Hello from the fake.'.startswith(d['messages'][-1]['content']) and d['messages'][-2]['content'] == 'Slowly'"

run unknown chat send 987654 -p work "Hi"
check "chat send to an unknown chat: exit 1, one line, nothing sent" \
  bash -c "[ $(rc unknown) -eq 1 ] && grep -q '987654' '$tmp/unknown.err'"
check "... on one line" one_line_err unknown
run badid chat show abc
check "a chat id that is not a number exits 2" test "$(rc badid)" -eq 2
run prompt_unknown prompt 987654 --json
check "prompt for an unknown chat exits 1" test "$(rc prompt_unknown)" -eq 1

# Persona: who the user is in chats ({{user}}, {{persona}}).
run persona0 persona show --json
check "persona defaults to User" json_check persona0 "d['name'] == 'User' and d['set'] is False"
run persona_set persona set Robin --description "An archer from the north"
run persona1 persona show --json
check "persona set stores name and description" \
  json_check persona1 "d['name'] == 'Robin' and d['description'] == 'An archer from the north'"
run prompt_persona prompt "$CHAT" -p work --json
check "the prompt uses the persona's name and description" \
  json_check prompt_persona "'Robin' in json.dumps(d['request']['body']) and 'An archer from the north' in json.dumps(d['request']['body'])"
run persona_blank persona set "   "
check "a blank persona name fails with one clear line" \
  bash -c "[ $(rc persona_blank) -ne 0 ] && grep -q '^natter-cli: ' '$tmp/persona_blank.err'"

# The one-shot chat still works, and "--" makes a subcommand word a prompt.
run oneshot chat -p work Hi there
check "chat PROMPT (issue 2 form) still works" \
  bash -c "[ $(rc oneshot) -eq 0 ] && grep -q 'Hello from the fake.' '$tmp/oneshot.out'"
run dashdash chat -- list
check "chat -- list sends “list” as a prompt" \
  bash -c "[ $(rc dashdash) -eq 0 ] && grep -q 'Hello from the fake.' '$tmp/dashdash.out'"
check "... the request's prompt is “list”" last_request "b['messages'][-1]['content'] == 'list'"

run del chat delete "$IMPORTED"
run show_del chat show "$IMPORTED"
check "chat delete removes the chat" \
  bash -c "[ $(rc del) -eq 0 ] && [ $(rc show_del) -eq 1 ]"
run cdel character delete Seraphina
run list3 chat list --json
check "deleting the character keeps its chats, without a character" \
  json_check list3 "any(c['id'] == $CHAT and c['character'] is None for c in d)"

echo "1..$n"
exit $failed
