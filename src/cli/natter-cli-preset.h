/* natter-cli-preset.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-cli-private.h"
#include "natter-conversation.h"
#include "natter-dialect.h"
#include "natter-preset-store.h"

G_BEGIN_DECLS

/* "preset list|show|import|export|set|use|delete|rename|copy …" */
int      natter_cli_cmd_preset          (int             argc,
                                         char          **argv);
/* "sidecar set PROFILE [--model M] | show [--json] | clear" */
int      natter_cli_cmd_sidecar         (int             argc,
                                         char          **argv);
/* "chat continue CHAT_ID [-p PROFILE]" */
int      natter_cli_cmd_chat_continue   (int             argc,
                                         char          **argv);

/* For other commands. */

/* Runs the main context until @conv's sidecar work is done. */
void     natter_cli_wait_background     (NatterConversation *conv);
/* Gives @conv the sidecar connection set with "sidecar set", if any. */
void     natter_cli_setup_sidecar       (Engine             *engine,
                                         NatterConversation *conv);

/* --preset of "chat new" and "chat send": remembers @name as the chat's
 * preset. Prints why and returns FALSE when there is no such preset. */
gboolean natter_cli_set_chat_preset     (NatterDatabase *database,
                                         gint64          chat_id,
                                         const char     *name,
                                         int            *code);
/* --preset of the one-shot "chat": the preset's sampling and reasoning in
 * @params for @profile's provider, and its main prompt as *@system when
 * that is NULL. Prints what is not sent on standard error. */
gboolean natter_cli_apply_preset_params (Engine         *engine,
                                         NatterProfile  *profile,
                                         const char     *name,
                                         NatterGenParams *params,
                                         char          **system,
                                         int            *code);
/* --preset and --reasoning of "profile add|update" into the profile's
 * settings ("" removes them). */
gboolean natter_cli_apply_profile_options (Engine        *engine,
                                           NatterProfile *profile,
                                           const char    *preset,
                                           const char    *reasoning,
                                           int           *code);
/* "preset" and "reasoning" members of a profile's JSON. */
void     natter_cli_add_profile_preset_json (JsonBuilder   *builder,
                                             NatterProfile *profile);
/* "finish_reason" of a message in "chat show --json". */
void     natter_cli_add_finish_reason   (JsonBuilder    *builder,
                                         NatterDatabase *database,
                                         gint64          message_id);
/* "purpose" and "dropped" of a logged request in "inspect last --json". */
void     natter_cli_add_request_note    (JsonBuilder    *builder,
                                         NatterDatabase *database,
                                         gint64          log_id);
/* "Sent for" and "Not sent" lines of "inspect last". */
void     natter_cli_print_request_note  (NatterDatabase *database,
                                         gint64          log_id);
/* "dropped" (and the preset's name) in "prompt --json". */
void     natter_cli_add_dropped         (JsonBuilder    *builder,
                                         GStrv           dropped);

G_END_DECLS
