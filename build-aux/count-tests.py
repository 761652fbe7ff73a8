#!/usr/bin/env python3
# build-aux/count-tests.py
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Counts results in meson's testlog.json. A TAP test counts each of its
# subtests; any other test counts once. Exits non-zero when nothing ran or
# anything failed.
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        result = t.get("result")
        sub_ok = sub_fail = sub_skip = 0
        out = t.get("stdout") or ""
        if re.search(r"^1\.\.\d+", out, re.M):
            for l in (t.get("stdout") or "").splitlines():
                if re.match(r"^ok\b", l):
                    if re.search(r"#\s*skip", l, re.I):
                        sub_skip += 1
                    else:
                        sub_ok += 1
                elif re.match(r"^not ok\b", l):
                    if re.search(r"#\s*todo", l, re.I):
                        sub_skip += 1
                    else:
                        sub_fail += 1
        if sub_ok + sub_fail + sub_skip > 0:
            passed += sub_ok
            failed += sub_fail
            skipped += sub_skip
            if result not in ("OK", "EXPECTEDFAIL") and sub_fail == 0:
                failed += 1
        elif result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1

line = "%d passed, %d failed" % (passed, failed)
if skipped:
    line += ", %d skipped" % skipped
print(line)
sys.exit(0 if passed > 0 and failed == 0 else 1)
