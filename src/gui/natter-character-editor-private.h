/* natter-character-editor-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-character-editor.h"

G_BEGIN_DECLS

/* For tests: the control editing @field ("description", "name", "tags",
 * …): a GtkTextView or a GtkEditable; for "alternate_greetings" and
 * "group_only_greetings" the GtkListBox of greetings, for "assets" the
 * GtkListBox of assets. */
GtkWidget *natter_character_editor_get_field_widget (NatterCharacterEditor *self,
                                                     const char            *field);
/* The token count shown for @field ("total": the whole card). */
gint64     natter_character_editor_get_tokens       (NatterCharacterEditor *self,
                                                     const char            *field);
/* Takes @png as the chosen avatar, cropped to 2:3 as a chosen file is. */
gboolean   natter_character_editor_set_avatar_file  (NatterCharacterEditor *self,
                                                     const char            *path,
                                                     GError               **error);
/* What choosing @path in "Choose Image…" does: the crop dialog opens. */
void       natter_character_editor_choose_avatar_file (NatterCharacterEditor *self,
                                                       const char            *path);
GBytes    *natter_character_editor_get_avatar       (NatterCharacterEditor *self);

G_END_DECLS
