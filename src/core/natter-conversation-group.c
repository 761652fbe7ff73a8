/* natter-conversation-group.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-card.h"
#include "natter-conversation-group.h"
#include "natter-conversation-private.h"

#define DEFAULT_TALKATIVENESS 0.5

/* ------------------------------------------------------------ cards */

/* The card data of @character_id (a new reference), or NULL with @error. */
static JsonObject *
load_card (NatterConversation  *self,
           gint64               character_id,
           GError             **error)
{
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GError) local_error = NULL;

  row = natter_chat_store_get_character (natter_conversation_get_store (self), character_id, error);
  if (row == NULL)
    return NULL;
  card = natter_card_new_from_json (row->card_json, &local_error);
  if (card == NULL)
    {
      g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_CARD,
                   _("The card of character “%s” cannot be read: %s"),
                   row->name, local_error->message);
      return NULL;
    }
  return json_object_ref (natter_card_get_data (card));
}

/* SillyTavern keeps it as text or as a number in the card's extensions. */
static double
talkativeness (JsonObject *data)
{
  JsonObject *extensions;
  JsonNode *node;
  double value = DEFAULT_TALKATIVENESS;

  if (data == NULL || !json_object_has_member (data, "extensions") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "extensions")))
    return value;
  extensions = json_object_get_object_member (data, "extensions");
  node = json_object_get_member (extensions, "talkativeness");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return value;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      double parsed = g_ascii_strtod (text, &end);

      if (end != text)
        value = parsed;
    }
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
           json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_double (node);
  if (!(value >= 0))
    return 0;
  return MIN (value, 1.0);
}

/* @text with {{char}} and <BOT> as @name: a joined card speaks of each
 * member by their own name. */
static char *
with_own_name (const char *text,
               const char *name)
{
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "{{char}}", name, 0);
  g_string_replace (out, "<BOT>", name, 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
join_field (GString    *out,
            JsonObject *data,
            const char *field,
            const char *name,
            gboolean    labelled)
{
  const char *text;
  g_autofree char *own = NULL;

  if (!json_object_has_member (data, field) ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (data, field)) ||
      (text = json_object_get_string_member (data, field)) == NULL || *text == '\0')
    return;
  own = with_own_name (text, name);
  if (out->len > 0)
    g_string_append (out, "\n\n");
  if (labelled)
    g_string_append_printf (out, "%s: ", name);
  g_string_append (out, own);
}

/* The speaker's card with the description, personality, scenario and
 * examples of every member in @cards (in the group's order) joined. */
static JsonObject *
joined_card (JsonObject *speaker,
             GPtrArray  *cards,
             GPtrArray  *names)
{
  static const struct { const char *field; gboolean labelled; } fields[] = {
    { "description", FALSE }, { "personality", TRUE }, { "scenario", FALSE },
    { "mes_example", FALSE },
  };
  JsonObject *joined = json_object_new ();
  GList *members = json_object_get_members (speaker);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (joined, l->data,
                            json_node_copy (json_object_get_member (speaker, l->data)));
  g_list_free (members);

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < cards->len; i++)
        join_field (out, g_ptr_array_index (cards, i), fields[f].field,
                    g_ptr_array_index (names, i), fields[f].labelled);
      json_object_set_string_member (joined, fields[f].field, out->str);
    }
  return joined;
}

/* ------------------------------------------------------------ speakers */

void
natter_conversation_set_group_seed (NatterConversation *self,
                                    guint32             seed)
{
  NatterTurn *turn;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));

  turn = _natter_conversation_get_turn (self);
  g_clear_pointer (&turn->rand, g_rand_free);
  if (seed != 0)
    turn->rand = g_rand_new_with_seed (seed);
}

/* Where @name first stands in @folded as a whole word, or -1. */
static gssize
mention_offset (const char *folded,
                const char *name)
{
  g_autofree char *needle = g_utf8_casefold (name, -1);
  gsize len = strlen (needle);
  const char *p = folded;

  if (len == 0)
    return -1;
  while ((p = strstr (p, needle)) != NULL)
    {
      const char *after = p + len;
      gboolean start_ok = p == folded ||
                          !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p)));
      gboolean end_ok = *after == '\0' || !g_unichar_isalnum (g_utf8_get_char (after));

      if (start_ok && end_ok)
        return p - folded;
      p = g_utf8_next_char (p);
    }
  return -1;
}

gint64
natter_conversation_pick_speaker (NatterConversation *self,
                                  NatterChatGroup    *group,
                                  const char         *last_text,
                                  const char         *last_speaker,
                                  GRand              *rand)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  NatterGroupMember *last;
  guint start = 0;

  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), 0);
  g_return_val_if_fail (group != NULL, 0);

  last = natter_chat_group_find_member (group, last_speaker);

  if (group->order != NATTER_GROUP_ORDER_NATURAL)
    {
      /* The member after the last one who spoke, around the list. */
      if (last != NULL)
        for (guint i = 0; i < group->members->len; i++)
          if (g_ptr_array_index (group->members, i) == last)
            start = i + 1;
      for (guint k = 0; k < group->members->len; k++)
        {
          NatterGroupMember *member =
            g_ptr_array_index (group->members, (start + k) % group->members->len);

          if (!member->muted)
            return member->character_id;
        }
      return 0;
    }

  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);

      if (!member->muted && (member != last || group->allow_self))
        g_ptr_array_add (candidates, member);
    }
  /* Alone with itself: the last speaker answers after all. */
  if (candidates->len == 0 && last != NULL && !last->muted)
    return last->character_id;
  if (candidates->len == 0)
    return 0;

  if (last_text != NULL && *last_text != '\0')
    {
      g_autofree char *folded = g_utf8_casefold (last_text, -1);
      NatterGroupMember *first = NULL;
      gssize first_at = -1;

      for (guint i = 0; i < candidates->len; i++)
        {
          NatterGroupMember *member = g_ptr_array_index (candidates, i);
          gssize at = mention_offset (folded, member->name);

          if (at >= 0 && (first_at < 0 || at < first_at))
            {
              first = member;
              first_at = at;
            }
        }
      if (first != NULL)
        return first->character_id;
    }

  /* Nobody named: drawn, the talkative more often. */
  {
    g_autoptr(GRand) own = rand == NULL ? g_rand_new () : NULL;
    double *weights = g_newa (double, candidates->len);
    double total = 0, draw;

    for (guint i = 0; i < candidates->len; i++)
      {
        NatterGroupMember *member = g_ptr_array_index (candidates, i);
        g_autoptr(JsonObject) card = load_card (self, member->character_id, NULL);

        weights[i] = talkativeness (card);
        total += weights[i];
      }
    if (rand == NULL)
      rand = own;
    if (total <= 0)
      return ((NatterGroupMember *) g_ptr_array_index (candidates,
                                                       g_rand_int_range (rand, 0, candidates->len)))->character_id;
    draw = g_rand_double_range (rand, 0, total);
    for (guint i = 0; i < candidates->len; i++)
      {
        if (draw < weights[i])
          return ((NatterGroupMember *) g_ptr_array_index (candidates, i))->character_id;
        draw -= weights[i];
      }
    return ((NatterGroupMember *) g_ptr_array_index (candidates, candidates->len - 1))->character_id;
  }
}

/* The message at @position (≥ 0) or the newest one (-1), or NULL. */
static NatterChatMessage *
message_at (NatterChatStore *store,
            gint64           chat_id,
            gint64           position)
{
  g_autoptr(GPtrArray) page = NULL;

  page = natter_chat_store_page_messages (store, chat_id, position >= 0 ? position + 1 : -1, 1, NULL);
  if (page == NULL || page->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (page, 0));
}

/* The newest character message's speaker among the last few messages. */
static char *
last_character_speaker (NatterChatStore *store,
                        gint64           chat_id)
{
  g_autoptr(GPtrArray) page = natter_chat_store_page_messages (store, chat_id, -1, 32, NULL);

  for (guint i = page != NULL ? page->len : 0; i > 0; i--)
    {
      NatterChatMessage *message = g_ptr_array_index (page, i - 1);

      if (natter_chat_message_get_role (message) == NATTER_ROLE_ASSISTANT)
        return g_strdup (natter_chat_message_get_name (message));
    }
  return NULL;
}

gboolean
_natter_conversation_prepare_turn (NatterConversation  *self,
                                   NatterChat          *chat,
                                   const char          *user_text,
                                   gint64               before_position,
                                   gboolean             continuing,
                                   Assembly            *out,
                                   NatterPromptBuilder *builder,
                                   gboolean            *grouped,
                                   GError             **error)
{
  NatterChatStore *store = natter_conversation_get_store (self);
  NatterTurn *turn = _natter_conversation_get_turn (self);
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) speaker_card = NULL;
  NatterGroupMember *speaker = NULL;
  gint64 chat_id = natter_chat_get_id (chat);

  *grouped = FALSE;
  if (turn->impersonate)
    {
      natter_prompt_builder_set_nudge (builder,
                                       natter_preset_get_string (out->preset, "impersonation_prompt"));
      /* The person's message, not the character's: it opens the person's
       * turn, and the preset's "start reply with" is the character's. */
      natter_prompt_builder_set_writer (builder, NATTER_ROLE_USER);
      natter_prompt_builder_set_prefill (builder, NULL, FALSE);
    }

  group = natter_chat_store_get_group (store, chat_id, &local_error);
  if (group == NULL)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }
  *grouped = TRUE;

  if (turn->speaker_id != 0)
    {
      speaker = natter_chat_group_find_id (group, turn->speaker_id);
      if (speaker == NULL)
        {
          g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NOT_A_MEMBER,
                       _("That character is not a member of this group chat."));
          return FALSE;
        }
    }
  else if (continuing || (before_position >= 0 && user_text == NULL))
    {
      /* A new swipe or more of a reply: the same speaker. */
      g_autoptr(NatterChatMessage) message = message_at (store, chat_id,
                                                         before_position >= 0 ? before_position : -1);

      if (message != NULL)
        speaker = natter_chat_group_find_member (group, natter_chat_message_get_name (message));
    }
  if (speaker == NULL)
    {
      g_autoptr(NatterChatMessage) last = NULL;
      g_autofree char *last_speaker = NULL;
      const char *last_text = user_text;
      gint64 id;

      if (user_text == NULL || *user_text == '\0')
        {
          last = message_at (store, chat_id, -1);
          if (last != NULL)
            last_text = natter_chat_message_get_content (last);
        }
      /* Natural order never answers a character with itself; after the
       * person, anyone may speak. List order goes on after the last. */
      if (group->order != NATTER_GROUP_ORDER_NATURAL)
        last_speaker = last_character_speaker (store, chat_id);
      else if (last != NULL && natter_chat_message_get_role (last) == NATTER_ROLE_ASSISTANT)
        last_speaker = g_strdup (natter_chat_message_get_name (last));
      id = natter_conversation_pick_speaker (self, group, last_text, last_speaker, turn->rand);
      speaker = id != 0 ? natter_chat_group_find_id (group, id) : NULL;
      if (speaker == NULL)
        {
          g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NOT_A_MEMBER,
                       "%s", group->members->len == 0
                             ? _("This group chat has no members left: add one in Group Members.")
                             : _("Every member of this group chat is muted."));
          return FALSE;
        }
    }

  speaker_card = load_card (self, speaker->character_id, error);
  if (speaker_card == NULL)
    return FALSE;
  if (group->cards == NATTER_GROUP_CARDS_JOIN)
    {
      g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(JsonObject) joined = NULL;

      for (guint i = 0; i < group->members->len; i++)
        {
          NatterGroupMember *member = g_ptr_array_index (group->members, i);
          JsonObject *card;

          if (member->muted && member != speaker)
            continue;
          card = member == speaker ? json_object_ref (speaker_card)
                                   : load_card (self, member->character_id, error);
          if (card == NULL ||
              !_natter_conversation_add_lorebooks (self, builder, member->character_id, 0, error))
            {
              g_clear_pointer (&card, json_object_unref);
              return FALSE;
            }
          g_ptr_array_add (cards, card);
          g_ptr_array_add (names, member->name);
        }
      joined = joined_card (speaker_card, cards, names);
      natter_prompt_builder_set_character (builder, joined);
    }
  else
    {
      natter_prompt_builder_set_character (builder, speaker_card);
      if (!_natter_conversation_add_lorebooks (self, builder, speaker->character_id, 0, error))
        return FALSE;
    }
  g_free (out->char_name);
  out->char_name = g_strdup (speaker->name);
  if (!continuing && !turn->impersonate)
    natter_prompt_builder_set_nudge (builder, natter_preset_get_string (out->preset, "group_nudge"));
  return TRUE;
}

/* ------------------------------------------------------------ new chat */

gint64
natter_conversation_new_group_chat (NatterConversation  *self,
                                    const gint64        *character_ids,
                                    guint                n_members,
                                    const char          *title,
                                    GError             **error)
{
  NatterChatStore *store;
  g_autoptr(NatterPersonaRow) persona = NULL;
  g_autoptr(GString) default_title = g_string_new (NULL);
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  const char *user_name;
  gint64 chat_id;

  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), 0);
  g_return_val_if_fail (character_ids != NULL && n_members > 0, 0);

  store = natter_conversation_get_store (self);
  for (guint i = 0; i < n_members; i++)
    {
      JsonObject *card = load_card (self, character_ids[i], error);
      const char *name;

      if (card == NULL)
        return 0;
      g_ptr_array_add (cards, card);
      name = json_object_has_member (card, "name") ? json_object_get_string_member (card, "name") : NULL;
      if (default_title->len > 0)
        g_string_append (default_title, ", ");
      g_string_append (default_title, name != NULL ? name : "?");
    }

  persona = natter_chat_store_get_default_persona (store, error);
  if (persona == NULL && error != NULL && *error != NULL)
    return 0;
  user_name = persona != NULL && persona->name != NULL && *persona->name != '\0'
              ? persona->name : "User";

  chat_id = natter_chat_store_new_group_chat (store, character_ids, n_members,
                                              title != NULL ? title : default_title->str, error);
  if (chat_id == 0)
    return 0;

  /* Every member greets, in the group's order. */
  for (guint i = 0; i < cards->len; i++)
    {
      JsonObject *card = g_ptr_array_index (cards, i);
      g_auto(GStrv) alternates = NULL;
      g_autofree char *greeting = natter_prompt_builder_greeting (card, user_name, &alternates);
      const char *name = json_object_has_member (card, "name")
                         ? json_object_get_string_member (card, "name") : "";

      if (*greeting == '\0' && (alternates == NULL || alternates[0] == NULL))
        continue;
      if (natter_chat_store_greet (store, chat_id, name, greeting,
                                   (const char * const *) alternates, error) == 0)
        {
          natter_chat_store_delete_chat (store, chat_id, NULL);
          return 0;
        }
    }
  return chat_id;
}

/* ------------------------------------------------------------ turns */

void
natter_conversation_next_async (NatterConversation     *self,
                                gint64                  chat_id,
                                NatterProfile          *profile,
                                gint64                  speaker_id,
                                const NatterGenParams  *overrides,
                                NatterDeltaFunc         on_delta,
                                gpointer                delta_data,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  NatterTurn *turn;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  /* The prompt is assembled before send returns. */
  turn = _natter_conversation_get_turn (self);
  turn->speaker_id = speaker_id;
  natter_conversation_send_async (self, chat_id, profile, NULL, overrides, on_delta, delta_data,
                                  cancellable, callback, user_data);
  turn->speaker_id = 0;
}

gint64
natter_conversation_next_finish (NatterConversation  *self,
                                 GAsyncResult        *result,
                                 gint64              *reply_id,
                                 GError             **error)
{
  return natter_conversation_send_finish (self, result, reply_id, error);
}

/* ------------------------------------------------------------ impersonate */

typedef struct
{
  GString         *text;
  NatterDeltaFunc  on_delta;
  gpointer         delta_data;
} Impersonation;

static void
impersonation_free (Impersonation *imp)
{
  g_string_free (imp->text, TRUE);
  g_free (imp);
}

static void
impersonation_on_delta (const NatterDelta *delta,
                        gpointer           user_data)
{
  Impersonation *imp = user_data;

  if (delta->kind == NATTER_DELTA_TEXT && delta->len > 0)
    g_string_append_len (imp->text, delta->text, delta->len);
  if (imp->on_delta != NULL)
    imp->on_delta (delta, imp->delta_data);
}

static void
impersonation_chat_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Impersonation *imp = g_task_get_task_data (task);
  g_autoptr(NatterChatResult) chat_result = NULL;
  g_autoptr(GError) error = NULL;

  chat_result = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &error);
  if (chat_result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_strdup (g_strstrip (imp->text->str)), g_free);
}

void
natter_conversation_impersonate_async (NatterConversation     *self,
                                       gint64                  chat_id,
                                       NatterProfile          *profile,
                                       const NatterGenParams  *overrides,
                                       NatterDeltaFunc         on_delta,
                                       gpointer                delta_data,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Assembly assembly = { 0 };
  Impersonation *imp;
  NatterTurn *turn;
  gboolean ok;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_conversation_impersonate_async);

  turn = _natter_conversation_get_turn (self);
  turn->impersonate = TRUE;
  ok = _natter_conversation_assemble (self, chat_id, profile, NULL, -1, overrides, NULL,
                                      &assembly, &error);
  turn->impersonate = FALSE;
  if (!ok)
    {
      _natter_conversation_assembly_clear (&assembly);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  imp = g_new0 (Impersonation, 1);
  imp->text = g_string_new (NULL);
  imp->on_delta = on_delta;
  imp->delta_data = delta_data;
  g_task_set_task_data (task, imp, (GDestroyNotify) impersonation_free);
  natter_client_chat_async (natter_conversation_get_client (self), profile, assembly.prompt,
                            &assembly.params, impersonation_on_delta, imp, cancellable,
                            impersonation_chat_cb, g_object_ref (task));
  _natter_conversation_assembly_clear (&assembly);
}

char *
natter_conversation_impersonate_finish (NatterConversation  *self,
                                        GAsyncResult        *result,
                                        GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        natter_conversation_impersonate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
