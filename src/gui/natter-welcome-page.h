/* natter-welcome-page.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NATTER_TYPE_WELCOME_PAGE (natter_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (NatterWelcomePage, natter_welcome_page, NATTER, WELCOME_PAGE, AdwBin)

/* First run: explains connections, opens the connection manager
 * (app.connections) and offers local servers found listening as one-click
 * rows. Signal "use-local-server" (const char *provider_id, const char *url)
 * when one is chosen. */
GtkWidget *natter_welcome_page_new                (void);
void       natter_welcome_page_add_local_server   (NatterWelcomePage *self,
                                                   const char        *provider_id,
                                                   const char        *display_name,
                                                   const char        *url);
void       natter_welcome_page_clear_local_servers (NatterWelcomePage *self);

G_END_DECLS
