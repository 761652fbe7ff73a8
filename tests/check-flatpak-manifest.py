#!/usr/bin/env python3
# tests/check-flatpak-manifest.py
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Flatpak manifest cannot be built here (no runtime download); this
# checks it offline, with the rules of Flathub's linter that need no
# network: it parses, runs on the GNOME runtime, asks for nothing beyond
# the allow-list below (portals need no hole: keys go through the Secret
# portal), and every source is pinned (an archive by url + sha256, a git
# repository by url + commit) or is this repository. When flatpak-builder
# is installed, `flatpak-builder --show-manifest` must read it too.
#
# Usage: check-flatpak-manifest.py MANIFEST [EXPECTED_ID]
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

path = sys.argv[1]
expected_id = sys.argv[2] if len(sys.argv) > 2 else "io.github.natterapp.Natter"

with open(path) as f:
    m = json.load(f)

problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}
REQUIRED_FINISH_ARGS = ALLOWED_FINISH_ARGS

need(m.get("id") == expected_id, "id must be " + expected_id)
need(len(m.get("id", "").split(".")) >= 3, "the id needs at least three parts")
need(m.get("command") == "natter", "command must be natter")
need(m.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
need(m.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
need(re.fullmatch(r"[0-9]+", str(m.get("runtime-version", ""))) is not None,
     "runtime-version must be a GNOME release number (not master)")

args = m.get("finish-args", [])
for a in sorted(REQUIRED_FINISH_ARGS):
    need(a in args, "finish-args lacks " + a)
for a in args:
    need(a in ALLOWED_FINISH_ARGS, "finish-arg %s is not on the allow-list "
         "(D-Bus names, files and devices go through portals)" % a)
need(not ("--socket=x11" in args and "--socket=wayland" in args),
     "use --socket=fallback-x11 with wayland, not x11")
need(len(args) == len(set(args)), "finish-args repeats an entry")

mods = m.get("modules", [])
need(len(mods) > 0, "no modules")
names = []


def check_sources(mod):
    for s in mod.get("sources", []):
        if not isinstance(s, dict):
            problems.append("module %s: a source must be an object" % mod.get("name"))
            continue
        kind = s.get("type")
        if kind == "dir":
            need(mod.get("name") == "natter", "only natter builds from the local directory")
        elif kind == "git":
            need(str(s.get("url", "")).startswith("https://"),
                 "module %s: git url must be https" % mod.get("name"))
            need(re.fullmatch(r"[0-9a-f]{40}", str(s.get("commit", ""))) is not None,
                 "module %s: git source not pinned by commit" % mod.get("name"))
        elif kind in ("archive", "file"):
            need(str(s.get("url", "")).startswith("https://"),
                 "module %s: url must be https" % mod.get("name"))
            need(re.fullmatch(r"[0-9a-f]{64}", str(s.get("sha256", ""))) is not None,
                 "module %s: no sha256" % mod.get("name"))
        else:
            problems.append("module %s: source type %s cannot be checked" % (mod.get("name"), kind))


for mod in mods:
    if not isinstance(mod, dict):
        problems.append("modules must be inline objects")
        continue
    names.append(mod.get("name"))
    need(len(mod.get("sources", [])) > 0, "module %s has no sources" % mod.get("name"))
    check_sources(mod)

last = mods[-1] if mods else {}
need(last.get("name") == "natter", "last module must be natter")
need(last.get("buildsystem") == "meson", "natter builds with meson")
development = "-Ddevelopment=true" in last.get("config-opts", [])
need(development == expected_id.endswith(".Devel"),
     "the .Devel manifest (and only it) builds with -Ddevelopment=true")
for dep in ["md4c", "cjson"]:
    need(dep in names, "module %s missing (not in the GNOME runtime)" % dep)

builder = shutil.which("flatpak-builder")
if builder:
    # It leaves a .flatpak-builder state directory where it runs.
    with tempfile.TemporaryDirectory() as scratch:
        r = subprocess.run([builder, "--show-manifest", os.path.abspath(path)],
                           capture_output=True, text=True, cwd=scratch)
    need(r.returncode == 0, "flatpak-builder --show-manifest failed: " + r.stderr.strip())
    if r.returncode == 0:
        shown = json.loads(r.stdout)
        need(shown.get("id", shown.get("app-id")) == expected_id,
             "flatpak-builder reads another id: %s" % shown.get("id"))
        need(shown.get("finish-args") == args, "flatpak-builder reads other finish-args")
else:
    print("# flatpak-builder not installed: --show-manifest skipped")

if problems:
    for p in problems:
        print("manifest problem:", p)
    sys.exit(1)
print("flatpak manifest ok:", path)
