/* natter-profile-store.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-database.h"
#include "natter-profile.h"

G_BEGIN_DECLS

/* All connection profiles, as a GListModel of NatterProfile sorted by name
 * (case-insensitive). Changes are reported through items-changed and
 * through notify on the stored profile objects.
 *
 * Every change is one small SQLite transaction: when a call fails, neither
 * the database nor the in-memory list has changed. Errors are in the
 * NATTER_STORE_ERROR domain:
 *   NATTER_STORE_ERROR_EXISTS     another profile already has that name
 *   NATTER_STORE_ERROR_INVALID    blank name, no provider, bad base/proxy URL,
 *                                 a proxy URL with a password in it
 *   NATTER_STORE_ERROR_NOT_FOUND  the profile is not (or no longer) stored
 *
 * Property "active-profile" (NatterProfile, read-only) is notified when
 * the active profile changes, including by fallback after a removal.
 *
 * Signal "changed" (gint64 profile_id; 0 = several or unknown) is emitted
 * after every change made through this store and after changes another
 * process (natter-cli) or another NatterDatabase on the same file made:
 * the store follows NatterDatabase::changed-externally and updates the
 * stored objects in place (notify per property), removes deleted ones and
 * adds new ones (items-changed), so a running window uses the new URL or
 * model at once.
 *
 * Main thread only (or one thread that owns it, as in the CLI). */

#define NATTER_TYPE_PROFILE_STORE (natter_profile_store_get_type ())
G_DECLARE_FINAL_TYPE (NatterProfileStore, natter_profile_store, NATTER, PROFILE_STORE, GObject)

/* Loads every profile from @database (blocking, small). */
NatterProfileStore *natter_profile_store_new          (NatterDatabase      *database,
                                                       GError             **error);
NatterDatabase     *natter_profile_store_get_database (NatterProfileStore  *self);

/* The stored profile called @name (case-insensitive), or NULL. Transfer none. */
NatterProfile      *natter_profile_store_lookup       (NatterProfileStore  *self,
                                                       const char          *name);
/* Transfer none; NULL when there is none. */
NatterProfile      *natter_profile_store_lookup_by_id (NatterProfileStore  *self,
                                                       gint64               id);
NatterProfile      *natter_profile_store_lookup_by_uuid (NatterProfileStore *self,
                                                         const char         *uuid);
/* The profile marked default, or NULL. Transfer none. */
NatterProfile      *natter_profile_store_get_default  (NatterProfileStore  *self);

/* Validates and inserts @profile (which must not be stored yet: id 0). On
 * success @profile itself becomes the stored object: its id and uuid are set
 * and the store holds a reference. When @profile is marked default, the
 * previous default loses the flag in the same transaction. */
gboolean            natter_profile_store_add          (NatterProfileStore  *self,
                                                       NatterProfile       *profile,
                                                       GError             **error);
/* Writes @profile, matched by id: either the stored object itself or a copy
 * from natter_profile_copy(). Same validation as add. On success the stored
 * object takes the copy's values (notify per changed property, and
 * items-changed when the sort position moves). */
gboolean            natter_profile_store_update       (NatterProfileStore  *self,
                                                       NatterProfile       *profile,
                                                       GError             **error);
/* Saves only the model of @profile (matched by id) at once: the choice made
 * in the header bar belongs to the connection. Leading and trailing blanks
 * are dropped; "" means none chosen. */
gboolean            natter_profile_store_set_model    (NatterProfileStore  *self,
                                                       NatterProfile       *profile,
                                                       const char          *model,
                                                       GError             **error);
/* Deletes the profile matched by id (stored object or copy). The caller
 * also deletes its keyring items (natter_secrets_clear() with the uuid);
 * the store does not touch the keyring. When it was the active profile,
 * the active one falls back as described at get_active. */
gboolean            natter_profile_store_remove       (NatterProfileStore  *self,
                                                       NatterProfile       *profile,
                                                       GError             **error);
/* Makes @profile (matched by id) the one default; NULL clears the flag
 * everywhere. */
gboolean            natter_profile_store_set_default  (NatterProfileStore  *self,
                                                       NatterProfile       *profile,
                                                       GError             **error);

/* The profile last chosen with set_active (persisted in app_state
 * "active-profile" by uuid), falling back to the default profile, then to
 * the first by name. NULL only when there are no profiles. Transfer none. */
NatterProfile      *natter_profile_store_get_active   (NatterProfileStore  *self);
gboolean            natter_profile_store_set_active   (NatterProfileStore  *self,
                                                       NatterProfile       *profile,
                                                       GError             **error);

/* Checks @profile without saving it (the rules add/update apply, except
 * uniqueness). Useful for live validation in edit forms. */
gboolean            natter_profile_validate           (NatterProfile       *profile,
                                                       GError             **error);

/* A proxy password never goes into the database: validation refuses a
 * proxy URL with one. This splits "http://bob:secret@host:3128" into the
 * URL without the password ("http://bob@host:3128", returned) and the
 * password (*@password, for the keyring as NATTER_SECRET_PROXY_PASSWORD;
 * NULL when the URL has none; free with natter_secrets_free()). A URL that
 * does not parse is returned as it is. */
char               *natter_proxy_url_split_password   (const char          *url,
                                                       char               **password);

G_END_DECLS
