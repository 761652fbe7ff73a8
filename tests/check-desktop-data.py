#!/usr/bin/env python3
# tests/check-desktop-data.py
# Copyright 2026 The Natter authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the desktop needs from the built data files, beyond what
# desktop-file-validate and appstreamcli check: D-Bus activation, the
# Shell search provider, the MIME types, and the metainfo Flathub asks for.
#
# Usage: check-desktop-data.py SOURCE_DIR BUILD_DATA_DIR APP_ID
import configparser
import os
import sys
import xml.etree.ElementTree as ET

src, data, app_id = sys.argv[1:4]
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


def ini(path):
    p = configparser.ConfigParser(interpolation=None, strict=True)
    p.optionxform = str
    with open(path, encoding="utf-8") as f:
        p.read_file(f)
    return p


object_path = "/" + app_id.replace(".", "/")

desktop = ini(os.path.join(data, app_id + ".desktop"))["Desktop Entry"]
need(desktop.get("DBusActivatable") == "true", "desktop: DBusActivatable must be true")
need(desktop.get("Icon") == app_id, "desktop: Icon must be the app id")
need(desktop.get("Exec", "").startswith("natter "), "desktop: Exec runs natter")
mime = desktop.get("MimeType", "").split(";")
for t in ["image/png", "application/json", "application/x-natter-charx", "application/jsonl"]:
    need(t in mime, "desktop: MimeType lacks " + t)

service = ini(os.path.join(data, app_id + ".service"))["D-BUS Service"]
need(service.get("Name") == app_id, "service: Name must be the app id")
need(service.get("Exec", "").endswith("/natter --gapplication-service"),
     "service: Exec must start natter as a service")

provider = ini(os.path.join(data, app_id + ".search-provider.ini"))["Shell Search Provider"]
need(provider.get("DesktopId") == app_id + ".desktop", "search provider: DesktopId")
need(provider.get("BusName") == app_id, "search provider: BusName")
need(provider.get("ObjectPath") == object_path + "/SearchProvider", "search provider: ObjectPath")
need(provider.get("Version") == "2", "search provider: Version must be 2")

ns = "{http://www.freedesktop.org/standards/shared-mime-info}"
types = {t.get("type"): t for t in
         ET.parse(os.path.join(src, "data", "io.github.natterapp.Natter.mime.xml")).getroot()}
charx = types.get("application/x-natter-charx")
need(charx is not None and any(g.get("pattern") == "*.charx" for g in charx.iter(ns + "glob")),
     "mime: *.charx is not registered")
jsonl = types.get("application/jsonl")
need(jsonl is not None and any(g.get("pattern") == "*.jsonl" for g in jsonl.iter(ns + "glob")),
     "mime: *.jsonl is not registered")

meta = ET.parse(os.path.join(data, app_id + ".metainfo.xml")).getroot()
need(meta.findtext("id") == app_id, "metainfo: id")
need(meta.find("launchable").text == app_id + ".desktop", "metainfo: launchable")
rating = meta.find("content_rating")
need(rating is not None and rating.get("type") == "oars-1.1", "metainfo: OARS 1.1 content rating")
attrs = {a.get("id"): a.text for a in (rating if rating is not None else [])}
need(attrs.get("social-chat") == "intense",
     "metainfo: user-supplied characters and unmoderated text: social-chat intense")
releases = meta.findall("releases/release")
need(len(releases) > 0, "metainfo: no releases")
for r in releases:
    need(r.find("description") is not None, "metainfo: release %s has no notes" % r.get("version"))
shots = meta.findall("screenshots/screenshot")
need(len(shots) >= 3, "metainfo: fewer than three screenshots")
for s in shots:
    need((s.findtext("caption") or "").strip() != "", "metainfo: a screenshot without caption")
    image = s.findtext("image") or ""
    name = image.rsplit("/", 1)[-1]
    need(os.path.isfile(os.path.join(src, "data", "screenshots", name)),
         "metainfo: screenshot %s is not in data/screenshots" % name)
colors = meta.findall("branding/color")
need({c.get("scheme_preference") for c in colors} == {"light", "dark"},
     "metainfo: branding colours for light and dark")
need(meta.find("requires/display_length") is not None, "metainfo: requires display_length")
need(meta.find("recommends/display_length") is not None, "metainfo: recommends display_length")
controls = {c.text for c in meta.findall("supports/control")}
need({"keyboard", "pointing"} <= controls, "metainfo: supports keyboard and pointing")
dev = meta.find("developer")
need(dev is not None and dev.get("id") and dev.findtext("name"), "metainfo: developer with id and name")
need(meta.find("url[@type='homepage']") is not None, "metainfo: homepage")

if problems:
    for p in problems:
        print("problem:", p)
    sys.exit(1)
print("desktop data ok")
