#!/usr/bin/env bash
# test-attach-cli.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Black-box tests of `natter-cli chat --attach` and `chat send --attach`
# against natter-fake-server over loopback, with a temporary data dir:
# what goes over the wire, what is stored, what the request log keeps, and
# how files that cannot be attached are refused. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
FAKE=$BUILD/tests/natter-fake-server
SECRET="sk-attachcli-SECRET-555"

. "$(dirname "${BASH_SOURCE[0]}")/cli-test-lib.sh"

export OPENAI_API_KEY=$SECRET

skip_unless_built "$CLI" "$FAKE"

# ------------------------------------------------------------------ files
python3 - "$tmp" <<'EOF'
import struct, sys, zlib
d = sys.argv[1]
def png(w, h, rgb):
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(d + "/dot.png", "wb").write(png(12, 8, (200, 30, 30)))
# Noise does not compress: a picture of some kilobytes.
import random
random.seed(7)
def noise(w, h):
    raw = b"".join(b"\0" + bytes(random.randrange(256) for _ in range(3 * w)) for _ in range(h))
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(d + "/noise.png", "wb").write(noise(48, 48))
open(d + "/cut.png", "wb").write(png(12, 8, (200, 30, 30))[:40])
open(d + "/notes.md", "w").write("# Shopping\n\n- milk\n")
open(d + "/blob.bin", "wb").write(bytes(range(256)) * 4)
EOF

python3 - "$tmp/routes.json" <<'EOF'
import json, sys
def chunk(content=None, finish=None):
    d = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": content} if content is not None else {},
                      "finish_reason": finish}]}
    return "data: " + json.dumps(d) + "\n\n"
stream = [chunk("A red dot."), chunk(finish="stop"), "data: [DONE]\n\n"]
json.dump([{"method": "POST", "path": "/v1/chat/completions", "content_type": "text/event-stream",
            "chunks": stream}], open(sys.argv[1], "w"))
EOF

start_fake

run add profile add work --provider openai --model vision-test --url "http://127.0.0.1:$PORT/v1" --default
check "a profile for the fake server" test "$(rc add)" = 0

# ------------------------------------------------------------- one-shot chat
B64=$(base64 -w0 "$tmp/dot.png")
run one chat --attach "$tmp/dot.png" --attach "$tmp/notes.md" "What is this?"
check "chat --attach exits 0 and prints the reply" \
  bash -c "[ $(rc one) -eq 0 ] && grep -q 'A red dot.' '$tmp/one.out'"
check "the picture goes as an image_url data URL, byte for byte" \
  last_request "b['messages'][-1]['content'][1] == {'type': 'image_url', 'image_url': {'url': 'data:image/png;base64,$B64'}}"
check "the text file goes as a text part with its name" \
  last_request "b['messages'][-1]['content'][2]['text'].startswith('[File: notes.md]\n# Shopping')"
check "the question stays the first part" \
  last_request "b['messages'][-1]['content'][0] == {'type': 'text', 'text': 'What is this?'}"
check "unknown vision support is said on stderr" grep -q "not known" "$tmp/one.err"

# ------------------------------------------------------------ refused files
before=$(n_requests)
run cut chat --attach "$tmp/cut.png" "What is this?"
check "a cut-off picture is refused with one clear line and exit 2" \
  bash -c "[ $(rc cut) -eq 2 ] && [ \$(wc -l <'$tmp/cut.err') -eq 1 ] && grep -q 'cut.png' '$tmp/cut.err' && grep -qi 'damaged' '$tmp/cut.err'"
run bin chat --attach "$tmp/blob.bin" "What is this?"
check "a binary file is refused" bash -c "[ $(rc bin) -eq 2 ] && grep -q 'can be attached' '$tmp/bin.err'"
run missing chat --attach "$tmp/none.png" "What is this?"
check "a missing file is refused" bash -c "[ $(rc missing) -eq 2 ] && grep -q 'none.png' '$tmp/missing.err'"
check "nothing was sent for refused files" test "$(n_requests)" -eq "$before"

run novision model set work vision-test vision=false
run refused chat --attach "$tmp/dot.png" "What is this?"
check "a model without vision refuses pictures" \
  bash -c "[ $(rc novision) -eq 0 ] && [ $(rc refused) -eq 2 ] && grep -q 'does not take images' '$tmp/refused.err'"
run textonly chat --attach "$tmp/notes.md" "Summarise"
check "…but text files still go" bash -c "[ $(rc textonly) -eq 0 ]"
run vision model set work vision-test vision=true
run seen chat --attach "$tmp/dot.png" "What is this?"
check "a model with vision: no note" bash -c "[ $(rc seen) -eq 0 ] && ! grep -q 'not known' '$tmp/seen.err'"

# ---------------------------------------------------------------- chat send
run new chat new
CHAT=$(cat "$tmp/new.out")
B64=$(base64 -w0 "$tmp/noise.png")
run send chat send "$CHAT" --attach "$tmp/noise.png"
check "chat send --attach without text exits 0" test "$(rc send)" -eq 0
check "chat send sends the picture" last_request "'data:image/png;base64,$B64' in json.dumps(b)"
run send2 chat send "$CHAT" "And now?"
check "the next send carries the stored picture with the history" \
  last_request "'data:image/png;base64,$B64' in json.dumps(b['messages']) and b['messages'][-1]['content'] == 'And now?'"
run show chat show "$CHAT" --json
check "chat show --json lists the attachment" \
  python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
a=d['messages'][0]['attachments']
sys.exit(0 if len(a) == 1 and a[0]['name'] == 'noise.png' and a[0]['mime_type'] == 'image/png' and len(a[0]['sha256']) == 64 else 1)" "$tmp/show.out"
run show_text chat show "$CHAT"
check "chat show names it" grep -q '^Attached: noise.png (image/png, ' "$tmp/show_text.out"
run inspect inspect last
check "the request log keeps the length of the picture, not its data" \
  bash -c "[ $(rc inspect) -eq 0 ] && ! grep -q '$B64' '$tmp/inspect.out' && grep -q 'base64: ' '$tmp/inspect.out'"
run export chat export "$CHAT" -o "$tmp/export.jsonl"
check "chat export writes the picture as extra.image" \
  python3 -c "
import json,sys
lines=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if any(l.get('extra',{}).get('image') == 'data:image/png;base64,$B64' and l['extra'].get('inline_image') for l in lines) else 1)" "$tmp/export.jsonl"
run import chat import "$tmp/export.jsonl"
check "…and chat import brings it back" bash -c "[ $(rc import) -eq 0 ]"

echo "1..$n"
exit $failed
