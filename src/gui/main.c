/* main.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "natter-application.h"
#include "natter-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NatterApplication) app = NULL;

  natter_i18n_init ();

  app = natter_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
