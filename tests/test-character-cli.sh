#!/usr/bin/env bash
# test-character-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of natter-cli's character editing, lorebook and persona
# commands, with SillyTavern's own card and world book from the fixtures
# and a temporary data dir. The prompt checks use "natter-cli prompt",
# which builds the request without sending it. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
FIXTURES=${NATTER_FIXTURES_DIR:?NATTER_FIXTURES_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
CARD=$FIXTURES/sillytavern/default_Seraphina.png
WORLD=$FIXTURES/sillytavern/Eldoria.json

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=sk-character-cli-test
# body_has NAME TEXT: the request body of a "prompt --json" output contains TEXT
body_has () {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if sys.argv[2] in json.dumps(d['request']['body'], ensure_ascii=False) else 1)" "$tmp/$1.out" "$2"
}

skip_unless_built "$CLI"

run add profile add work --provider openai --model gpt-test --url http://127.0.0.1:9/v1 --default
check "a profile to build prompts with" test "$(rc add)" -eq 0

# --help on every new command.
help_ok=1
for cmd in "character create" "character set" "lorebook" "lorebook create" "lorebook list" \
           "lorebook show" "lorebook import" "lorebook export" "lorebook delete" "lorebook attach" \
           "lorebook entry add" "persona add" "persona list" "persona use" "persona delete" "persona lock"; do
  # shellcheck disable=SC2086
  if ! "$CLI" $cmd --help >"$tmp/help.out" 2>&1 || ! grep -q 'Usage:' "$tmp/help.out"; then
    help_ok=0; echo "# --help failed for: $cmd"
  fi
done
check "--help works on every character, lorebook and persona command" test $help_ok -eq 1

# ----------------------------------------------------------- character create
run create character create Mira --description "A lighthouse keeper" --first-message "Storm's coming." --json
check "character create --json" \
  json_check create "d['type'] == 'character' and d['name'] == 'Mira' and d['spec'] == 'chara_card_v3' and not d['has_avatar']"
run mshow character show Mira --json
check "the new card holds the description and first message, V3 fields present" \
  json_check mshow "d['card']['data']['description'] == 'A lighthouse keeper' and d['card']['data']['first_mes'] == \"Storm's coming.\" and d['card']['data']['group_only_greetings'] == [] and d['card']['data']['extensions'] == {}"
printf 'not a png' >"$tmp/bad.png"
run badav character create Nix --avatar "$tmp/bad.png"
check "an avatar that is not a PNG fails with one line and makes nothing" \
  bash -c "[ $(rc badav) -eq 1 ] && ! '$CLI' character show Nix >/dev/null 2>&1"
check "... on one line" one_line_err badav
# Images for avatars: WIDTHxHEIGHT in three bands side by side, red, green, blue.
make_png () { # make_png FILE WIDTH HEIGHT [CLAIMED_WIDTH CLAIMED_HEIGHT]
  python3 - "$@" <<'PY'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cw, ch = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (w, h)
band = lambda x: (b'\xff\0\0', b'\0\xff\0', b'\0\0\xff')[min(2, 3 * x // w)]
raw = b''.join(b'\0' + b''.join(band(x) for x in range(w)) for _ in range(h))
chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', cw, ch, 8, 2, 0, 0, 0))
                       + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
}
# png_size FILE: "WIDTHxHEIGHT" from the IHDR of a PNG file
png_size () { python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(); print('%dx%d' % struct.unpack('>II', d[16:24]))" "$1"; }
make_png "$tmp/wide.png" 300 100
run av_wide character create Lark --avatar "$tmp/wide.png" --json
check "character create --avatar takes a wide image" json_check av_wide "d['has_avatar']"
run av_exp character export Lark --format png -o "$tmp/lark.png"
check "... and stores it cut to the card's 2:3 portrait, as the window does" \
  test "$(png_size "$tmp/lark.png")" = 66x100
make_png "$tmp/big.png" 1200 1200
run av_big character create Heron --avatar "$tmp/big.png"
run av_bexp character export Heron --format png -o "$tmp/heron.png"
check "a large image is scaled to 512x768" test "$(png_size "$tmp/heron.png")" = 512x768
make_png "$tmp/lying.png" 4 4 100000 100000
run av_lie character create Crow --avatar "$tmp/lying.png"
check "an image claiming 100000x100000 pixels is refused and makes nothing" \
  bash -c "[ $(rc av_lie) -eq 1 ] && ! '$CLI' character show Crow >/dev/null 2>&1"
check "... with one line that says why" bash -c "grep -q 'too large' '$tmp/av_lie.err' && [ \$(wc -l <'$tmp/av_lie.err') -eq 1 ]"
run noname character create "  "
check "a blank name is a usage error" test "$(rc noname)" -eq 2

# -------------------------------------------------------------- character set
run imp character import "$CARD" --json
check "Seraphina imports" test "$(rc imp)" -eq 0
run exp0 character export Seraphina --format json -o "$tmp/before.json"
run set0 character set Seraphina personality=Fierce tags=forest,guardian --json
check "character set --json names exactly the changed fields" \
  json_check set0 "sorted(d['changed']) == ['personality', 'tags']"
run exp1 character export Seraphina --format json -o "$tmp/after.json"
check "the export differs from the original only in the edited fields" python3 - "$tmp/before.json" "$tmp/after.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert list(a.keys()) == list(b.keys()), "root members changed"
for k in a:
    if k == 'data':
        continue
    if k in ('personality', 'tags') and a[k] == a['data'][k]:
        assert b[k] == b['data'][k], k  # SillyTavern's V1 copy follows
    else:
        assert a[k] == b[k], k
assert list(a['data'].keys()) == list(b['data'].keys()), "data members changed"
for k in a['data']:
    if k == 'personality':
        assert b['data'][k] == 'Fierce'
    elif k == 'tags':
        assert b['data'][k] == ['forest', 'guardian']
    else:
        assert a['data'][k] == b['data'][k], k
EOF
run set_same character set Seraphina personality=Fierce --json
check "setting a field to the value it has changes nothing" json_check set_same "d['changed'] == []"
run set_greet character set Mira alternate_greetings=Hello alternate_greetings=Ahoy nickname=Mi --json
run mshow2 character show Mira --json
check "list fields take one item per FIELD=VALUE; V3 nickname" \
  json_check mshow2 "d['card']['data']['alternate_greetings'] == ['Hello', 'Ahoy'] and d['card']['data']['nickname'] == 'Mi'"
run set_bad character set Mira "=x"
check "FIELD=VALUE without a field is a usage error" test "$(rc set_bad)" -eq 2
run set_rename character set Mira name=Marin
run rename_show character show Marin --json
check "renaming through set renames the character" json_check rename_show "d['name'] == 'Marin'"

# ------------------------------------------------------------------ lorebooks
run lb_create lorebook create Harbour --json
check "lorebook create --json" json_check lb_create "d['type'] == 'lorebook' and d['name'] == 'Harbour'"
run lb_entry lorebook entry add Harbour --key lighthouse --key beacon --secondary storm \
  --logic and_all --position depth --depth 3 "The lighthouse has burned for a hundred years."
run lb_const lorebook entry add Harbour --constant --position an_top "The sea is always near."
run lb_show lorebook show Harbour --json
check "entries keep keys, logic, position and depth" json_check lb_show "
len(d['book']['entries']) == 2 and
d['book']['entries'][0]['keys'] == ['lighthouse', 'beacon'] and
d['book']['entries'][0]['secondary_keys'] == ['storm'] and
d['book']['entries'][0]['extensions']['selectiveLogic'] == 3 and
d['book']['entries'][0]['extensions']['position'] == 4 and
d['book']['entries'][0]['extensions']['depth'] == 3 and
d['book']['entries'][1]['constant'] is True and d['book']['entries'][1]['extensions']['position'] == 2"
run lb_badlogic lorebook entry add Harbour --key x --logic sometimes "text"
check "an unknown logic is a usage error" test "$(rc lb_badlogic)" -eq 2
run lb_text lorebook show Harbour
check "lorebook show prints the entries" grep -q "lighthouse, beacon" "$tmp/lb_text.out"

run lb_export lorebook export Harbour -o "$tmp/harbour.json"
check "a Natter lorebook exports as a SillyTavern world book" python3 - "$tmp/harbour.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
e = d['entries']
assert sorted(e.keys()) == ['0', '1'], e.keys()
a, b = e['0'], e['1']
assert a['uid'] == 0 and a['key'] == ['lighthouse', 'beacon'] and a['keysecondary'] == ['storm']
assert a['selectiveLogic'] == 3 and a['position'] == 4 and a['depth'] == 3 and a['disable'] is False
assert b['constant'] is True and b['position'] == 2
EOF

run lb_imp lorebook import "$WORLD" --json
check "lorebook import of SillyTavern's Eldoria" json_check lb_imp "d['name'] == 'Eldoria' and d['entries'] == 4"
run lb_exp lorebook export Eldoria -o "$tmp/eldoria.json"
check "Eldoria exports with the same entries, members and values as the file" \
  python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)" \
  "$WORLD" "$tmp/eldoria.json"
run lb_list lorebook list --json
check "lorebook list" json_check lb_list "sorted(b['name'] for b in d) == ['Eldoria', 'Harbour'] and not any(b['global'] for b in d)"

run chat_new chat new --title "Plain chat"
CHAT=$(cat "$tmp/chat_new.out" | tr -dc 0-9)
run pr0 prompt "$CHAT" -p work --json
check "a chat without lorebooks has no Harbour lore" bash -c "! grep -q 'The sea is always near' '$tmp/pr0.out'"
run lb_attach lorebook attach Harbour --global
run lb_list2 lorebook list --json
check "attach --global marks the book" json_check lb_list2 "[b['global'] for b in d if b['name'] == 'Harbour'] == [True]"
run pr1 prompt "$CHAT" -p work --json
check "a global lorebook's constant entry reaches every chat's prompt" body_has pr1 "The sea is always near."
run lb_attach_bad lorebook attach Harbour --global --chat "$CHAT"
check "attach takes exactly one target" test "$(rc lb_attach_bad)" -eq 2
run lb_attach_chat lorebook attach Eldoria --chat "$CHAT"
run lb_attach_char lorebook attach Eldoria --character Marin
check "attach to a chat and to a character" test "$(rc lb_attach_chat)$(rc lb_attach_char)" = "00"
run lb_del lorebook delete Eldoria
run lb_list3 lorebook list --json
check "lorebook delete" json_check lb_list3 "[b['name'] for b in d] == ['Harbour']"
run lb_missing lorebook show Eldoria
check "an unknown lorebook: exit 1, one line" bash -c "[ $(rc lb_missing) -eq 1 ]"
check "... on one line" one_line_err lb_missing

# ------------------------------------------------------------------- personas
run p_add1 persona add Robin --description "An archer from the north" --json
run p_add2 persona add Wren --description "A sailor with one eye" --position in_prompt
run p_av persona add Finch --avatar "$tmp/wide.png"
check "persona add --avatar stores the image cut to 2:3" python3 - "$NATTER_DATA_DIR/natter.db" <<'EOF'
import sqlite3, struct, sys
row = sqlite3.connect(sys.argv[1]).execute("SELECT avatar FROM personas WHERE name = 'Finch'").fetchone()
assert row and row[0][:4] == b'\x89PNG' and struct.unpack('>II', row[0][16:24]) == (66, 100), row and row[0][:24]
EOF
run p_avlie persona add Jay --avatar "$tmp/lying.png"
check "persona add refuses a hostile image with one line" \
  bash -c "[ $(rc p_avlie) -eq 1 ] && grep -q 'too large' '$tmp/p_avlie.err'"
run p_avdel persona delete Finch
run p_list persona list --json
check "persona add and list" json_check p_list "sorted(p['name'] for p in d) == ['Robin', 'Wren'] and not any(p['default'] for p in d)"
run p_use persona use Robin
run p_list2 persona list --json
check "persona use makes the default" json_check p_list2 "[p['name'] for p in d if p['default']] == ['Robin']"
run p_show persona show --json
check "the older persona show still answers" json_check p_show "d['name'] == 'Robin'"

run chat_m chat new --character Marin
MCHAT=$(cat "$tmp/chat_m.out" | tr -dc 0-9)
run pm0 prompt "$MCHAT" -p work --json
check "without locks the default persona is in the prompt" body_has pm0 "An archer from the north"
run p_lock_char persona lock Wren --character Marin
run pm1 prompt "$MCHAT" -p work --json
check "a persona locked to the character reaches its chats' prompts" \
  bash -c "python3 -c \"import json,sys; b=json.dumps(json.load(open(sys.argv[1]))['request']['body']); sys.exit(0 if 'A sailor with one eye' in b and 'An archer' not in b else 1)\" '$tmp/pm1.out'"
run p_lock_chat persona lock Robin --chat "$MCHAT"
run pm2 prompt "$MCHAT" -p work --json
check "a persona locked to the chat wins over the character's" body_has pm2 "An archer from the north"
run pm3 prompt "$CHAT" -p work --json
check "other chats keep the default" body_has pm3 "An archer from the north"
run p_lock_bad persona lock Robin
check "lock needs --chat or --character" test "$(rc p_lock_bad)" -eq 2
run p_pos persona add Ghost --description "Nobody sees this" --position none
run p_lock_ghost persona lock Ghost --chat "$MCHAT"
run pm4 prompt "$MCHAT" -p work --json
check "description position none keeps the description out of the prompt" \
  bash -c "! grep -q 'Nobody sees this' '$tmp/pm4.out' && grep -q 'Ghost' '$tmp/pm4.out'"
run p_deep persona add Deep --description "DEEP-PERSONA" --position at_depth
run p_lock_deep persona lock Deep --chat "$MCHAT"
run pm_deep prompt "$MCHAT" -p work --json
check "description position at_depth puts it in the history as a message of its own" python3 - "$tmp/pm_deep.out" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))['request']['body']['messages']
assert 'DEEP-PERSONA' not in m[0]['content'], m[0]
assert any(x['role'] == 'system' and x['content'] == 'DEEP-PERSONA' for x in m[1:]), m
EOF
run p_badpos persona add Bad --position sideways
check "an unknown position is a usage error" test "$(rc p_badpos)" -eq 2
run p_del persona delete Wren
run p_list3 persona list --json
check "persona delete" json_check p_list3 "sorted(p['name'] for p in d) == ['Deep', 'Ghost', 'Robin']"
run pm5 character show Marin
check "deleting a locked persona leaves its character" test "$(rc pm5)" -eq 0

echo "1..$n"
exit $failed
