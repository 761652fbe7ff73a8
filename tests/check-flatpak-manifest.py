#!/usr/bin/env python3
# tests/check-flatpak-manifest.py
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Flatpak manifest cannot be built here (no runtime download); this
# checks that it parses and says what the app needs. Prints TAP-less
# diagnostics and exits non-zero on the first problem.
import json
import sys

with open(sys.argv[1]) as f:
    m = json.load(f)

def need(cond, what):
    if not cond:
        print("manifest problem:", what)
        sys.exit(1)

need(m.get("id") == "io.github.natterapp.Natter", "id must be io.github.natterapp.Natter")
need(m.get("command") == "natter", "command must be natter")
need(m.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
need(m.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
need(str(m.get("runtime-version", "")).isdigit(), "runtime-version must be a GNOME release number")
args = m.get("finish-args", [])
for a in ["--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri", "--share=ipc"]:
    need(a in args, "finish-args lacks " + a)
need(not any(a.startswith("--talk-name=org.freedesktop.secrets") for a in args),
     "keys go through the Secret portal: no org.freedesktop.secrets hole")
need(not any(a.startswith("--filesystem=home") or a == "--filesystem=host" for a in args),
     "no home/host filesystem access")
mods = m.get("modules", [])
need(len(mods) > 0, "no modules")
last = mods[-1]
need(last.get("name") == "natter", "last module must be natter")
need(last.get("buildsystem") == "meson", "natter builds with meson")
need(any(s.get("type") == "dir" for s in last.get("sources", [])), "natter builds from this repository (type dir)")
names = [mm.get("name") for mm in mods if isinstance(mm, dict)]
for dep in ["md4c", "cjson"]:
    need(dep in names, "module %s missing (not in the GNOME runtime)" % dep)
print("flatpak manifest ok")
