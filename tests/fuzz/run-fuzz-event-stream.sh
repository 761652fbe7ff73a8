#!/bin/bash
# run-fuzz-event-stream.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds tests/fuzz/fuzz-event-stream.c with clang and libFuzzer (plus ASan
# and UBSan) from the AWS event stream framer, seeds it with a valid
# Converse stream, runs it for NATTER_FUZZ_SECONDS (20 s) and prints TAP.
# Fails when clang or the fuzzer runtime is missing.

set -u

src=${NATTER_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build_root=${NATTER_BUILD_DIR:-$src/_build}
seconds=${NATTER_FUZZ_SECONDS:-20}
work=$build_root/tests/fuzz/fuzz-event-stream.d

echo "1..1"

fail () {
  echo "not ok 1 - fuzz-event-stream: $*"
  exit 1
}

clang=$(command -v clang || command -v clang-14) \
  || fail "clang is not installed (build-aux/deps.sh installs clang and libclang-rt-14-dev)"
mkdir -p "$work/seeds" "$work/corpus" "$work/include" || fail "cannot create $work"
cat > "$work/include/config.h" <<'EOH'
#pragma once
#define GETTEXT_PACKAGE "natter"
EOH

flags=$(pkg-config --cflags --libs glib-2.0 zlib) || fail "pkg-config cannot find glib-2.0 zlib"
core=$src/src/core
# natter-types.c brings the request error domain.
# shellcheck disable=SC2086
if ! "$clang" -g -O1 -fno-omit-frame-pointer \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74 \
      -I"$work/include" -I"$core" -I"$core/net" \
      "$src/tests/fuzz/fuzz-event-stream.c" "$core/net/natter-event-stream-framer.c" \
      "$core/natter-types.c" \
      $(pkg-config --cflags --libs gobject-2.0) $flags -o "$work/fuzz-event-stream" > "$work/build.log" 2>&1; then
  sed -e 's/^/# /' "$work/build.log" | tail -n 40
  fail "could not build the fuzz target with $clang (is libclang-rt-14-dev installed?)"
fi

python3 - "$work/seeds" <<'EOP' || echo "# could not generate seeds"
import os, struct, sys, zlib
out = sys.argv[1]

def header(name, value):
    n, v = name.encode(), value.encode()
    return bytes([len(n)]) + n + b'\x07' + struct.pack('>H', len(v)) + v

def message(kind, name, payload):
    headers = (header(':message-type', kind)
               + header(':exception-type' if kind == 'exception' else ':event-type', name)
               + header(':content-type', 'application/json'))
    payload = payload.encode()
    total = 16 + len(headers) + len(payload)
    prelude = struct.pack('>II', total, len(headers))
    prelude += struct.pack('>I', zlib.crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack('>I', zlib.crc32(body))

stream = (message('event', 'messageStart', '{"role":"assistant"}')
          + message('event', 'contentBlockDelta', '{"contentBlockIndex":0,"delta":{"text":"Hi"}}')
          + message('event', 'messageStop', '{"stopReason":"end_turn"}')
          + message('event', 'metadata', '{"usage":{"inputTokens":1,"outputTokens":1}}'))
open(os.path.join(out, 'converse'), 'wb').write(stream)
open(os.path.join(out, 'exception'), 'wb').write(
    message('exception', 'throttlingException', '{"message":"slow down"}'))
EOP

export G_DEBUG=fatal-criticals
( cd "$work" && ./fuzz-event-stream -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" corpus seeds ) > "$work/fuzz.log" 2>&1
status=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -n 1)
if [ $status -ne 0 ]; then
  sed -e 's/^/# /' "$work/fuzz.log" | tail -n 60
  fail "the fuzzer found a problem (exit $status); see $work/fuzz.log and the crash-* file in $work"
fi
if [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
  fail "the fuzzer did not run"
fi
echo "ok 1 - fuzz-event-stream ran $execs execs without a crash"
