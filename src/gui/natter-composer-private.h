/* natter-composer-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-attachment-tray.h"
#include "natter-composer.h"

G_BEGIN_DECLS

/* For tests. */
const char *natter_composer_get_disabled_reason (NatterComposer        *self);
/* The hint's button while one is shown, else NULL. */
GtkButton  *natter_composer_get_hint_button     (NatterComposer        *self);
/* The completions shown right now (tests); NULL-terminated, transfer full. */
GStrv       natter_composer_dup_completions     (NatterComposer        *self);
GtkTextView *natter_composer_get_text_view      (NatterComposer        *self);
/* Where pending attachments are shown (and their vision check is set). */
NatterAttachmentTray *natter_composer_get_attachment_tray (NatterComposer *self);

G_END_DECLS
