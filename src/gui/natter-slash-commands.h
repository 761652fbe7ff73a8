/* natter-slash-commands.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NATTER_SLASH_ERROR (natter_slash_error_quark ())

typedef enum
{
  NATTER_SLASH_ERROR_UNKNOWN_COMMAND,
  NATTER_SLASH_ERROR_MISSING_ARGUMENT,
  NATTER_SLASH_ERROR_UNEXPECTED_ARGUMENT,
  NATTER_SLASH_ERROR_NO_SUCH_PROFILE,
  NATTER_SLASH_ERROR_FAILED,
} NatterSlashError;

GQuark natter_slash_error_quark (void);

typedef enum
{
  NATTER_SLASH_NONE,            /* not a command: send the text */
  NATTER_SLASH_PROFILE,
  NATTER_SLASH_PROFILE_LIST,
  NATTER_SLASH_PROFILE_CREATE,
  NATTER_SLASH_PROFILE_UPDATE,
  NATTER_SLASH_HELP,
  NATTER_SLASH_PRESET,
  NATTER_SLASH_PRESET_LIST,
  NATTER_SLASH_CONTINUE,
} NatterSlashCommand;

/* What the commands act on; the window implements it over the profile
 * store, tests over a plain list. Functions run on the caller's thread.
 * list_profiles returns a new NULL-terminated array of names in display
 * order; get_active a new string or NULL when there is no profile;
 * the others set @error with a message for people on failure. */
typedef struct
{
  char     **(*list_profiles)  (gpointer     user_data);
  char      *(*get_active)     (gpointer     user_data);
  gboolean   (*set_active)     (gpointer     user_data,
                                const char  *name,
                                GError     **error);
  gboolean   (*create_profile) (gpointer     user_data,
                                const char  *name,
                                GError     **error);
  gboolean   (*update_profile) (gpointer     user_data,
                                GError     **error);
  /* Presets and Continue; a host without them (NULL) says so. list_presets
   * returns a new NULL-terminated array; get_preset the chat's preset, or
   * NULL when it uses the default. */
  char     **(*list_presets)   (gpointer     user_data);
  char      *(*get_preset)     (gpointer     user_data);
  gboolean   (*set_preset)     (gpointer     user_data,
                                const char  *name,
                                GError     **error);
  gboolean   (*continue_reply) (gpointer     user_data,
                                GError     **error);
} NatterSlashHost;

/* Parses @text. Returns NATTER_SLASH_NONE (and no error) when @text is a
 * message to send: it does not start with "/", or starts with "//" (then
 * @argument is the text with one "/" removed). Otherwise the command, with
 * its argument (trimmed; NULL when none) in @argument; on an unknown command
 * or a missing or unexpected argument, NATTER_SLASH_NONE and @error. */
NatterSlashCommand  natter_slash_parse       (const char             *text,
                                              char                  **argument,
                                              GError                **error);
/* Runs @text against @host. Returns the note to show in the chat (never
 * sent to the model), or NULL with @error whose message is the note for a
 * failure. Returns NULL and no error when @text is not a command. */
char               *natter_slash_execute     (const NatterSlashHost  *host,
                                              gpointer                user_data,
                                              const char             *text,
                                              GError                **error);
/* Completions for what is typed so far: full replacement texts such as
 * "/profile-list" or "/profile Work", in order. Empty when @text is not the
 * start of a command. */
GStrv               natter_slash_complete    (const NatterSlashHost  *host,
                                              gpointer                user_data,
                                              const char             *text);
/* One line per command: "/profile [name] — …" (translated). */
char               *natter_slash_help_text   (void);

G_END_DECLS
