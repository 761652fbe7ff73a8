#!/bin/bash
# test-keyring.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs test-secrets against a real gnome-keyring-daemon inside a private
# D-Bus session, with HOME and the XDG directories in a temp dir so the
# user's own keyring is never touched. Prints one TAP stream; exits non-zero
# on any failure. A missing gnome-keyring-daemon is a failure, not a skip.

set -u

build_dir="${NATTER_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/_build}"
bin="$build_dir/tests/test-secrets"

n=0
failed=0

ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok () {
  n=$((n + 1))
  failed=1
  echo "not ok $n - $1"
}

finish () {
  echo "1..$n"
  exit "$failed"
}

# Renumbers a GTest TAP stream into ours; everything else becomes a comment.
relay () {
  local line
  local saw_bail=0

  while IFS= read -r line; do
    case "$line" in
      "ok "[0-9]*)
        ok "${line#ok * }" ;;
      "not ok "[0-9]*)
        not_ok "${line#not ok * }" ;;
      "Bail out!"*)
        saw_bail=1
        not_ok "$line" ;;
      1..[0-9]*)
        ;;
      "#"*)
        echo "$line" ;;
      *)
        echo "# $line" ;;
    esac
  done
  return $saw_bail
}

for tool in gnome-keyring-daemon dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    not_ok "$tool is not installed (apt-get install gnome-keyring dbus)"
    finish
  fi
done

if [ ! -x "$bin" ]; then
  not_ok "test binary $bin is missing (build first)"
  finish
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/natter-keyring-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

home="$tmp/home"
data="$home/.local/share"
mkdir -p "$data" "$home/.config" "$home/.cache" "$tmp/run"
chmod 700 "$tmp/run"

# A throwaway key that must end up in no file: only the keyring holds it,
# encrypted.
key="sk-natter-leak-check-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# The cloud credentials (Azure key, AWS secret access key and session
# token); test-secrets makes the service account key itself.
rnd () { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
azure_key="azure-leak-check-$(rnd)"
aws_secret="aws-secret-leak-check-$(rnd)"
aws_token="aws-token-leak-check-$(rnd)"
cli="$build_dir/src/cli/natter-cli"

run_private () {
  env -u DBUS_SESSION_BUS_ADDRESS \
    HOME="$home" XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$tmp/run" \
    NATTER_TEST_LEAK_KEY="$key" NATTER_DATA_DIR="$data/natter" NATTER_TEST_PRIVATE_KEYRING=1 \
    NATTER_TEST_CLOUD_AZURE_KEY="$azure_key" NATTER_TEST_CLOUD_AWS_SECRET="$aws_secret" \
    NATTER_TEST_CLOUD_AWS_TOKEN="$aws_token" \
    timeout 300 dbus-run-session -- bash -c '
      if ! printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; then
        echo "Bail out! gnome-keyring-daemon did not start"
        exit 1
      fi
      # The daemon forks; let it own the bus name before the tests ask for it
      # (otherwise D-Bus activation starts a second one that hands over).
      if command -v gdbus >/dev/null 2>&1; then
        gdbus wait --session --timeout 20 org.freedesktop.secrets
      fi
      "$1" --tap --data-dir "$2" > "$3"
      status=$?
      # What natter-cli shows of the cloud profiles and of the last
      # request, with their credentials in the keyring.
      if [ -x "$4" ]; then
        for p in "Cloud Vertex" "Cloud Azure" "Cloud Bedrock"; do
          "$4" profile show "$p" --json
          "$4" profile show "$p"
        done > "$5/cli-cloud.out" 2>&1
        "$4" profile list --json >> "$5/cli-cloud.out" 2>&1
        "$4" inspect last --json >> "$5/cli-cloud.out" 2>&1
      fi
      exit $status
    ' bash "$bin" "$data/natter" "$tmp/secrets.tap" "$cli" "$tmp"
}

# The daemons write to the session'"'"'s stdout/stderr: keep that apart from TAP.
run_private > "$tmp/session.log" 2>&1
status=$?
awk '{ print "# " $0 }' "$tmp/session.log"
relay < "$tmp/secrets.tap"
if [ "$status" -eq 0 ]; then
  ok "test-secrets exited cleanly"
else
  not_ok "test-secrets exited with status $status"
fi

# The key is in no file under the private HOME (database, WAL, keyring
# files, anything), while the profile name is readable in the database.
if [ ! -s "$data/natter/natter.db" ]; then
  not_ok "the database was written under the private data dir"
elif ! grep -rqF -- "Leak Check Profile" "$data/natter"; then
  not_ok "the profile name is readable in the data dir (scan sanity check)"
elif [ ! -e "$data/keyrings" ]; then
  not_ok "the private keyring stored its files under the temp dir"
else
  hits="$(grep -rlF -- "$key" "$home" || true)"
  if [ -n "$hits" ]; then
    not_ok "the API key appears in no file under the data dir (found in: $(echo $hits))"
  else
    ok "the API key appears in no file under the data dir"
  fi
fi

# The cloud credentials: in no file under the private HOME, in no output
# (the test's, the daemons', natter-cli's profile show / list / inspect).
if [ ! -s "$tmp/cli-cloud.out" ]; then
  not_ok "natter-cli showed the cloud profiles"
elif ! grep -q '"service_account_email" : "keyring@keyring-project.iam.gserviceaccount.com"' "$tmp/cli-cloud.out" ||
     ! grep -q '"access_key_id" : "AKIDKEYRINGTEST"' "$tmp/cli-cloud.out" ||
     ! grep -q '"has_api_key" : true' "$tmp/cli-cloud.out"; then
  not_ok "profile show --json has the service account e-mail, the access key ID and has_api_key"
elif ! grep -q 'AWS4-HMAC-SHA256 REDACTED' "$tmp/cli-cloud.out" || ! grep -q 'X-Amz-Security-Token' "$tmp/cli-cloud.out"; then
  not_ok "inspect last shows the Bedrock request with its signature and session token redacted"
else
  ok "profile show --json has the service account e-mail, the access key ID and has_api_key"
fi
cloud_leaks=""
for secret in "$azure_key" "$aws_secret" "$aws_token" "ya29.keyring-access-token" "PRIVATE KEY"; do
  hits="$(grep -rlF -- "$secret" "$home" "$tmp/secrets.tap" "$tmp/session.log" "$tmp/cli-cloud.out" 2>/dev/null || true)"
  if [ -n "$hits" ]; then
    cloud_leaks="$cloud_leaks ${secret:0:12}… in $(echo $hits)"
  fi
done
if [ -n "$cloud_leaks" ]; then
  not_ok "the cloud credentials appear in no file and no output (found:$cloud_leaks)"
else
  ok "the cloud credentials appear in no file and no output"
fi

# No Secret Service at all: a clear error, not a hang or a crash.
env DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-such-bus" \
  HOME="$home" XDG_RUNTIME_DIR="$tmp/run" NATTER_TEST_EXPECT_NO_KEYRING=1 \
  timeout 60 "$bin" --tap -p /natter/secrets/unavailable > "$tmp/unavailable.tap" 2> "$tmp/unavailable.log"
status=$?
awk '{ print "# " $0 }' "$tmp/unavailable.log"
relay < "$tmp/unavailable.tap"
if [ "$status" -eq 0 ] && grep -q "^ok .*/natter/secrets/unavailable$" "$tmp/unavailable.tap"; then
  ok "no keyring: readable error"
else
  not_ok "no keyring: readable error (status $status)"
fi

finish
