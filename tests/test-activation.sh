#!/usr/bin/env bash
# test-activation.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Natter started by D-Bus, as the Shell starts it: a private session bus
# (under Xvfb) whose service directory holds Natter's D-Bus service file
# (as installed, with Exec pointing into the build), a store with a chat
# imported by natter-cli, and then only D-Bus calls: the search provider
# named by the installed .ini answers (which starts Natter), the service
# goes away by itself after its inactivity timeout, `natter --chat ID`
# starts it with a window, and app.quit ends it. Prints TAP.

set -u

BUILD=${NATTER_BUILD_DIR:?NATTER_BUILD_DIR must be set}
CLI=$BUILD/src/cli/natter-cli
APP=$BUILD/src/gui/natter

if [ ! -x "$APP" ] || ! command -v xvfb-run >/dev/null || ! command -v dbus-run-session >/dev/null; then
  echo "1..0 # SKIP needs the app (-Dgui=true), xvfb-run and dbus-run-session"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ini=$(ls "$BUILD"/data/*.search-provider.ini)
app_id=$(sed -n 's/^BusName=//p' "$ini")
provider_path=$(sed -n 's/^ObjectPath=//p' "$ini")
app_path=/$(echo "$app_id" | tr . /)

export NATTER_DATA_DIR=$tmp/data
export XDG_RUNTIME_DIR=$tmp/runtime XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache
export GSETTINGS_SCHEMA_DIR=$BUILD/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GDK_BACKEND=x11
export NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
mkdir -p "$XDG_RUNTIME_DIR" "$tmp/services" && chmod 700 "$XDG_RUNTIME_DIR"

cat > "$tmp/chat.jsonl" <<'JSONL'
{"user_name":"You","character_name":"Keeper","create_date":"2026-01-02@10h00m00s"}
{"name":"You","is_user":true,"mes":"What is kept in the lighthouse?","send_date":"2026-01-02@10h00m01s"}
{"name":"Keeper","is_user":false,"mes":"Quinces, lamp oil and a logbook.","send_date":"2026-01-02@10h00m02s"}
JSONL
chat_id=$(env DBUS_SESSION_BUS_ADDRESS=unix:path=$tmp/no-bus "$CLI" chat import "$tmp/chat.jsonl" 2>/dev/null |
          grep -o '[0-9][0-9]*' | head -n 1)

# The service file as data/meson.build installs it, Exec into the build.
sed -e "s|@APP_ID@|$app_id|" -e "s|@BINDIR@/natter|$APP|" \
  "$NATTER_SOURCE_DIR/data/io.github.natterapp.Natter.service.in" > "$tmp/services/$app_id.service"
cat > "$tmp/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

cat > "$tmp/inner.sh" <<INNER
#!/bin/bash
set -u
n=0
ok () { n=\$((n + 1)); echo "ok \$n - \$1"; }
not_ok () { n=\$((n + 1)); echo "not ok \$n - \$1"; }
has_owner () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true
}
wait_gone () {
  for _ in \$(seq 300); do has_owner || return 0; sleep 0.1; done
  return 1
}
wait_owner () {
  for _ in \$(seq 300); do has_owner && return 0; sleep 0.1; done
  return 1
}
echo "1..8"

if [ -n "$chat_id" ]; then ok "natter-cli imported chat $chat_id"; else not_ok "natter-cli imported a chat"; fi
if has_owner; then not_ok "Natter is not running before the search"; else ok "Natter is not running before the search"; fi

results=\$(gdbus call --session --timeout 60 --dest "$app_id" --object-path "$provider_path" \
  --method org.gnome.Shell.SearchProvider2.GetInitialResultSet "['lighthouse']" 2>&1)
case "\$results" in
  *"'message:$chat_id:"*) ok "the search started Natter and found the message (\$results)" ;;
  *) not_ok "the search started Natter and found the message (\$results)" ;;
esac

id=\$(echo "\$results" | grep -o "message:[0-9]*:[0-9]*" | head -n 1)
metas=\$(gdbus call --session --dest "$app_id" --object-path "$provider_path" \
  --method org.gnome.Shell.SearchProvider2.GetResultMetas "['\$id']" 2>&1)
case "\$metas" in
  *"'description': <'"*"lighthouse"*) ok "GetResultMetas gives a snippet" ;;
  *) not_ok "GetResultMetas gives a snippet (\$metas)" ;;
esac

# No window was opened: the service leaves after its inactivity timeout.
if wait_gone; then ok "the D-Bus started Natter exits by itself"; else not_ok "the D-Bus started Natter exits by itself"; fi

"$APP" --chat "$chat_id" >/dev/null 2>&1 &
app_pid=\$!
if wait_owner; then ok "natter --chat starts Natter"; else not_ok "natter --chat starts Natter"; fi
window=""
for _ in \$(seq 100); do
  window=\$(gdbus introspect --session --dest "$app_id" --object-path "$app_path/window" 2>/dev/null | grep -o "node [0-9][0-9]*")
  [ -n "\$window" ] && break
  sleep 0.1
done
if [ -n "\$window" ]; then ok "it shows a window (\$window)"; else not_ok "it shows a window"; fi

gdbus call --session --dest "$app_id" --object-path "$app_path" \
  --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null 2>&1
if wait_gone; then ok "app.quit over D-Bus ends it"; else not_ok "app.quit over D-Bus ends it"; kill \$app_pid 2>/dev/null; fi
wait \$app_pid 2>/dev/null
INNER
chmod +x "$tmp/inner.sh"

xvfb-run -a -s "-screen 0 1024x768x24" \
  dbus-run-session --config-file="$tmp/session.conf" -- "$tmp/inner.sh" 2>"$tmp/stderr" | tee "$tmp/tap"
# What the app and the bus said, when something failed.
if grep -q "^not ok" "$tmp/tap"; then
  sed 's/^/# /' "$tmp/stderr"
fi
exit 0
