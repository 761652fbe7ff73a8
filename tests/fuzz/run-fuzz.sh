#!/bin/bash
# run-fuzz.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzz.sh TARGET: builds tests/fuzz/fuzz-TARGET.c with clang and
# libFuzzer (plus ASan and UBSan) from the engine sources it needs, seeds
# a corpus from tests/fuzz/corpus/TARGET (kept inputs: past crashes,
# inputs over 16 KB, deeply nested ones) and, for cards, the fixtures and
# generated cards, runs it for NATTER_FUZZ_SECONDS (20 s) and prints TAP.
# Fails when clang or the fuzzer runtime is missing. Targets: card,
# charx, framers, event-stream, dialects, prompt, st-chat, st-group, attachment, mcp. build-aux/fuzz.sh runs them
# for as long as asked.

set -u

target=${1:-card}
src=${NATTER_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build_root=${NATTER_BUILD_DIR:-$src/_build}
fixtures=${NATTER_FIXTURES_DIR:-$src/tests/fixtures}
seconds=${NATTER_FUZZ_SECONDS:-20}
work=$build_root/tests/fuzz/fuzz-$target.d

echo "1..1"

fail () {
  echo "not ok 1 - fuzz-$target: $*"
  exit 1
}

show () {
  sed -e 's/^/# /' "$1" | tail -n "${2:-40}"
}

core=$src/src/core
base="$core/natter-types.c $core/natter-json.c $core/natter-json-writer.c $core/natter-delta.c $core/natter-tool.c"
dialects="$core/natter-request.c $core/natter-reply-guard.c $core/dialects/natter-dialect.c
  $core/dialects/natter-dialect-parse.c $core/dialects/natter-dialect-stream.c
  $core/dialects/natter-anthropic-cache.c
  $core/dialects/natter-dialect-openai-chat.c $core/dialects/natter-dialect-openai-text.c
  $core/dialects/natter-dialect-anthropic.c $core/dialects/natter-dialect-gemini.c
  $core/dialects/natter-dialect-ollama.c $core/dialects/natter-dialect-kobold.c
  $core/dialects/natter-dialect-llamacpp.c $core/dialects/natter-dialect-cohere.c
  $core/dialects/natter-dialect-vertex.c $core/dialects/natter-dialect-azure-openai.c
  $core/dialects/natter-dialect-bedrock-converse.c
  $core/dialects/natter-dialect-parts.c $core/dialects/natter-image-fit.c"
cards="$core/cards/natter-card.c $core/cards/natter-card-json.c $core/cards/natter-card-charx.c
  $core/cards/natter-png.c $core/cards/natter-charx.c
  $core/cards/natter-worldbook.c"
# The dialects call the tool hooks (tool definitions, calls, results).
dialects="$dialects $core/dialects/natter-dialect-tools.c"
case $target in
  card|charx) sources="$base $cards" ;;
  framers) sources="$base $core/natter-reply-guard.c $core/net/natter-sse-framer.c $core/net/natter-ndjson-framer.c" ;;
  dialects) sources="$base $dialects $core/natter-tool-assembler.c" ;;
  event-stream) sources="$base $core/net/natter-event-stream-framer.c" ;;
  prompt) sources="$base $dialects $core/prompt/natter-instruct.c $core/prompt/natter-instruct-builtin.c
    $core/prompt/natter-story-string.c $core/prompt/natter-macros.c
    $core/prompt/natter-lorebook.c $core/prompt/natter-lore-regex.c $core/prompt/natter-tokens.c
    $work/natter-core-resources.c" ;;
  st-chat) sources="$base $core/store/natter-st-chat.c $core/store/natter-chat-store*.c
    $core/store/natter-chat-info.c $core/store/natter-character-info.c
    $core/store/natter-reply-writer.c $core/store/natter-database.c $core/store/natter-database-migrations.c
    $core/store/natter-st-chat-attachments.c $core/store/natter-attachment-file.c
    $core/dialects/natter-image-fit.c" ;;
  st-group) sources="$base $core/store/natter-st-chat.c $core/store/natter-st-group.c
    $core/store/natter-chat-store*.c
    $core/store/natter-chat-info.c $core/store/natter-character-info.c
    $core/store/natter-reply-writer.c $core/store/natter-database.c $core/store/natter-database-migrations.c
    $core/store/natter-st-chat-attachments.c $core/store/natter-attachment-file.c
    $core/dialects/natter-image-fit.c" ;;
  attachment) sources="$base $core/store/natter-attachment-file.c $core/dialects/natter-image-fit.c" ;;
  mcp) sources="$base $core/natter-headers.c $core/natter-request.c $core/store/natter-secrets.c
    $core/mcp/natter-mcp-message.c $core/mcp/natter-mcp-config.c" ;;
  *) fail "unknown target (card, charx, framers, event-stream, dialects, prompt, st-chat, st-group, attachment, mcp)" ;;
esac

clang=$(command -v clang || command -v clang-14) \
  || fail "clang is not installed (build-aux/deps.sh installs clang and libclang-rt-14-dev)"

mkdir -p "$work/seeds" "$work/corpus" "$work/include" || fail "cannot create $work"

# The sources include config.h; these are what they use from it.
cat > "$work/include/config.h" <<'EOH'
#pragma once
#define GETTEXT_PACKAGE "natter"
#define APP_ID "io.github.natterapp.Natter.Devel"
#define DEVELOPMENT_BUILD 1
EOH

# The engine's resources (built-in instruct templates, presets, providers).
glib-compile-resources --sourcedir="$core" --generate-source --c-name natter_core \
  --target="$work/natter-core-resources.c" "$core/natter-core.gresource.xml" \
  || fail "glib-compile-resources could not compile the engine's resources"

pkgs="glib-2.0 gio-2.0 json-glib-1.0 zlib libarchive libcjson libpcre2-8 sqlite3 gdk-pixbuf-2.0 poppler-glib"
[ "$target" = mcp ] && pkgs="$pkgs libsecret-1"
flags=$(pkg-config --cflags --libs $pkgs) || fail "pkg-config cannot find: $pkgs"

# shellcheck disable=SC2086
if ! "$clang" -g -O1 -fno-omit-frame-pointer \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
      -I"$work/include" -I"$src/tests/fuzz" -I"$core" -I"$core/net" -I"$core/dialects" \
      -I"$core/prompt" -I"$core/store" -I"$core/cards" -I"$core/mcp" \
      "$src/tests/fuzz/fuzz-$target.c" $sources \
      $flags -o "$work/fuzz-$target" > "$work/build.log" 2>&1; then
  show "$work/build.log"
  fail "could not build the fuzz target with $clang (is libclang-rt-14-dev, the libFuzzer runtime, installed?)"
fi

cp "$src/tests/fuzz/corpus/$target/"* "$work/seeds/" 2>/dev/null
: > "$work/fuzz.dict"
[ -f "$src/tests/fuzz/$target.dict" ] && cp "$src/tests/fuzz/$target.dict" "$work/fuzz.dict"

if [ "$target" = card ]; then
# Seeds: the real fixtures, past crash inputs (tests/fuzz/corpus), plus
# small generated cards of every kind.
cp "$fixtures/sillytavern/default_Seraphina.png" "$fixtures/sillytavern/Eldoria.json" "$work/seeds/" 2>/dev/null
if command -v python3 > /dev/null; then
  python3 - "$work/seeds" "$fixtures/sillytavern/default_Seraphina.png" <<'EOP' || echo "# could not generate seeds"
import base64, io, json, os, struct, sys, zipfile, zlib
out, seraphina = sys.argv[1], sys.argv[2]

def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))

def png(texts):
    ihdr = struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)
    body = b''.join(chunk(b'tEXt', k.encode() + b'\0' + v) for k, v in texts)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\0\x80'))
            + body + chunk(b'IEND', b''))

def b64(obj):
    return base64.b64encode(json.dumps(obj).encode())

def write(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)

v1 = {'name': 'Bob', 'description': 'd', 'personality': 'p', 'scenario': 's',
      'first_mes': 'hi', 'mes_example': 'ex', 'avatar': 'none'}
v2 = {'spec': 'chara_card_v2', 'spec_version': '2.0',
      'data': {'name': 'Ann', 'description': 'x', 'alternate_greetings': ['a', 'b'], 'tags': ['t'],
               'extensions': {'k': [1, 2.5, None, True]},
               'character_book': {'entries': [{'keys': ['k'], 'content': 'c', 'enabled': True,
                                               'insertion_order': 1, 'extensions': {}}],
                                  'extensions': {}}}}
v3 = {'spec': 'chara_card_v3', 'spec_version': '3.0',
      'data': dict(v2['data'], name='Cy', nickname='C', group_only_greetings=['g'],
                   assets=[{'type': 'icon', 'uri': 'embeded://assets/icon/images/main.png',
                            'name': 'main', 'ext': 'png'}])}

write('v1.json', json.dumps(v1).encode())
write('v2.json', json.dumps(v2).encode())
write('v3.json', json.dumps(v3).encode())
write('v1.png', png([('chara', b64(v1))]))
write('v2.png', png([('chara', b64(v2))]))
write('v2v3.png', png([('chara', b64(v2)), ('ccv3', b64(v3))]))
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('card.json', json.dumps(v3))
    z.writestr('assets/icon/images/main.png', png([]))
write('v3.charx', buf.getvalue())

# The card in compressed text chunks: zTXt, iTXt (zlib and plain).
def png_chunks(chunks):
    ihdr = struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)
    body = b''.join(chunk(t, d) for t, d in chunks)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\0\x80'))
            + body + chunk(b'IEND', b''))

write('v2-ztxt.png', png_chunks([(b'zTXt', b'chara\0\0' + zlib.compress(b64(v2)))]))
write('v3-itxt-z.png', png_chunks([(b'iTXt', b'ccv3\0\1\0en\0\0' + zlib.compress(b64(v3)))]))
write('v1-itxt.png', png_chunks([(b'iTXt', b'chara\0\0\0\0\0' + b64(v1))]))

# Seraphina's card on a 1×1 image: the real card, small enough to mutate.
data = open(seraphina, 'rb').read()
pos = 8
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos + 8])
    if kind == b'tEXt':
        keyword, text = data[pos + 8:pos + 8 + length].split(b'\0', 1)
        write('seraphina-small.png', png([(keyword.decode(), text)]))
    pos += 12 + length
EOP
fi

cat > "$work/fuzz.dict" <<'EOD'
"\x89PNG\x0d\x0a\x1a\x0a"
"IHDR"
"IDAT"
"IEND"
"tEXt"
"zTXt"
"iTXt"
"chara\x00"
"ccv3\x00"
"PK\x03\x04"
"PK\x05\x06"
"card.json"
"embeded://"
"\"spec\""
"\"data\""
"\"name\""
"\"chara_card_v2\""
"\"chara_card_v3\""
"\"entries\""
"\"character_book\""
"\"alternate_greetings\""
"\"assets\""
"\"key\""
"eyJ"
EOD

fi

# One run: libFuzzer exits non-zero on a crash, a leak or a timeout.
# A GLib critical (a broken precondition) counts as a crash too: the
# targets abort on one (fuzz-common.h), so libFuzzer keeps the input.
unset G_DEBUG
dict=""
[ -s "$work/fuzz.dict" ] && dict="-dict=fuzz.dict"
# shellcheck disable=SC2086
( cd "$work" && "./fuzz-$target" -max_total_time="$seconds" -max_len=131072 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 $dict \
    -artifact_prefix="$work/" corpus seeds ) > "$work/fuzz.log" 2>&1
status=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
if [ $status -ne 0 ]; then
  show "$work/fuzz.log" 60
  fail "the fuzzer found a problem (exit $status); see $work/fuzz.log and the crash-* file in $work"
fi
if [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
  show "$work/fuzz.log"
  fail "the fuzzer did not run"
fi

echo "ok 1 - fuzz-$target ran $execs execs in $seconds s without a crash"
