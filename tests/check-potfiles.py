#!/usr/bin/env python3
# tests/check-potfiles.py
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the sources: every file under src/ that
# marks strings for translation (_( … ), N_( … ), translatable="yes") must
# be listed, and every listed file must exist. Prints each problem and
# exits non-zero when there is one.
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), os.pardir))
potfiles = os.path.join(root, "po", "POTFILES.in")

MARK = re.compile(r'(?<![A-Za-z0-9_])N?_\s*\(|translatable\s*=\s*"yes"')
SOURCE_SUFFIXES = (".c", ".h", ".ui", ".in", ".xml", ".blp", ".py", ".js")

problems = []

listed = []
with open(potfiles, encoding="utf-8") as f:
    for number, line in enumerate(f, 1):
        entry = line.strip()
        if not entry or entry.startswith("#") or entry.startswith("["):
            continue
        listed.append(entry)
        if not os.path.isfile(os.path.join(root, entry)):
            problems.append("po/POTFILES.in:%d names %s, which does not exist" % (number, entry))

seen = set()
for entry in listed:
    if entry in seen:
        problems.append("po/POTFILES.in lists %s twice" % entry)
    seen.add(entry)

for directory, dirs, files in os.walk(os.path.join(root, "src")):
    dirs.sort()
    for name in sorted(files):
        if not name.endswith(SOURCE_SUFFIXES):
            continue
        path = os.path.join(directory, name)
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError:
            continue
        if MARK.search(text) and relative not in seen:
            problems.append("%s has translatable strings but is missing from po/POTFILES.in"
                            % relative)

for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print("po/POTFILES.in: %d files, all present, none missing" % len(listed))
