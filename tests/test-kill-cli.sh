#!/usr/bin/env bash
# test-kill-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts a streaming `natter-cli chat send` against natter-fake-server
# serving a slow stream and kill -9s it at random points, many times. After
# each kill: the database passes PRAGMA integrity_check (python3's sqlite3
# module, read-only), every message seen before is unchanged, the messages
# that completed are intact, and at most the reply that was in flight is
# partial: marked incomplete, its text a prefix of the full reply. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
KILLS=${NATTER_KILLS:-20}

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=sk-kill-test

skip_unless_built "$CLI" "$FAKE"
if ! python3 -c 'import sqlite3' 2>/dev/null; then
  echo "1..0 # SKIP python3 without sqlite3"; exit 0
fi

# A slow stream: 120 distinct words, one every 15 ms (about 1.8 s).
python3 - "$tmp/routes.json" "$tmp/full.txt" <<'EOF'
import json, sys

def chunk(content=None, finish=None):
    d = {"id": "k1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test",
         "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"

words = ["w%03d\u00e9 " % i for i in range(120)]
stream = [chunk(w) for w in words] + [chunk(finish="stop"), "data: [DONE]\n\n"]
routes = [{"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream",
           "chunks": stream, "chunk_delay_ms": 15}]
json.dump(routes, open(sys.argv[1], "w"))
open(sys.argv[2], "w", encoding="utf-8").write("".join(words))
EOF

"$FAKE" --routes "$tmp/routes.json" --max-seconds 300 >"$tmp/fake.out" 2>"$tmp/fake.err" &
fake_pid=$!
for _ in $(seq 100); do
  grep -q '^PORT ' "$tmp/fake.out" 2>/dev/null && break
  sleep 0.05
done
PORT=$(sed -n 's/^PORT //p' "$tmp/fake.out")
if [ -z "$PORT" ]; then
  echo "Bail out! natter-fake-server did not start: $(cat "$tmp/fake.err")"
  exit 1
fi

if ! "$CLI" profile add slow --provider openai --model gpt-test --url "http://127.0.0.1:$PORT/v1" \
       --default >/dev/null 2>"$tmp/setup.err" ||
   ! CHAT=$("$CLI" chat new --title "Kill test" 2>>"$tmp/setup.err"); then
  echo "Bail out! setup failed: $(cat "$tmp/setup.err")"
  exit 1
fi
DB=$NATTER_DATA_DIR/natter.db
[ -f "$DB" ] || DB=$(find "$NATTER_DATA_DIR" -name '*.db' | head -n 1)

# check.py SNAPSHOT SHOW_JSON ITERATION: compares the chat with the last
# snapshot and writes the new one.
cat >"$tmp/check.py" <<'EOF'
import json, os, sqlite3, sys

db, snap_path, show_path, full_path, sent = sys.argv[1:6]
full = open(full_path, encoding="utf-8").read()
problems = []

con = sqlite3.connect("file:" + db + "?mode=ro", uri=True)
res = con.execute("PRAGMA integrity_check").fetchall()
if res != [("ok",)]:
    problems.append("integrity_check: %r" % res)
fk = con.execute("PRAGMA foreign_key_check").fetchall()
if fk:
    problems.append("foreign_key_check: %r" % fk[:3])
con.close()

chat = json.load(open(show_path))
msgs = chat["messages"]
old = json.load(open(snap_path)) if os.path.exists(snap_path) else []
by_id = {m["id"]: m for m in msgs}
for m in old:
    now = by_id.get(m["id"])
    if now is None:
        problems.append("message %d disappeared" % m["id"])
    elif (now["content"], now["state"], now["role"]) != (m["content"], m["state"], m["role"]):
        problems.append("message %d changed: %r -> %r" % (m["id"], m["content"][:40], now["content"][:40]))

old_ids = {m["id"] for m in old}
new = [m for m in msgs if m["id"] not in old_ids]
partial = 0
for m in new:
    if m["role"] == "user":
        if m["content"] != sent or m["state"] != "complete":
            problems.append("user message %d is %r (%s)" % (m["id"], m["content"], m["state"]))
    elif m["state"] == "complete":
        if m["content"] != full:
            problems.append("complete reply %d is not the full reply" % m["id"])
    elif m["state"] == "incomplete":
        partial += 1
        if not full.startswith(m["content"]):
            problems.append("partial reply %d is not a prefix of the reply" % m["id"])
    else:
        problems.append("reply %d in state %s" % (m["id"], m["state"]))
if partial > 1:
    problems.append("%d partial replies" % partial)
if len(new) > 2:
    problems.append("%d new messages" % len(new))

# Every reply ever completed is still the full text.
for m in msgs:
    if m["role"] == "assistant" and m["state"] == "complete" and m["content"] != full:
        problems.append("completed reply %d damaged" % m["id"])

json.dump(msgs, open(snap_path, "w"))
kinds = ",".join("%s:%s:%d" % (m["role"][0], m["state"], len(m["content"])) for m in new)
if problems:
    print("; ".join(problems))
    sys.exit(1)
print(kinds or "nothing new")
EOF

echo "1..$((KILLS + 1))"
failed=0
start=$SECONDS
for i in $(seq 1 "$KILLS"); do
  # From before the user message is stored to after the reply completed.
  ms=$(( (RANDOM % 2600) + 5 ))
  text="message $i"
  "$CLI" chat send "$CHAT" -p slow "$text" >"$tmp/send.out" 2>"$tmp/send.err" &
  pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if ! "$CLI" chat show "$CHAT" --json >"$tmp/show.json" 2>"$tmp/show.err"; then
    echo "not ok $i - killed after $ms ms: chat show failed: $(cat "$tmp/show.err")"
    failed=1
    continue
  fi
  if result=$(python3 "$tmp/check.py" "$DB" "$tmp/snapshot.json" "$tmp/show.json" "$tmp/full.txt" "$text" 2>&1); then
    echo "ok $i - killed after $ms ms: $result"
  else
    echo "not ok $i - killed after $ms ms: $result"
    failed=1
  fi
done
echo "# $KILLS kills in $((SECONDS - start)) s"

# After all that, a send that is left alone completes.
text="the last message"
if "$CLI" chat send "$CHAT" -p slow "$text" >"$tmp/send.out" 2>"$tmp/send.err" &&
   "$CLI" chat show "$CHAT" --json >"$tmp/show.json" 2>"$tmp/show.err" &&
   result=$(python3 "$tmp/check.py" "$DB" "$tmp/snapshot.json" "$tmp/show.json" "$tmp/full.txt" "$text" 2>&1) &&
   [ "$result" = "u:complete:16,a:complete:720" ]; then
  echo "ok $((KILLS + 1)) - a send left alone completes: $result"
else
  echo "not ok $((KILLS + 1)) - a send left alone: ${result:-} $(cat "$tmp/send.err" "$tmp/show.err")"
  failed=1
fi

exit $failed
