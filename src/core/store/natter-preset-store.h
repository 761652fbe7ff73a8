/* natter-preset-store.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-database.h"
#include "natter-preset.h"

G_BEGIN_DECLS

/* Presets: the built-in ones (a resource, read-only) and the saved ones
 * (table presets; a saved preset of a built-in's name stands in for it).
 * Which preset applies to an exchange: the chat's own, else its
 * character's, else the connection's default, else the global default,
 * else the built-in "Default". Links go by name so built-ins can be
 * chosen. Also here: the sidecar connection (app state) and the notes
 * kept beside replies and logged requests (why a reply stopped, what a
 * request was for and which settings it left out).
 *
 * "changed" (no arguments) is emitted on the main thread after a preset
 * was saved, renamed or deleted, or a chat's, a character's or the global
 * choice changed: through this store, or by another program (natter-cli)
 * on the same database file (NatterDatabase::changed-externally). */

#define NATTER_PRESET_DEFAULT_NAME "Default"

#define NATTER_TYPE_PRESET_STORE (natter_preset_store_get_type ())
G_DECLARE_FINAL_TYPE (NatterPresetStore, natter_preset_store, NATTER, PRESET_STORE, GObject)

NatterPresetStore *natter_preset_store_new               (NatterDatabase     *database);

/* element-type NatterPreset, sorted by name. */
GPtrArray         *natter_preset_store_list              (NatterPresetStore  *self,
                                                          GError            **error);
/* A new reference; NATTER_STORE_ERROR_NOT_FOUND when there is none. */
NatterPreset      *natter_preset_store_get               (NatterPresetStore  *self,
                                                          const char         *name,
                                                          GError            **error);
gboolean           natter_preset_store_is_builtin        (NatterPresetStore  *self,
                                                          const char         *name);
/* TRUE when a saved preset has this name (not only a built-in). */
gboolean           natter_preset_store_is_saved          (NatterPresetStore  *self,
                                                          const char         *name);
/* Saves under the preset's name, replacing a saved one of that name. */
gboolean           natter_preset_store_save              (NatterPresetStore  *self,
                                                          NatterPreset       *preset,
                                                          GError            **error);
/* Renames a saved preset and every choice of it; EXISTS when taken. */
gboolean           natter_preset_store_rename            (NatterPresetStore  *self,
                                                          const char         *name,
                                                          const char         *new_name,
                                                          GError            **error);
/* Deletes a saved preset and every choice of it; a built-in cannot be
 * deleted (INVALID). */
gboolean           natter_preset_store_delete            (NatterPresetStore  *self,
                                                          const char         *name,
                                                          GError            **error);

/* The global default's name (never NULL). */
char              *natter_preset_store_dup_default       (NatterPresetStore  *self);
gboolean           natter_preset_store_set_default       (NatterPresetStore  *self,
                                                          const char         *name,
                                                          GError            **error);
/* The preset a chat or a character chose, or NULL. */
char              *natter_preset_store_dup_chat_preset   (NatterPresetStore  *self,
                                                          gint64              chat_id);
char              *natter_preset_store_dup_character_preset (NatterPresetStore *self,
                                                             gint64             character_id);
/* @name NULL forgets the choice. The preset must exist. */
gboolean           natter_preset_store_set_chat_preset   (NatterPresetStore  *self,
                                                          gint64              chat_id,
                                                          const char         *name,
                                                          GError            **error);
gboolean           natter_preset_store_set_character_preset (NatterPresetStore *self,
                                                             gint64             character_id,
                                                             const char        *name,
                                                             GError           **error);
/* The preset that applies (see above). @connection_preset: the profile's
 * "preset" setting, nullable. @source (out, nullable): "chat",
 * "character", "connection", "default". A choice naming a preset that no
 * longer exists is passed over. */
NatterPreset      *natter_preset_store_resolve           (NatterPresetStore  *self,
                                                          gint64              chat_id,
                                                          gint64              character_id,
                                                          const char         *connection_preset,
                                                          const char        **source,
                                                          GError            **error);

/* The sidecar: a profile name and an optional model, or NULL. */
gboolean           natter_preset_store_get_sidecar       (NatterPresetStore  *self,
                                                          char              **profile,
                                                          char              **model);
/* @profile NULL clears it. */
gboolean           natter_preset_store_set_sidecar       (NatterPresetStore  *self,
                                                          const char         *profile,
                                                          const char         *model,
                                                          GError            **error);

/* Why the selected swipe of @message_id stopped ("stop", "length",
 * "refusal", "content_filter", …), or NULL. */
gboolean           natter_preset_store_set_finish_reason (NatterPresetStore  *self,
                                                          gint64              message_id,
                                                          const char         *reason,
                                                          GError            **error);
char              *natter_preset_store_dup_finish_reason (NatterPresetStore  *self,
                                                          gint64              message_id);
/* What a logged request was for ("chat", "sidecar-title",
 * "sidecar-summary") and which settings it did not send. */
gboolean           natter_preset_store_note_request      (NatterPresetStore  *self,
                                                          gint64              log_id,
                                                          const char         *purpose,
                                                          const char * const *dropped,
                                                          GError            **error);
/* FALSE when there is no note. @dropped: a JSON array text. */
gboolean           natter_preset_store_get_request_note  (NatterPresetStore  *self,
                                                          gint64              log_id,
                                                          char              **purpose,
                                                          char              **dropped);
/* Notes that the lorebook's regular expression keys ran out of their time
 * budget while the prompt of logged request @log_id was assembled (some
 * were skipped); kept with the request's note. */
gboolean           natter_preset_store_note_lore_time_out (NatterPresetStore *self,
                                                           gint64             log_id,
                                                           GError           **error);
gboolean           natter_preset_store_get_lore_time_out (NatterPresetStore  *self,
                                                          gint64              log_id);

G_END_DECLS
