/* natter-conversation-sidecar.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Background work after a reply, on the sidecar connection: a title after
 * the first exchange, and a summary of the messages that no longer fit in
 * the context budget (sent in their place from then on). Without a sidecar
 * a plain chat is titled with the first words of the first message and
 * nothing is summarized. */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-conversation-private.h"
#include "natter-json.h"

#define TITLE_WORDS      6
#define TITLE_MAX_CHARS  60
#define PIECE_MAX_CHARS  2000
#define SUMMARY_MAX_MESSAGES 200
#define SUMMARY_KEY "natter_summary"

typedef struct
{
  NatterConversation *self;
  gint64              chat_id;
  gint64              reply_id;
  guint               history_sent;
  gboolean            want_title;
  int                 pending;
  gint64              summary_upto;   /* position: messages before it are covered */
} AfterReply;

/* A string member, or NULL when absent or of another type (the
 * _with_default getters complain about objects and arrays). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
after_reply_free (AfterReply *after)
{
  g_clear_object (&after->self);
  g_free (after);
}

#define AFTER_KEY "natter-after-reply"

static void
after_reply_done (GTask *task)
{
  AfterReply *after = g_object_get_data (G_OBJECT (task), AFTER_KEY);

  if (--after->pending > 0)
    return;
  g_task_return_boolean (task, TRUE);
}

static char *
first_words (const char *text,
             guint       n_words,
             guint       max_chars)
{
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", " \t\n\r", -1);
  g_autoptr(GString) title = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; words[i] != NULL && n < n_words; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (title->len > 0)
        g_string_append_c (title, ' ');
      g_string_append (title, words[i]);
      n++;
    }
  if (g_utf8_strlen (title->str, -1) > max_chars)
    {
      char *end = g_utf8_offset_to_pointer (title->str, max_chars);

      g_string_truncate (title, end - title->str);
      g_string_append (title, "…");
    }
  return g_string_free (g_steal_pointer (&title), FALSE);
}

/* What the model answered, made a title: one line, no quotes. */
static char *
clean_title (const char *text)
{
  g_autofree char *line = NULL;
  const char *nl;

  text += strspn (text, " \t\r\n\"'“”*#");
  nl = strpbrk (text, "\r\n");
  line = nl != NULL ? g_strndup (text, nl - text) : g_strdup (text);
  g_strstrip (line);
  while (*line != '\0' && strchr ("\"'”.*", line[strlen (line) - 1]) != NULL)
    line[strlen (line) - 1] = '\0';
  if (!g_utf8_validate (line, -1, NULL) || *line == '\0')
    return NULL;
  return first_words (line, 12, TITLE_MAX_CHARS);
}

static void
append_piece (GString           *s,
              NatterChatMessage *message)
{
  const char *content = natter_chat_message_get_content (message);
  const char *name = natter_chat_message_get_name (message);
  glong len = content != NULL ? g_utf8_strlen (content, -1) : 0;

  if (len == 0)
    return;
  if (name == NULL || *name == '\0')
    name = natter_chat_message_get_role (message) == NATTER_ROLE_USER ? "User" : "Assistant";
  g_string_append_printf (s, "%s: ", name);
  if (len > PIECE_MAX_CHARS)
    {
      g_string_append_len (s, content, g_utf8_offset_to_pointer (content, PIECE_MAX_CHARS) - content);
      g_string_append (s, "…");
    }
  else
    g_string_append (s, content);
  g_string_append (s, "\n\n");
}

typedef struct
{
  GTask *task;
  char  *purpose;
} SidecarCall;

static void
sidecar_request (NatterConversation  *self,
                 const char          *purpose,
                 const char          *instruction,
                 const char          *material,
                 int                  max_tokens,
                 GAsyncReadyCallback  callback,
                 GTask               *task)
{
  NatterProfile *profile;
  const char *model = NULL;
  NatterPrompt *prompt = natter_prompt_new ();
  NatterGenParams params;

  profile = _natter_conversation_get_sidecar (self, &model);
  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, instruction);
  natter_prompt_add (prompt, NATTER_ROLE_USER, material);
  natter_gen_params_init (&params);
  params.model = g_strdup (model);
  params.max_tokens = max_tokens;
  params.temperature = 0.3;
  params.stream = FALSE;
  natter_client_chat_async (natter_conversation_get_client (self), profile, prompt, &params,
                            NULL, NULL, g_task_get_cancellable (task), callback, g_object_ref (task));
  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);
}

/* The sidecar's answer, its request noted as the sidecar's; NULL on failure
 * (logged: background work never fails the reply). */
static char *
sidecar_finish (NatterConversation *self,
                GAsyncResult       *result,
                const char         *purpose)
{
  g_autoptr(NatterChatResult) chat = NULL;
  g_autoptr(GError) error = NULL;
  gint64 log_id = 0;

  chat = natter_client_chat_finish (natter_conversation_get_client (self), result, &log_id, &error);
  if (log_id == 0 && chat != NULL)
    log_id = chat->log_entry_id;
  if (log_id != 0)
    natter_preset_store_note_request (natter_conversation_get_preset_store (self), log_id, purpose,
                                      NULL, NULL);
  if (chat == NULL)
    {
      g_warning ("The sidecar could not write the %s: %s", purpose, error->message);
      return NULL;
    }
  return g_strdup (chat->text);
}

static void
title_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AfterReply *after = g_object_get_data (G_OBJECT (task), AFTER_KEY);
  g_autofree char *text = sidecar_finish (after->self, result, "sidecar-title");
  g_autofree char *title = text != NULL ? clean_title (text) : NULL;

  if (title != NULL)
    natter_chat_store_rename_chat (natter_conversation_get_store (after->self), after->chat_id,
                                   title, NULL);
  after_reply_done (task);
}

/* Previous summary and where it ends, from the chat's metadata. */
static JsonObject *
chat_metadata (NatterConversation *self,
               gint64              chat_id)
{
  g_autoptr(NatterChat) chat = natter_chat_store_get_chat (natter_conversation_get_store (self), chat_id, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (chat != NULL && natter_json_parser_load (parser, natter_chat_get_metadata (chat), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

char *
_natter_conversation_dup_summary (NatterConversation *self,
                                  gint64              chat_id)
{
  g_autoptr(JsonObject) metadata = chat_metadata (self, chat_id);
  JsonObject *summary;

  if (!json_object_has_member (metadata, SUMMARY_KEY) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (metadata, SUMMARY_KEY)))
    return NULL;
  summary = json_object_get_object_member (metadata, SUMMARY_KEY);
  return g_strdup (string_member (summary, "text"));
}

static void
summary_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AfterReply *after = g_object_get_data (G_OBJECT (task), AFTER_KEY);
  g_autofree char *text = sidecar_finish (after->self, result, "sidecar-summary");

  if (text != NULL && *g_strstrip (text) != '\0')
    {
      g_autoptr(JsonObject) metadata = chat_metadata (after->self, after->chat_id);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *summary = json_object_new ();
      g_autofree char *json = NULL;

      json_object_set_string_member (summary, "text", text);
      json_object_set_int_member (summary, "upto", after->summary_upto);
      json_object_set_object_member (metadata, SUMMARY_KEY, summary);
      json_node_set_object (node, metadata);
      json = json_to_string (node, FALSE);
      natter_chat_store_set_chat_metadata (natter_conversation_get_store (after->self),
                                           after->chat_id, json, NULL);
    }
  after_reply_done (task);
}

/* Asks for a summary of the messages before index @boundary that the
 * stored summary does not cover yet. FALSE when there is nothing new. */
static gboolean
start_summary (GTask  *task,
               gint64  boundary)
{
  AfterReply *after = g_object_get_data (G_OBJECT (task), AFTER_KEY);
  NatterChatStore *store = natter_conversation_get_store (after->self);
  g_autoptr(JsonObject) metadata = chat_metadata (after->self, after->chat_id);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GString) material = g_string_new (NULL);
  gint64 boundary_position, upto = 0;
  const char *previous = NULL;

  boundary_position = natter_chat_store_position_at (store, after->chat_id, boundary, NULL);
  if (boundary_position < 0)
    return FALSE;
  if (json_object_has_member (metadata, SUMMARY_KEY) &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (metadata, SUMMARY_KEY)))
    {
      JsonObject *summary = json_object_get_object_member (metadata, SUMMARY_KEY);

      JsonNode *upto_node = json_object_get_member (summary, "upto");

      if (upto_node != NULL && JSON_NODE_HOLDS_VALUE (upto_node) &&
          json_node_get_value_type (upto_node) == G_TYPE_INT64)
        upto = json_node_get_int (upto_node);
      previous = string_member (summary, "text");
    }
  if (upto >= boundary_position)
    return FALSE;

  page = natter_chat_store_page_messages (store, after->chat_id, boundary_position,
                                          SUMMARY_MAX_MESSAGES, NULL);
  if (page == NULL || page->len == 0)
    return FALSE;
  if (previous != NULL && *previous != '\0')
    g_string_append_printf (material, "Summary so far:\n%s\n\nWhat happened next:\n\n", previous);
  for (guint i = 0; i < page->len; i++)
    {
      NatterChatMessage *message = g_ptr_array_index (page, i);

      if (natter_chat_message_get_position (message) >= upto)
        append_piece (material, message);
    }
  after->summary_upto = boundary_position;
  after->pending++;
  sidecar_request (after->self, "sidecar-summary",
                   "You summarize conversations. Write a concise summary in a few sentences "
                   "that keeps names, facts, decisions and open threads. Reply with the summary only.",
                   material->str, 512, summary_cb, task);
  return TRUE;
}

static void
background_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  _natter_conversation_release (NATTER_CONVERSATION (object));
}

void
_natter_conversation_after_reply (NatterConversation *self,
                                  gint64              chat_id,
                                  gint64              reply_id,
                                  guint               history_sent)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, background_done_cb, NULL);
  NatterChatStore *store = natter_conversation_get_store (self);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) first = NULL;
  AfterReply *after;
  gboolean has_sidecar = _natter_conversation_get_sidecar (self, NULL) != NULL;
  gint64 count;
  guint n_user = 0;
  NatterChatMessage *first_user = NULL;

  after = g_new0 (AfterReply, 1);
  after->self = g_object_ref (self);
  after->chat_id = chat_id;
  after->reply_id = reply_id;
  after->pending = 1;
  _natter_conversation_hold (self);
  /* The task's own data is the exchange's; this rides along. */
  g_object_set_data_full (G_OBJECT (task), AFTER_KEY, after, (GDestroyNotify) after_reply_free);

  chat = natter_chat_store_get_chat (store, chat_id, NULL);
  count = natter_chat_store_count_messages (store, chat_id, NULL);
  if (count <= 4)
    first = natter_chat_store_page_messages (store, chat_id, -1, 4, NULL);

  /* A title after the first exchange, for a chat still named as made. */
  for (guint i = 0; first != NULL && i < first->len; i++)
    {
      NatterChatMessage *message = g_ptr_array_index (first, i);

      if (natter_chat_message_get_role (message) == NATTER_ROLE_USER)
        {
          n_user++;
          if (first_user == NULL)
            first_user = message;
        }
    }
  if (chat != NULL && n_user == 1 && first_user != NULL &&
      (g_strcmp0 (natter_chat_get_title (chat), _("New chat")) == 0 ||
       (has_sidecar && natter_chat_get_character_id (chat) != 0)))
    {
      if (has_sidecar)
        {
          g_autoptr(GString) material = g_string_new (NULL);

          for (guint i = 0; i < first->len; i++)
            append_piece (material, g_ptr_array_index (first, i));
          after->pending++;
          sidecar_request (self, "sidecar-title",
                           "You name conversations. Reply with a title of at most six words for the "
                           "conversation below, and nothing else.",
                           material->str, 32, title_cb, task);
        }
      else
        {
          g_autofree char *title = first_words (natter_chat_message_get_content (first_user),
                                                TITLE_WORDS, TITLE_MAX_CHARS);

          if (*title != '\0')
            natter_chat_store_rename_chat (store, chat_id, title, NULL);
        }
    }

  /* Messages the prompt no longer reached: summarized in their place. */
  if (has_sidecar && count - 1 > (gint64) history_sent)
    start_summary (task, count - 1 - history_sent);

  after_reply_done (task);
}
