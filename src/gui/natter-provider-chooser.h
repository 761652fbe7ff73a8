/* natter-provider-chooser.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-catalog.h"

G_BEGIN_DECLS

#define NATTER_TYPE_PROVIDER_CHOOSER (natter_provider_chooser_get_type ())
G_DECLARE_FINAL_TYPE (NatterProviderChooser, natter_provider_chooser, NATTER, PROVIDER_CHOOSER, AdwBin)

/* The provider of a connection: a button showing the provider's full name
 * that opens a list of every provider with a search field (about thirty
 * providers do not fit a plain dropdown). Typing filters by name or id;
 * Enter in the search field takes the first match.
 *
 * Property "provider" (NatterProvider, nullable): the one chosen; notified
 * when the person chooses another. */
NatterProviderChooser *natter_provider_chooser_new           (void);
/* @providers: element-type NatterProvider (the catalog's list). The first
 * one is chosen when none is yet. */
void                   natter_provider_chooser_set_providers (NatterProviderChooser *self,
                                                              GListModel            *providers);
NatterProvider        *natter_provider_chooser_get_provider  (NatterProviderChooser *self);
/* Chooses the provider with @id; FALSE (and nothing changes) when the list
 * has none. */
gboolean               natter_provider_chooser_select_id     (NatterProviderChooser *self,
                                                              const char            *id);

G_END_DECLS
