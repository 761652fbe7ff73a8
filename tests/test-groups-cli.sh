#!/usr/bin/env bash
# test-groups-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of natter-cli's group chat and impersonation commands
# against natter-fake-server over loopback, with a temporary data dir and
# the SillyTavern group fixtures. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
FIXTURES=${NATTER_FIXTURES_DIR:?NATTER_FIXTURES_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
GROUP=$FIXTURES/sillytavern/groups/1733600000000.json
GROUP_CHAT=$FIXTURES/sillytavern/groups/2024-12-07@20h00m00s.jsonl

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=sk-groups-cli

skip_unless_built "$CLI" "$FAKE"

python3 - "$tmp" <<'EOF'
import json, sys
tmp = sys.argv[1]
def chunk(content=None, finish=None):
    d = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test",
         "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"
stream = [chunk("Hello from the fake."), chunk(finish="stop"), "data: [DONE]\n\n"]
json.dump([{"method": "POST", "path": "/v1/chat/completions",
            "content_type": "text/event-stream", "chunks": stream}], open(tmp + "/routes.json", "w"))
for name in ("Alice", "Bob", "Carol"):
    card = {"spec": "chara_card_v2", "spec_version": "2.0", "data": {
        "name": name, "description": "DESC-" + name, "personality": "", "scenario": "",
        "first_mes": "Hello from " + name + ".", "mes_example": "", "creator_notes": "",
        "system_prompt": "", "post_history_instructions": "", "alternate_greetings": [],
        "tags": [], "creator": "", "character_version": "", "extensions": {}}}
    json.dump(card, open(tmp + "/" + name + ".json", "w"))
EOF

start_fake

run add profile add work --provider openai --model gpt-test --url "http://127.0.0.1:$PORT/v1" --default
for c in Alice Bob Carol; do run "imp$c" character import "$tmp/$c.json"; done
check "profile and three characters" test "$(rc add)$(rc impAlice)$(rc impBob)$(rc impCarol)" = "0000"

help_ok=1
for cmd in "chat group" "chat next" "chat impersonate"; do
  # shellcheck disable=SC2086
  if ! "$CLI" $cmd --help >"$tmp/help.out" 2>&1 || ! grep -q 'Usage:' "$tmp/help.out"; then
    help_ok=0; echo "# --help failed for: $cmd"
  fi
done
check "--help works on the group commands" test $help_ok -eq 1

# ------------------------------------------------------------------ new
run new chat new --character Alice --character Bob --title "Table"
check "chat new with two characters prints an id" test "$(rc new)" -eq 0
CHAT=$(cat "$tmp/new.out")
run show chat show "$CHAT" --json
check "... every member greets, in order" \
  json_check show "[(m['name'], m['content']) for m in d['messages']] == [('Alice', 'Hello from Alice.'), ('Bob', 'Hello from Bob.')]"
run clist chat list --json
check "chat list --json names a group chat's members" \
  json_check clist "any(c['id'] == $CHAT and c['members'] == ['Alice', 'Bob'] for c in d)"
run g1 chat group "$CHAT" --json
check "chat group shows the members, natural order, swapped cards" \
  json_check g1 "[m['name'] for m in d['members']] == ['Alice', 'Bob'] and d['order'] == 'natural' and d['cards'] == 'swap'"

# ---------------------------------------------------------------- change
run g2 chat group "$CHAT" --add Carol --mute Bob --order list --cards join --json
check "--add, --mute, --order, --cards change the group" \
  json_check g2 "[(m['name'], m['muted']) for m in d['members']] == [('Alice', False), ('Bob', True), ('Carol', False)] and d['order'] == 'list' and d['cards'] == 'join'"
run g3 chat group "$CHAT" --remove Alice --unmute Bob --json
check "--remove and --unmute" \
  json_check g3 "[(m['name'], m['muted']) for m in d['members']] == [('Bob', False), ('Carol', False)]"
run gbad chat group "$CHAT" --mute Zed
check "muting someone not in the group: exit 2, one line" \
  bash -c "[ $(rc gbad) -eq 2 ] && grep -q Zed '$tmp/gbad.err'"
check "... on one line" one_line_err gbad
run gorder chat group "$CHAT" --order sideways
check "a bad --order is a usage error" test "$(rc gorder)" -eq 2

# ------------------------------------------------------------------ next
run next1 chat next "$CHAT" --speaker Carol
check "chat next --speaker streams the reply" \
  bash -c "[ $(rc next1) -eq 0 ] && grep -q 'Hello from the fake.' '$tmp/next1.out' && grep -q 'Carol' '$tmp/next1.err'"
check "... the prompt ends with the group nudge for Carol" \
  last_request "b['messages'][-1]['content'] == '[Write the next reply only as Carol.]'"
check "... joined cards carry every member's description" \
  last_request "'DESC-Bob' in json.dumps(b) and 'DESC-Carol' in json.dumps(b)"
run next2 chat next "$CHAT"
check "list order: Bob after Carol" \
  last_request "b['messages'][-1]['content'] == '[Write the next reply only as Bob.]'"
run nextbad chat next "$CHAT" --speaker Alice
check "chat next --speaker of a non-member: exit 2" test "$(rc nextbad)" -eq 2

run gn chat group "$CHAT" --order natural --cards swap
run send chat send "$CHAT" "Carol, what do you say?"
check "natural order: the named member answers" \
  bash -c "[ $(rc gn)$(rc send) = 00 ] && python3 -c \"
import json,sys
b=json.loads(json.loads(open('$tmp/requests.log').read().splitlines()[-1])['body'])
sys.exit(0 if b['messages'][-1]['content'] == '[Write the next reply only as Carol.]' and 'DESC-Bob' not in json.dumps(b) else 1)\""

# -------------------------------------------------------------- auto mode
run gauto chat group "$CHAT" --auto 2 --json
before=$(n_requests)
run sendauto chat send "$CHAT" "Go on, both of you."
after=$(n_requests)
check "auto-mode: a send is followed by two more turns" \
  bash -c "[ $(rc gauto)$(rc sendauto) = 00 ] && [ $((after - before)) -eq 3 ]"
run gauto0 chat group "$CHAT" --auto 0

# ------------------------------------------------------------ impersonate
count=$(python3 -c "import json,sys; print(len(json.load(sys.stdin)['messages']))" < <("$CLI" chat show "$CHAT" --json))
run imp chat impersonate "$CHAT"
count2=$(python3 -c "import json,sys; print(len(json.load(sys.stdin)['messages']))" < <("$CLI" chat show "$CHAT" --json))
check "chat impersonate prints a suggestion" \
  bash -c "[ $(rc imp) -eq 0 ] && [ \"\$(cat '$tmp/imp.out')\" = 'Hello from the fake.' ]"
check "... asked for with the impersonation prompt" \
  last_request "'from the point of view of' in b['messages'][-1]['content']"
check "... and nothing is stored" test "$count" = "$count2"

# ---------------------------------------------------------- export/import
run exp chat export "$CHAT" -o "$tmp/out.jsonl" --group "$tmp/out.json"
check "chat export --group writes the chat and the definition" \
  python3 - "$tmp/out.jsonl" "$tmp/out.json" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
g = json.load(open(sys.argv[2]))
ok = g["members"] == ["Bob.png", "Carol.png"] and g["chat_id"] == "out" and g["chats"] == ["out"]
ok = ok and g["activation_strategy"] == 0 and g["generation_mode"] == 0
ok = ok and all(m.get("original_avatar") in ("Bob.png", "Carol.png", None) for m in lines[1:] if not m["is_user"])
ok = ok and any(m.get("original_avatar") == "Carol.png" for m in lines[1:])
sys.exit(0 if ok else 1)
EOF
run reimp chat import "$tmp/out.jsonl" --group "$tmp/out.json"
check "... and imports again" test "$(rc reimp)" -eq 0

run stimp chat import "$GROUP_CHAT" --group "$GROUP"
check "a SillyTavern group chat imports with its definition" test "$(rc stimp)" -eq 0
ST=$(cat "$tmp/stimp.out")
run stg chat group "$ST" --json
check "... list order, Carol muted, members in order" \
  json_check stg "[(m['name'], m['muted']) for m in d['members']] == [('Alice', False), ('Bob', False), ('Carol', True)] and d['order'] == 'list'"
run stexp chat export "$ST" -o "$tmp/st.jsonl" --group "$tmp/st.json"
check "... exports back to the same lines" python3 - "$GROUP_CHAT" "$tmp/st.jsonl" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
sys.exit(0 if a == b else 1)
EOF
run badgroup chat import "$GROUP_CHAT" --group "$tmp/Alice.json"
check "a file that is not a group definition fails with one line" \
  bash -c "[ $(rc badgroup) -ne 0 ]"
check "... on one line" one_line_err badgroup

echo "1..$n"
exit $failed
