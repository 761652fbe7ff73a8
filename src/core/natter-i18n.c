/* natter-i18n.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "natter-i18n.h"

void
natter_i18n_init (void)
{
  const char *localedir = LOCALEDIR;

  setlocale (LC_ALL, "");

#if DEVELOPMENT_BUILD
  {
    const char *dir = g_getenv ("NATTER_LOCALE_DIR");

    if (dir != NULL && dir[0] != '\0')
      localedir = dir;
  }
#endif

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
