#!/bin/bash
# test-po.sh
#
# Copyright 2026 The Natter authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The translations are complete: extracts a fresh template from the files
# po/POTFILES.in lists (xgettext with the keywords of meson's "glib"
# preset, as `ninja natter-pot` does), merges every language of po/LINGUAS
# into it in a temporary directory, and fails when a language has an
# untranslated or fuzzy message, or when msgfmt --check --check-format
# complains about its file. Prints the counts. Prints TAP.
#   test-po.sh [SOURCE_DIR]

set -u

src=${1:-${NATTER_SOURCE_DIR:-$(dirname "$0")/..}}
src=$(cd "$src" && pwd)

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..1"
    echo "not ok 1 - $tool is missing (build-aux/deps.sh installs gettext)"
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same options as meson's i18n.gettext (preset: 'glib').
if (cd "$src" && xgettext --package-name=natter --from-code=UTF-8 --add-comments \
      --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
      --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
      --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
      --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
      --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
      --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
      --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
      --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
      --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
      -D . -f po/POTFILES.in -o "$tmp/natter.pot") 2>"$tmp/xgettext.log"; then
  if grep -q "warning" "$tmp/xgettext.log"; then
    sed 's/^/# /' "$tmp/xgettext.log"
    not_ok "xgettext extracts the template without warnings"
  else
    ok "xgettext extracts the template without warnings"
  fi
else
  sed 's/^/# /' "$tmp/xgettext.log"
  not_ok "xgettext extracts the template"
  echo "1..$n"
  exit 1
fi

count () {
  # Messages in a PO file, the header left out.
  local m
  m=$(grep -c '^msgid ' "$1")
  echo $((m > 0 ? m - 1 : 0))
}

# check NAME PO POT: PO is complete against POT and passes msgfmt.
check () {
  local name=$1 po=$2 pot=$3 base=$tmp/$(echo "$1" | tr '/' '_')
  local total untranslated fuzzy done_ summary

  total=$(count "$pot")
  if [ ! -f "$po" ]; then
    not_ok "$name: ${po#$src/} exists"
    return
  fi
  if ! msgfmt --check --check-format -o /dev/null "$po" 2>"$base.check"; then
    sed 's/^/# /' "$base.check"
    not_ok "$name: msgfmt --check --check-format accepts ${po#$src/}"
    return
  fi
  if ! msgmerge --quiet -o "$base.po" "$po" "$pot" 2>"$base.merge"; then
    sed 's/^/# /' "$base.merge"
    not_ok "$name: msgmerge merges ${po#$src/} into the template"
    return
  fi
  msgattrib --no-obsolete --untranslated -o "$base.untranslated" "$base.po"
  msgattrib --no-obsolete --only-fuzzy -o "$base.fuzzy" "$base.po"
  msgattrib --no-obsolete --translated --no-fuzzy -o "$base.done" "$base.po"
  untranslated=$( [ -s "$base.untranslated" ] && count "$base.untranslated" || echo 0)
  fuzzy=$( [ -s "$base.fuzzy" ] && count "$base.fuzzy" || echo 0)
  done_=$( [ -s "$base.done" ] && count "$base.done" || echo 0)
  summary="$name: $done_ of $total translated, $fuzzy fuzzy, $untranslated untranslated"
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ] || [ "$done_" -ne "$total" ]; then
    msgattrib --no-wrap --no-obsolete --only-fuzzy "$base.po" |
      grep '^msgid ' | sed 1d | head -20 | sed 's/^/# fuzzy: /'
    msgattrib --no-wrap --no-obsolete --untranslated "$base.po" |
      grep '^msgid ' | sed 1d | head -20 | sed 's/^/# untranslated: /'
    not_ok "$summary"
  else
    ok "$summary"
  fi
  if msgfmt --check --check-format -o /dev/null "$base.po" 2>"$base.check2"; then
    ok "$name: msgfmt --check --check-format accepts the merged catalogue"
  else
    sed 's/^/# /' "$base.check2"
    not_ok "$name: msgfmt --check --check-format accepts the merged catalogue"
  fi
}

echo "# template: $(count "$tmp/natter.pot") messages"
languages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/po/LINGUAS")
if [ -z "$languages" ]; then
  not_ok "po/LINGUAS lists at least one language"
fi
for lang in $languages; do
  check "$lang" "$src/po/$lang.po" "$tmp/natter.pot"
done

# The user guide, for the languages help/LINGUAS lists (itstool, as
# gnome.yelp extracts it).
if [ -f "$src/help/LINGUAS" ] && command -v itstool >/dev/null; then
  help_languages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/help/LINGUAS")
  if [ -n "$help_languages" ]; then
    (cd "$src/help/C" && itstool -o "$tmp/help.pot" *.page)
    echo "# user guide template: $(count "$tmp/help.pot") messages"
    for lang in $help_languages; do
      check "help/$lang" "$src/help/$lang/$lang.po" "$tmp/help.pot"
    done
  fi
fi

# natter-cli of a development build speaks each language from the build
# tree's catalogues (the app does the same; tests/gui/test-l10n.c).
build=${NATTER_BUILD_DIR:-}
if [ -n "$build" ] && [ -x "$build/src/cli/natter-cli" ] &&
   grep -q '^#define DEVELOPMENT_BUILD 1' "$build/config.h" 2>/dev/null; then
  for pair in "de:Befehle:" "fr:Commandes" "es:Órdenes:"; do
    lang=${pair%%:*}
    want=${pair#*:}
    [ -f "$src/po/$lang.po" ] || continue
    out=$(LANGUAGE=$lang LC_ALL=C.UTF-8 NATTER_LOCALE_DIR="$build/po" \
          "$build/src/cli/natter-cli" --help 2>&1)
    if printf '%s\n' "$out" | grep -qF "$want"; then
      ok "$lang: natter-cli --help says “$want”"
    else
      printf '%s\n' "$out" | head -5 | sed 's/^/# /'
      not_ok "$lang: natter-cli --help says “$want”"
    fi
  done
fi

echo "1..$n"
exit $failed
