/* natter-cli-util.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-cli-private.h"
#include "natter-json.h"
#include "natter-secrets.h"
#include "natter-transport.h"

void
engine_clear (Engine *engine)
{
  g_clear_object (&engine->conv);
  g_clear_object (&engine->store);
  g_clear_object (&engine->client);
  g_clear_object (&engine->log);
  g_clear_object (&engine->profiles);
  g_clear_object (&engine->database);
}

int
fail (int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  g_printerr ("natter-cli: %s\n", message);
  return code;
}

int
exit_code_for_category (NatterErrorCategory category)
{
  switch (category)
    {
    case NATTER_ERROR_CATEGORY_AUTH:
      return EXIT_AUTH;
    case NATTER_ERROR_CATEGORY_NETWORK:
    case NATTER_ERROR_CATEGORY_TIMEOUT:
    case NATTER_ERROR_CATEGORY_TLS:
      return EXIT_NETWORK;
    case NATTER_ERROR_CATEGORY_CANCELLED:
      return EXIT_CANCELLED;
    default:
      return EXIT_PROVIDER;
    }
}

/* One line on stderr, "natter-cli: <category in words>: <message>", and
 * the exit code for it. */
int
fail_with_error (const GError *error)
{
  if (error->domain == NATTER_REQUEST_ERROR)
    {
      const char *words = natter_error_category_describe (error->code);

      if (error->message == NULL || *error->message == '\0' ||
          g_str_has_prefix (error->message, words))
        return fail (exit_code_for_category (error->code), "%s",
                     *error->message ? error->message : words);
      return fail (exit_code_for_category (error->code), "%s: %s", words, error->message);
    }
  /* Found before anything was sent: not the provider's answer. */
  if (g_error_matches (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_MODEL))
    /* TRANSLATORS: %s is "Profile “NAME” has no model: choose one" */
    return fail (EXIT_LOCAL, _("%s with --model or natter-cli profile add … --model"),
                 error->message);
  return fail (EXIT_LOCAL, "%s", error->message);
}

gboolean
engine_open (Engine  *engine,
             GError **error)
{
  engine->database = natter_database_open_default (error);
  if (engine->database == NULL)
    return FALSE;
  engine->profiles = natter_profile_store_new (engine->database, error);
  if (engine->profiles == NULL)
    return FALSE;
  engine->log = natter_request_log_new (engine->database, error);
  if (engine->log == NULL)
    return FALSE;
  engine->client = natter_client_new (engine->database, engine->profiles, engine->log);
  return TRUE;
}

/* Opens the database and the chat store; with @with_client also the
 * profiles, the request log, the client and the conversation engine. */
gboolean
engine_open_chats (Engine   *engine,
                   gboolean  with_client,
                   GError  **error)
{
  if (with_client)
    {
      if (!engine_open (engine, error))
        return FALSE;
      engine->store = natter_chat_store_new (engine->database);
      engine->conv = natter_conversation_new (engine->store, engine->client);
      return TRUE;
    }
  engine->database = natter_database_open_default (error);
  if (engine->database == NULL)
    return FALSE;
  engine->store = natter_chat_store_new (engine->database);
  return TRUE;
}

/* A chat or message id from the command line. */
gboolean
cli_parse_id (const char *text,
          gint64     *id,
          int        *exit_code)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      *exit_code = fail (EXIT_USAGE, _("“%s” is not an id (a positive number)"), text);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

/* A character by name (case-insensitive), or by id when @name is a number
 * no character is called. */
NatterCharacterRow *
cli_lookup_character (Engine     *engine,
                  const char *name,
                  int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  NatterCharacterRow *row;
  guint64 id;

  row = natter_chat_store_lookup_character (engine->store, name, &error);
  if (row != NULL)
    return row;
  if (g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT64, &id, NULL))
    {
      row = natter_chat_store_get_character (engine->store, (gint64) id, NULL);
      if (row != NULL)
        return row;
    }
  *exit_code = fail_with_error (error);
  return NULL;
}

NatterProfile *
cli_pick_profile (Engine     *engine,
              const char *name,
              int        *exit_code)
{
  NatterProfile *profile;

  if (name != NULL)
    {
      profile = natter_profile_store_lookup (engine->profiles, name);
      if (profile == NULL)
        *exit_code = fail (EXIT_LOCAL, _("No profile named “%s”"), name);
      return profile;
    }
  profile = natter_profile_store_get_active (engine->profiles);
  if (profile == NULL)
    *exit_code = fail (EXIT_LOCAL, _("No profile yet: add one with “natter-cli profile add”"));
  return profile;
}

gboolean
cli_write_file (const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_file_set_contents (path, data != NULL ? data : "", len, error);
}

/* JSON output */

void
cli_print_json_node (JsonNode *root)
{
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

void
json_add_string (JsonBuilder *builder,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
json_add_int (JsonBuilder *builder,
              const char  *name,
              gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
json_add_bool (JsonBuilder *builder,
               const char  *name,
               gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
json_begin_made_object (JsonBuilder *builder,
                        const char  *type,
                        gint64       id,
                        const char  *name)
{
  json_builder_begin_object (builder);
  json_add_string (builder, "type", type);
  json_add_int (builder, "id", id);
  json_add_string (builder, "name", name);
}

/* Milliseconds, null when unknown (negative). */
void
json_add_ms (JsonBuilder *builder,
             const char  *name,
             gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* A member that is JSON text parsed (or the text as a string when it is
 * not JSON; null for NULL). */
void
json_add_json_text (JsonBuilder *builder,
                    const char  *name,
                    const char  *text,
                    gssize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (builder, name);
  if (text == NULL)
    json_builder_add_null_value (builder);
  else if (natter_json_parser_load (parser, text, len, NULL) &&
           json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else if (len < 0)
    json_builder_add_string_value (builder, text);
  else
    {
      g_autofree char *copy = g_strndup (text, len);
      json_builder_add_string_value (builder, copy);
    }
}

/* Parses options of one command; --help prints and exits. */
gboolean
parse_options (const char    *parameter,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv,
               int           *exit_code)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _(EXIT_CODES_HELP));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = fail (EXIT_USAGE, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
parse_options_no_args (const char    *parameter,
                       const char    *summary,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv,
                       int           *exit_code)
{
  if (!parse_options (parameter, summary, entries, argc, argv, exit_code))
    return FALSE;
  if (*argc > 1)
    {
      *exit_code = fail (EXIT_USAGE, _("Unexpected argument “%s”"), (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

gboolean
parse_options_one_arg (const char    *parameter,
                       const char    *summary,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv,
                       const char    *expected,
                       int           *exit_code)
{
  if (!parse_options (parameter, summary, entries, argc, argv, exit_code))
    return FALSE;
  if (*argc != 2)
    {
      *exit_code = fail (EXIT_USAGE, "%s", expected);
      return FALSE;
    }
  return TRUE;
}

void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

/* Reads all of stdin. */
char *
read_stdin (gsize *len)
{
  GString *buffer = g_string_new (NULL);
  char chunk[4096];
  size_t n;

  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_string_append_len (buffer, chunk, n);
  explicit_bzero (chunk, sizeof chunk);
  if (len != NULL)
    *len = buffer->len;
  return g_string_free (buffer, FALSE);
}

/* A key from stdin without one trailing newline; NULL with @error when empty. */
char *
read_key_from_stdin (GError **error)
{
  gsize len;
  char *key = read_stdin (&len);

  if (len > 0 && key[len - 1] == '\n')
    key[--len] = '\0';
  if (len > 0 && key[len - 1] == '\r')
    key[--len] = '\0';
  if (len == 0 || strchr (key, '\n') != NULL)
    {
      natter_secrets_free (key);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Expected the API key on standard input (one line)"));
      return NULL;
    }
  return key;
}

void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
sigint_cb (gpointer user_data)
{
  Wait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_CONTINUE;
}

void
wait_run (Wait *wait)
{
  guint sig = g_unix_signal_add (SIGINT, sigint_cb, wait);
  guint sig_term = g_unix_signal_add (SIGTERM, sigint_cb, wait);

  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sig);
  g_source_remove (sig_term);
}

void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  g_clear_object (&wait->cancellable);
}


NatterProfile *
lookup_profile (Engine     *engine,
                const char *name,
                int        *code)
{
  NatterProfile *profile = natter_profile_store_lookup (engine->profiles, name);

  if (profile == NULL)
    *code = fail (EXIT_LOCAL, _("No profile called “%s” (see “natter-cli profile list”)"), name);
  return profile;
}

void
warn_if_key_in_clear (NatterClient  *client,
                      NatterProfile *profile)
{
  g_autofree char *url = NULL;

  if (!natter_client_resolve (client, profile, NULL, NULL, &url, NULL) ||
      !natter_transport_url_is_cleartext_public (url) ||
      natter_client_key_source (client, profile) == NATTER_KEY_SOURCE_NONE)
    return;

  g_printerr (_("Warning: the API key of “%s” goes to %s over plain http://, readable by anyone "
                "on the way; use https:// unless this server is on your own network\n"),
              natter_profile_get_name (profile), url);
}

/* One line from the terminal with echo off, @prompt on standard error. */
static char *
read_line_unechoed (const char *prompt)
{
  struct termios saved, quiet;
  gboolean restore;
  GString *line = g_string_new (NULL);
  int c;

  g_printerr ("%s", prompt);
  restore = tcgetattr (STDIN_FILENO, &saved) == 0;
  if (restore)
    {
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  while ((c = fgetc (stdin)) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (restore)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);

  return g_string_free (line, FALSE);
}

char *
read_proxy_password (const char  *proxy_url,
                     GError     **error)
{
  g_autofree char *prompt = NULL;
  char *password;

  if (!isatty (STDIN_FILENO))
    {
      gsize len;

      password = read_stdin (&len);
      if (len > 0 && password[len - 1] == '\n')
        password[--len] = '\0';
      if (len > 0 && password[len - 1] == '\r')
        password[--len] = '\0';
      if (len == 0 || strchr (password, '\n') != NULL)
        {
          natter_secrets_free (password);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Expected the proxy password on standard input (one line)"));
          return NULL;
        }
      return password;
    }

  /* Translators: %s is a proxy URL, http://user@host:port */
  prompt = g_strdup_printf (_("Password for the proxy %s: "), proxy_url);
  password = read_line_unechoed (prompt);
  if (*password == '\0')
    {
      natter_secrets_free (password);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No proxy password was entered"));
      return NULL;
    }
  return password;
}
