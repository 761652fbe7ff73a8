/* natter-st-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-st-chat"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-st-chat.h"
#include "natter-st-chat-private.h"
#include "natter-json-writer.h"
#include "natter-json.h"

#define HEADER_KEY "sillytavern_header"

G_DEFINE_QUARK (natter-st-chat-error-quark, natter_st_chat_error)

static inline void
stmt_reset (sqlite3_stmt **stmt)
{
  if (*stmt != NULL)
    sqlite3_reset (*stmt);
}
#define AUTO_RESET __attribute__((cleanup (stmt_reset)))

/* ---- dates ------------------------------------------------------------- */

static const char * const month_names[] = {
  "january", "february", "march", "april", "may", "june", "july",
  "august", "september", "october", "november", "december",
};

/* SillyTavern has written send_date as milliseconds, as ISO 8601 and as
 * "October 21, 2023 2:32pm". Returns unix seconds, or -1. */
static gint64
parse_st_date (JsonNode *node)
{
  const char *str;
  char month[16], ampm[3] = "";
  int day, year, hour, minute;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) / 1000;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return natter_json_clamp_int (json_node_get_double (node) / 1000, G_MININT64, G_MAXINT64);
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return -1;

  str = json_node_get_string (node);

  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (str, utc);

    if (dt != NULL)
      return g_date_time_to_unix (dt);
  }

  if (sscanf (str, "%15s %d, %d %d:%d%2s", month, &day, &year, &hour, &minute, ampm) >= 5)
    {
      for (guint m = 0; m < G_N_ELEMENTS (month_names); m++)
        {
          if (g_ascii_strcasecmp (month, month_names[m]) == 0)
            {
              g_autoptr(GDateTime) dt = NULL;

              if (g_ascii_strcasecmp (ampm, "pm") == 0 && hour < 12)
                hour += 12;
              else if (g_ascii_strcasecmp (ampm, "am") == 0 && hour == 12)
                hour = 0;
              dt = g_date_time_new_local (year, m + 1, day, hour, minute, 0);
              return dt ? g_date_time_to_unix (dt) : -1;
            }
        }
    }

  return -1;
}

static char *
format_iso_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.000Z");
}

/* ---- import ------------------------------------------------------------ */

static gboolean
line_error (GError     **error,
            guint        line,
            const char  *problem)
{
  g_set_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID,
               /* Translators: "Line 3 of the chat file: “mes” must be text." */
               _("Line %u of the chat file: %s Nothing was imported."), line, problem);
  return FALSE;
}

typedef struct
{
  NatterRole   role;
  const char  *name;
  gint64       created_at;
  char        *extra;       /* the whole line, as JSON text */
  GPtrArray   *swipes;      /* const char * */
  GPtrArray   *infos;       /* char * JSON or NULL */
  GArray      *swipe_dates; /* gint64 */
  guint        swipe_index;
  const char  *reasoning;
  const char  *model;
} ParsedMessage;

static gboolean
check_type (JsonObject  *object,
            const char  *member,
            GType        value_type,
            JsonNodeType node_type,
            guint        line,
            const char  *problem,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (node_type == JSON_NODE_VALUE &&
      (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == value_type))
    return TRUE;
  if (node_type != JSON_NODE_VALUE && JSON_NODE_TYPE (node) == node_type)
    return TRUE;

  return line_error (error, line, problem);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  return NULL;
}

static gboolean
bool_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static gboolean
parse_message (JsonNode       *root,
               const char     *line_text,
               guint           line,
               gint64          fallback_date,
               ParsedMessage  *msg,
               GError        **error)
{
  JsonObject *object = json_node_get_object (root);
  JsonObject *extra = NULL;
  JsonArray *swipes = NULL;
  JsonArray *infos = NULL;

  if (!json_object_has_member (object, "mes"))
    return line_error (error, line, _("the message has no “mes” (its text)."));
  if (!check_type (object, "mes", G_TYPE_STRING, JSON_NODE_VALUE, line,
                   _("“mes” must be text."), error) ||
      !check_type (object, "name", G_TYPE_STRING, JSON_NODE_VALUE, line,
                   _("“name” must be text."), error) ||
      !check_type (object, "is_user", G_TYPE_BOOLEAN, JSON_NODE_VALUE, line,
                   _("“is_user” must be true or false."), error) ||
      !check_type (object, "is_system", G_TYPE_BOOLEAN, JSON_NODE_VALUE, line,
                   _("“is_system” must be true or false."), error) ||
      !check_type (object, "swipes", 0, JSON_NODE_ARRAY, line,
                   _("“swipes” must be a list of texts."), error) ||
      !check_type (object, "swipe_info", 0, JSON_NODE_ARRAY, line,
                   _("“swipe_info” must be a list."), error))
    return FALSE;

  if (bool_member (object, "is_system"))
    msg->role = NATTER_ROLE_SYSTEM;
  else if (bool_member (object, "is_user"))
    msg->role = NATTER_ROLE_USER;
  else
    msg->role = NATTER_ROLE_ASSISTANT;

  msg->name = string_member (object, "name");
  msg->created_at = parse_st_date (json_object_get_member (object, "send_date"));
  if (msg->created_at < 0)
    msg->created_at = fallback_date;
  msg->extra = g_strdup (line_text);
  msg->swipes = g_ptr_array_new ();
  msg->infos = g_ptr_array_new_with_free_func (g_free);
  msg->swipe_dates = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (json_object_has_member (object, "extra") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "extra")))
    {
      extra = json_object_get_object_member (object, "extra");
      msg->reasoning = string_member (extra, "reasoning");
      msg->model = string_member (extra, "model");
    }

  if (json_object_has_member (object, "swipes"))
    swipes = json_object_get_array_member (object, "swipes");
  if (json_object_has_member (object, "swipe_info"))
    infos = json_object_get_array_member (object, "swipe_info");

  if (swipes != NULL && json_array_get_length (swipes) > 0)
    {
      JsonNode *id_node = json_object_get_member (object, "swipe_id");

      for (guint i = 0; i < json_array_get_length (swipes); i++)
        {
          JsonNode *node = json_array_get_element (swipes, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return line_error (error, line, _("“swipes” must be a list of texts."));
          g_ptr_array_add (msg->swipes, (gpointer) json_node_get_string (node));
        }

      if (id_node != NULL)
        {
          if (!JSON_NODE_HOLDS_VALUE (id_node) || json_node_get_value_type (id_node) != G_TYPE_INT64 ||
              json_node_get_int (id_node) < 0 || json_node_get_int (id_node) >= (gint64) msg->swipes->len)
            return line_error (error, line, _("“swipe_id” must be the number of one of the “swipes”."));
          msg->swipe_index = json_node_get_int (id_node);
        }
      /* What SillyTavern shows is "mes". */
      msg->swipes->pdata[msg->swipe_index] = (gpointer) json_node_get_string (json_object_get_member (object, "mes"));
    }
  else
    g_ptr_array_add (msg->swipes, (gpointer) json_node_get_string (json_object_get_member (object, "mes")));

  for (guint i = 0; i < msg->swipes->len; i++)
    {
      JsonNode *info = infos && i < json_array_get_length (infos) ? json_array_get_element (infos, i) : NULL;
      gint64 date = msg->created_at;

      if (info != NULL)
        {
          g_ptr_array_add (msg->infos, json_to_string (info, FALSE));
          if (JSON_NODE_HOLDS_OBJECT (info))
            {
              gint64 d = parse_st_date (json_object_get_member (json_node_get_object (info), "send_date"));
              if (d >= 0)
                date = d;
            }
        }
      else
        g_ptr_array_add (msg->infos, NULL);
      g_array_append_val (msg->swipe_dates, date);
    }

  return TRUE;
}

static void
parsed_message_clear (ParsedMessage *msg)
{
  g_clear_pointer (&msg->extra, g_free);
  g_clear_pointer (&msg->swipes, g_ptr_array_unref);
  g_clear_pointer (&msg->infos, g_ptr_array_unref);
  g_clear_pointer (&msg->swipe_dates, g_array_unref);
}

static gboolean
insert_message (NatterDatabase  *db,
                gint64           chat_id,
                gint64           position,
                ParsedMessage   *msg,
                GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 message_id;

  if (!(stmt = natter_database_prepare (db,
                                        "INSERT INTO messages (chat_id, position, role, name, created_at,"
                                        " swipe_index, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, position);
  sqlite3_bind_text (stmt, 3, natter_role_to_string (msg->role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, msg->name ? msg->name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, msg->created_at);
  sqlite3_bind_int (stmt, 6, msg->swipe_index);
  sqlite3_bind_text (stmt, 7, msg->extra, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return natter_database_set_error (db, error, _("Could not import the chat"));
    }
  sqlite3_reset (stmt);
  message_id = sqlite3_last_insert_rowid (natter_database_get_handle (db));

  if (!(stmt = natter_database_prepare (db,
                                        "INSERT INTO swipes (message_id, idx, content, reasoning, state,"
                                        " model, created_at, extra) VALUES (?1, ?2, ?3, ?4, 'complete', ?5, ?6, ?7)",
                                        error)))
    return FALSE;

  for (guint i = 0; i < msg->swipes->len; i++)
    {
      const char *info = g_ptr_array_index (msg->infos, i);
      JsonNode *info_node = NULL;
      const char *reasoning = NULL;
      g_autoptr(JsonParser) parser = NULL;

      if (i == msg->swipe_index)
        reasoning = msg->reasoning;
      else if (info != NULL)
        {
          /* Other swipes keep their reasoning in swipe_info[i].extra. */
          parser = json_parser_new ();
          if (natter_json_parser_load (parser, info, -1, NULL) &&
              (info_node = json_parser_get_root (parser)) != NULL &&
              JSON_NODE_HOLDS_OBJECT (info_node))
            {
              JsonObject *o = json_node_get_object (info_node);

              if (json_object_has_member (o, "extra") &&
                  JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "extra")))
                reasoning = string_member (json_object_get_object_member (o, "extra"), "reasoning");
            }
        }

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, message_id);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, g_ptr_array_index (msg->swipes, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, reasoning ? reasoning : "", -1, SQLITE_TRANSIENT);
      if (i == msg->swipe_index && msg->model != NULL)
        sqlite3_bind_text (stmt, 5, msg->model, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 5);
      sqlite3_bind_int64 (stmt, 6, g_array_index (msg->swipe_dates, gint64, i));
      /* No swipe_info entry: '' tells export there was none. */
      sqlite3_bind_text (stmt, 7, info ? info : "", -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return natter_database_set_error (db, error, _("Could not import the chat"));
        }
    }
  sqlite3_reset (stmt);

  return TRUE;
}

static char *
title_from_header (JsonObject *header)
{
  const char *character = header ? string_member (header, "character_name") : NULL;
  const char *date = header ? string_member (header, "create_date") : NULL;

  if (character != NULL && date != NULL)
    return g_strdup_printf ("%s – %s", character, date);
  if (character != NULL)
    return g_strdup (character);

  return g_strdup (_("Imported chat"));
}

gint64
natter_st_chat_import_data (NatterChatStore  *store,
                            const char       *data,
                            gssize            len,
                            gint64            character_id,
                            const char       *title,
                            GError          **error)
{
  NatterDatabase *db;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) header = NULL;
  g_autofree char *default_title = NULL;
  g_autofree char *metadata = NULL;
  const char *p, *end;
  sqlite3_stmt *stmt;
  gint64 chat_id = 0;
  gint64 position = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint line = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);

  db = natter_chat_store_get_database (store);
  if (data == NULL)
    data = "";
  if (len < 0)
    len = strlen (data);
  end = data + len;

  /* A byte order mark some editors add. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    data += 3;

  if (!natter_database_begin (db, error))
    return 0;

  for (p = data; p < end; )
    {
      const char *nl = memchr (p, '\n', MIN ((gsize) (end - p), (gsize) NATTER_ST_CHAT_MAX_LINE + 1));
      const char *line_end = nl ? nl : end;
      g_autofree char *text = NULL;
      g_autoptr(GError) json_error = NULL;
      JsonNode *root;

      line++;
      /* Checked before anything is copied: a line of a gigabyte must not
       * cost gigabytes. */
      if ((gsize) (line_end - p) > NATTER_ST_CHAT_MAX_LINE)
        {
          g_autofree char *problem =
            g_strdup_printf (_("the line is longer than %u MiB."),
                             (guint) (NATTER_ST_CHAT_MAX_LINE / (1024 * 1024)));
          line_error (error, line, problem);
          goto fail;
        }
      if (!g_utf8_validate_len (p, line_end - p, NULL))
        {
          line_error (error, line, _("the text is not valid UTF-8."));
          goto fail;
        }
      text = g_strndup (p, line_end - p);
      p = nl ? nl + 1 : end;
      g_strstrip (text);
      if (text[0] == '\0')
        continue;

      /* json-glib reads some escapes that are not JSON into bytes that are
       * not UTF-8 (and would come back out in an export): refused first. */
      if (!natter_json_check_escapes (text, -1, &json_error) ||
          !natter_json_parser_load (parser, text, -1, &json_error))
        {
          g_autofree char *problem = g_strdup_printf (_("not valid JSON (%s)."), json_error->message);
          line_error (error, line, problem);
          goto fail;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          line_error (error, line, _("each line must be a JSON object."));
          goto fail;
        }
      if (!natter_json_numbers_are_finite (root))
        {
          line_error (error, line, _("it has a number too large to keep."));
          goto fail;
        }
      if (!natter_json_strings_are_utf8 (root))
        {
          line_error (error, line, _("it has text that is not valid UTF-8."));
          goto fail;
        }

      if (first)
        {
          JsonObject *object = json_node_get_object (root);
          g_autoptr(JsonObject) meta = json_object_new ();
          g_autoptr(JsonNode) meta_node = json_node_new (JSON_NODE_OBJECT);

          first = FALSE;

          if (!json_object_has_member (object, "mes"))
            header = json_object_ref (object);

          json_object_set_member (meta, HEADER_KEY,
                                  header ? json_node_copy (root) : json_node_new (JSON_NODE_NULL));
          json_node_set_object (meta_node, meta);
          metadata = json_to_string (meta_node, FALSE);

          if (title == NULL)
            title = default_title = title_from_header (header);

          if (!(stmt = natter_database_prepare (db,
                                                "INSERT INTO chats (character_id, title, created_at, updated_at,"
                                                " metadata) VALUES (?1, ?2, ?3, ?3, ?4)", error)))
            goto fail;
          if (character_id != 0)
            sqlite3_bind_int64 (stmt, 1, character_id);
          sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, now);
          sqlite3_bind_text (stmt, 4, metadata, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            {
              sqlite3_reset (stmt);
              natter_database_set_error (db, error, _("Could not import the chat"));
              goto fail;
            }
          sqlite3_reset (stmt);
          chat_id = sqlite3_last_insert_rowid (natter_database_get_handle (db));

          if (header != NULL)
            continue;
        }

      {
        ParsedMessage msg = { 0 };
        gboolean ok;

        ok = parse_message (root, text, line, now, &msg, error) &&
             insert_message (db, chat_id, position++, &msg, error);
        parsed_message_clear (&msg);
        if (!ok)
          goto fail;
      }
    }

  if (first)
    {
      natter_database_rollback (db);
      g_set_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_EMPTY,
                   _("The chat file is empty."));
      return 0;
    }

  if (!natter_database_commit (db, error))
    return 0;

  return chat_id;

fail:
  natter_database_rollback (db);
  return 0;
}

gint64
natter_st_chat_import_file (NatterChatStore  *store,
                            const char       *path,
                            gint64            character_id,
                            const char       *title,
                            GError          **error)
{
  g_autoptr(GMappedFile) file = NULL;
  gint64 chat_id;
  gsize len;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), 0);
  g_return_val_if_fail (path != NULL, 0);

  /* Mapped, not read: a huge file costs no memory of its own, and the
   * line cap stops the import long before the end of a hostile one. */
  if ((file = g_mapped_file_new (path, FALSE, error)) == NULL)
    return 0;
  len = g_mapped_file_get_length (file);
  if (len > G_MAXSSIZE)
    {
      g_set_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID,
                   _("The chat file is too large."));
      return 0;
    }

  chat_id = natter_st_chat_import_data (store, len > 0 ? g_mapped_file_get_contents (file) : "",
                                        (gssize) len, character_id, title, error);
  if (chat_id != 0)
    _natter_st_chat_import_attachments (store, chat_id, path);
  return chat_id;
}

/* ---- export ------------------------------------------------------------ */

static JsonObject *
object_from_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text != NULL && text[0] != '\0' &&
      natter_json_parser_load (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));

  return json_object_new ();
}

static void
append_object_line (GString    *out,
                    JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  /* Written as SillyTavern's JSON.stringify would: json-glib turns a large
   * number such as 1e+100 into "1e+100.0", which no JSON reader accepts. */
  json_node_set_object (node, object);
  natter_json_write (out, node, 0);
  g_string_append_c (out, '\n');
}

typedef struct
{
  gint64      id;
  NatterRole  role;
  char       *name;
  gint64      created_at;
  guint       swipe_index;
  JsonObject *object;
  JsonArray  *swipes;      /* contents */
  JsonArray  *infos;       /* swipe_info entries */
  char       *reasoning;   /* of the selected swipe */
  char       *model;
  char       *content;
} ExportMessage;

static void
export_message_clear (ExportMessage *m)
{
  g_clear_pointer (&m->name, g_free);
  g_clear_pointer (&m->object, json_object_unref);
  g_clear_pointer (&m->swipes, json_array_unref);
  g_clear_pointer (&m->infos, json_array_unref);
  g_clear_pointer (&m->reasoning, g_free);
  g_clear_pointer (&m->model, g_free);
  g_clear_pointer (&m->content, g_free);
  m->id = 0;
}

/* Natter's values go over the original object. A message that came from a
 * SillyTavern file only gets the keys it had (or that now say something),
 * so the line comes back as it was; a message made in Natter gets every
 * key SillyTavern writes. */
static void
write_message (GString       *out,
               ExportMessage *m)
{
  JsonObject *o = m->object;
  guint n = json_array_get_length (m->swipes);
  gboolean native = !json_object_has_member (o, "mes");
  gboolean is_user = m->role == NATTER_ROLE_USER;
  gboolean is_system = m->role == NATTER_ROLE_SYSTEM;

  if (native || json_object_has_member (o, "name") || (m->name && m->name[0]))
    json_object_set_string_member (o, "name", m->name ? m->name : "");
  if (native || json_object_has_member (o, "is_user") || is_user)
    json_object_set_boolean_member (o, "is_user", is_user);
  if (native || json_object_has_member (o, "is_system") || is_system)
    json_object_set_boolean_member (o, "is_system", is_system);
  if (native)
    {
      g_autofree char *date = format_iso_date (m->created_at);
      json_object_set_string_member (o, "send_date", date);
    }
  json_object_set_string_member (o, "mes", m->content ? m->content : "");

  if (n > 1 || json_object_has_member (o, "swipes"))
    {
      json_object_set_array_member (o, "swipes", json_array_ref (m->swipes));
      json_object_set_int_member (o, "swipe_id", m->swipe_index);
    }
  if (json_object_has_member (o, "swipe_info") || (native && n > 1))
    json_object_set_array_member (o, "swipe_info", json_array_ref (m->infos));

  {
    gboolean has_reasoning = m->reasoning && m->reasoning[0];
    JsonNode *extra_node = json_object_get_member (o, "extra");
    JsonObject *extra;

    if (extra_node == NULL || !JSON_NODE_HOLDS_OBJECT (extra_node))
      {
        if (native || has_reasoning || m->model != NULL)
          json_object_set_object_member (o, "extra", json_object_new ());
      }
    if (json_object_has_member (o, "extra") &&
        JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "extra")))
      {
        extra = json_object_get_object_member (o, "extra");
        if (has_reasoning || json_object_has_member (extra, "reasoning"))
          json_object_set_string_member (extra, "reasoning", m->reasoning ? m->reasoning : "");
        if (m->model != NULL)
          json_object_set_string_member (extra, "model", m->model);
      }
  }

  append_object_line (out, o);
}

char *
natter_st_chat_export_data (NatterChatStore  *store,
                            gint64            chat_id,
                            gsize            *len,
                            GError          **error)
{
  NatterDatabase *db;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(JsonObject) meta = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  ExportMessage current = { 0 };
  JsonNode *header_node;
  gboolean imported;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  db = natter_chat_store_get_database (store);
  if (!(chat = natter_chat_store_get_chat (store, chat_id, error)))
    return NULL;

  meta = object_from_text (natter_chat_get_metadata (chat));
  header_node = json_object_get_member (meta, HEADER_KEY);
  imported = header_node != NULL && JSON_NODE_HOLDS_OBJECT (header_node);
  if (imported)
    header = json_object_ref (json_node_get_object (header_node));
  else
    header = json_object_new ();

  /* A header from a SillyTavern file keeps its keys; a chat made in Natter
   * gets the ones SillyTavern writes. */
  if (!imported)
    {
      g_autoptr(NatterPersonaRow) persona = natter_chat_store_get_default_persona (store, NULL);
      json_object_set_string_member (header, "user_name", persona ? persona->name : "User");
    }
  if (!imported || json_object_has_member (header, "character_name"))
    {
      g_autoptr(NatterCharacterRow) character = NULL;

      if (natter_chat_get_character_id (chat) != 0)
        character = natter_chat_store_get_character (store, natter_chat_get_character_id (chat), NULL);
      if (character != NULL)
        json_object_set_string_member (header, "character_name", character->name);
      else if (!imported)
        json_object_set_string_member (header, "character_name", "");
    }
  if (!imported)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (natter_chat_get_created_at (chat));
      g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d@%Hh%Mm%Ss");
      json_object_set_string_member (header, "create_date", date);
      json_object_set_object_member (header, "chat_metadata", json_object_new ());
    }
  append_object_line (out, header);

  if (!(stmt = natter_database_prepare (db,
                                        "SELECT m.id, m.role, m.name, m.created_at, m.swipe_index, m.extra,"
                                        " s.idx, s.content, s.reasoning, s.model, s.created_at, s.extra"
                                        " FROM messages m LEFT JOIN swipes s ON s.message_id = m.id"
                                        " WHERE m.chat_id = ?1 ORDER BY m.position, s.idx", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, chat_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *info = (const char *) sqlite3_column_text (stmt, 11);
      NatterRole role = NATTER_ROLE_USER;

      if (id != current.id)
        {
          if (current.id != 0)
            write_message (out, &current);
          export_message_clear (&current);

          current.id = id;
          natter_role_from_string ((const char *) sqlite3_column_text (stmt, 1), &role);
          current.role = role;
          current.name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          current.created_at = sqlite3_column_int64 (stmt, 3);
          current.swipe_index = sqlite3_column_int (stmt, 4);
          current.object = object_from_text ((const char *) sqlite3_column_text (stmt, 5));
          _natter_st_chat_export_attachments (store, id, current.object);
          current.swipes = json_array_new ();
          current.infos = json_array_new ();
        }

      if (sqlite3_column_type (stmt, 6) == SQLITE_NULL)
        continue;

      json_array_add_string_element (current.swipes, (const char *) sqlite3_column_text (stmt, 7));
      if (info != NULL && info[0] != '\0')
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (natter_json_parser_load (parser, info, -1, NULL) && json_parser_get_root (parser))
            json_array_add_element (current.infos, json_node_copy (json_parser_get_root (parser)));
          else
            json_array_add_object_element (current.infos, json_object_new ());
        }
      /* '' is a swipe that had no swipe_info entry: it still has none. */

      if ((guint) sqlite3_column_int (stmt, 6) == current.swipe_index)
        {
          current.content = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
          current.reasoning = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
          current.model = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
        }
    }

  if (rc != SQLITE_DONE)
    {
      export_message_clear (&current);
      natter_database_set_error (db, error, _("Could not export the chat"));
      return NULL;
    }

  if (current.id != 0)
    write_message (out, &current);
  export_message_clear (&current);

  if (len != NULL)
    *len = out->len;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
natter_st_chat_export_file (NatterChatStore  *store,
                            gint64            chat_id,
                            const char       *path,
                            GError          **error)
{
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!(data = natter_st_chat_export_data (store, chat_id, &len, error)))
    return FALSE;

  return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}
