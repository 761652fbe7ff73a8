#!/usr/bin/env bash
# test-note-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of "natter-cli chat note": a chat's author's note is
# kept, shown, cleared, and reaches the request at its depth with the
# lorebook entries at its top and bottom. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

skip_unless_built "$CLI"

# messages NAME PYTHON-EXPR: m is the request's messages list
messages () {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); m=d['request']['body']['messages']; sys.exit(0 if ($2) else 1)" "$tmp/$1.out"
}

run add profile add work --provider openai --model gpt-test --url http://127.0.0.1:9/v1 --default
check "a profile to build prompts with" test "$(rc add)" -eq 0
run new chat new --title "Note chat"
CHAT=$(tr -dc 0-9 <"$tmp/new.out")

run show0 chat note "$CHAT"
check "a chat without a note shows the defaults" \
  bash -c "grep -q '^Depth: 4$' '$tmp/show0.out' && grep -q '^Frequency: 1$' '$tmp/show0.out' && grep -q '^Role: system$' '$tmp/show0.out'"

run set chat note "$CHAT" "Keep {{char}} terse." --depth 0 --role user
check "setting a note exits 0" test "$(rc set)" -eq 0
run show1 chat note "$CHAT"
check "the note is kept with its depth and role" \
  bash -c "grep -q '^Keep {{char}} terse.$' '$tmp/show1.out' && grep -q '^Depth: 0$' '$tmp/show1.out' && grep -q '^Role: user$' '$tmp/show1.out'"

run lb lorebook create Notes
run top lorebook entry add Notes --key x --constant --position an_top "TOP-ENTRY"
run bottom lorebook entry add Notes --key x --constant --position an_bottom "BOTTOM-ENTRY"
run att lorebook attach Notes --chat "$CHAT"
check "a lorebook with entries at the note" test "$(rc top)$(rc bottom)$(rc att)" = "000"

run p1 prompt "$CHAT" -p work --json --message "Hello"
check "the note is the last message, with the top entry before and the bottom one after" \
  messages p1 "m[-1]['role'] == 'user' and m[-1]['content'].startswith('TOP-ENTRY\n') and m[-1]['content'].endswith('\nBOTTOM-ENTRY') and 'Keep' in m[-1]['content'] and '{{char}}' not in m[-1]['content']"
check "the entries at the note are not in the system message" \
  messages p1 "'TOP-ENTRY' not in m[0]['content']"

run freq chat note "$CHAT" --frequency 0
run p2 prompt "$CHAT" -p work --json --message "Hello"
check "with frequency 0 only the entries go in, as a system message" \
  messages p2 "m[-1]['role'] == 'system' and m[-1]['content'] == 'TOP-ENTRY\nBOTTOM-ENTRY'"

run clear chat note "$CHAT" --clear
run show2 chat note "$CHAT"
check "--clear removes the note" bash -c "grep -q '^Depth: 4$' '$tmp/show2.out' && ! grep -q Keep '$tmp/show2.out'"

run bad chat note "$CHAT" --role narrator
check "a wrong role is a usage error" test "$(rc bad)" -eq 2
run none chat note 999999 "x"
check "an unknown chat fails with one line" bash -c "[ \"\$(cat '$tmp/none.rc')\" -ne 0 ]"

echo "1..$n"
exit $failed
