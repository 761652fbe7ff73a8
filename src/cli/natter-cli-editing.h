/* natter-cli-editing.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "character create|set …" with argv[0] the subcommand's name. */
int natter_cli_cmd_character_create (int    argc,
                                     char **argv);
int natter_cli_cmd_character_set    (int    argc,
                                     char **argv);
/* "lorebook create|list|show|import|export|delete|attach|entry …" */
int natter_cli_cmd_lorebook         (int    argc,
                                     char **argv);
/* "persona add|list|use|delete|lock …", and the older "show|set". */
int natter_cli_cmd_personas         (int    argc,
                                     char **argv);

/* Reads an avatar image for a character or persona: a PNG file of at
 * most NATTER_CARD_MAX_FILE_SIZE bytes. NULL with an error otherwise. */
GBytes *natter_cli_read_avatar      (const char  *path,
                                     GError     **error);

G_END_DECLS
