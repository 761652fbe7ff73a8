/* natter-cli-attach.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-cli-private.h"

G_BEGIN_DECLS

#define NATTER_CLI_ATTACH_HELP N_("Attach a file: an image (PNG, JPEG, WebP, GIF), a text file or a PDF; repeat for more")

/* The files of --attach, read and checked (element-type NatterAttachment;
 * empty when @paths is NULL). Images for a model whose metadata says it
 * takes none are refused; when nothing is known a note goes to stderr.
 * NULL with *@code set (after a message on stderr) on failure. */
GPtrArray *natter_cli_load_attachments (NatterClient   *client,
                                        NatterProfile  *profile,
                                        const char     *model,
                                        char          **paths,
                                        int            *code);

/* "attachments": [{"name", "mime_type", "kind", "size", "sha256"}] of
 * @message_id, for `chat show --json`. */
void       natter_cli_add_attachments_json (JsonBuilder     *builder,
                                            NatterChatStore *store,
                                            gint64           message_id);
/* One line per attachment of @message_id, for `chat show`. */
void       natter_cli_print_attachments    (NatterChatStore *store,
                                            gint64           message_id);

G_END_DECLS
