/* natter-search-provider.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-search-provider"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "natter-search-provider.h"

#define AVATAR_SIZE    64
#define MESSAGE_LIMIT  20
#define CHAT_LIMIT     5
#define MAX_CACHED     1000
/* What any process on the session bus may send is bounded: the Shell
 * sends a few short words. */
#define MAX_TERMS      16
#define MAX_TERM_BYTES 256
#define MAX_METAS      64
#define MAX_TEXT_CHARS 256

struct _NatterSearchProvider
{
  GObject          parent_instance;

  GApplication    *application;   /* weak: it owns the provider */
  NatterChatStore *store;
  GDBusConnection *connection;
  guint            registration_id;
  /* "message:C:M" → snippet of the latest searches, for GetResultMetas. */
  GHashTable      *snippets;
  /* character id → serialized icon (GVariant), or no entry. */
  GHashTable      *avatars;
};

G_DEFINE_FINAL_TYPE (NatterSearchProvider, natter_search_provider, G_TYPE_OBJECT)

enum {
  SIGNAL_ACTIVATE_RESULT,
  SIGNAL_LAUNCH_SEARCH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gnome.Shell.SearchProvider2'>"
  "    <method name='GetInitialResultSet'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetSubsearchResultSet'>"
  "      <arg type='as' name='previous_results' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetResultMetas'>"
  "      <arg type='as' name='identifiers' direction='in'/>"
  "      <arg type='aa{sv}' name='metas' direction='out'/>"
  "    </method>"
  "    <method name='ActivateResult'>"
  "      <arg type='s' name='identifier' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='LaunchSearch'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* ---- result ids --------------------------------------------------------- */

static gboolean
parse_id (const char *id,
          gint64     *chat_id,
          gint64     *message_id)
{
  char *end = NULL;

  *chat_id = 0;
  *message_id = 0;
  if (g_str_has_prefix (id, "chat:"))
    {
      *chat_id = g_ascii_strtoll (id + 5, &end, 10);
      return end != NULL && *end == '\0' && *chat_id > 0;
    }
  if (g_str_has_prefix (id, "message:"))
    {
      *chat_id = g_ascii_strtoll (id + 8, &end, 10);
      if (end == NULL || *end != ':' || *chat_id <= 0)
        return FALSE;
      *message_id = g_ascii_strtoll (end + 1, &end, 10);
      return end != NULL && *end == '\0' && *message_id > 0;
    }
  return FALSE;
}

/* ---- finding ------------------------------------------------------------ */

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

static gboolean
title_matches (const char        *title,
               char *const       *folded_terms)
{
  g_autofree char *folded = fold (title);

  for (guint i = 0; folded_terms[i] != NULL; i++)
    if (strstr (folded, folded_terms[i]) == NULL)
      return FALSE;
  return TRUE;
}

typedef struct
{
  GPtrArray *ids;   /* the chats, first */
} FindData;

static void
find_data_free (FindData *data)
{
  g_clear_pointer (&data->ids, g_ptr_array_unref);
  g_free (data);
}

static void
remember_snippet (NatterSearchProvider *self,
                  const char           *id,
                  const char           *snippet)
{
  if (g_hash_table_size (self->snippets) >= MAX_CACHED)
    g_hash_table_remove_all (self->snippets);
  g_hash_table_replace (self->snippets, g_strdup (id), g_strdup (snippet != NULL ? snippet : ""));
}

static void
on_messages_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NatterSearchProvider *self = g_task_get_source_object (task);
  FindData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = natter_chat_store_search_finish (NATTER_CHAT_STORE (source), result, &error);
  if (hits == NULL)
    {
      /* The titles found still answer the search. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Message search failed: %s", error->message);
    }

  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      NatterSearchHit *hit = g_ptr_array_index (hits, i);
      char *id = g_strdup_printf ("message:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                  hit->chat_id, hit->message_id);

      remember_snippet (self, id, hit->snippet);
      g_ptr_array_add (data->ids, id);
    }
  g_ptr_array_add (data->ids, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (data->ids, NULL), (GDestroyNotify) g_strfreev);
}

void
natter_search_provider_find_async (NatterSearchProvider *self,
                                   const char *const    *terms,
                                   guint                 limit,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) folded = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) used = g_ptr_array_new ();
  g_autofree char *query = NULL;
  GListModel *chats;
  FindData *data;
  guint n, n_chats = 0;

  g_return_if_fail (NATTER_IS_SEARCH_PROVIDER (self));
  g_return_if_fail (terms != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_search_provider_find_async);
  data = g_new0 (FindData, 1);
  data->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);

  for (guint i = 0; terms[i] != NULL && used->len < MAX_TERMS; i++)
    if (*terms[i] != '\0' && strlen (terms[i]) <= MAX_TERM_BYTES &&
        g_utf8_validate (terms[i], -1, NULL))
      {
        g_ptr_array_add (folded, fold (terms[i]));
        g_ptr_array_add (used, (gpointer) terms[i]);
      }
  if (folded->len == 0 || self->store == NULL)
    {
      g_task_return_pointer (task, g_new0 (char *, 1), (GDestroyNotify) g_strfreev);
      return;
    }
  g_ptr_array_add (folded, NULL);
  g_ptr_array_add (used, NULL);

  /* Titles: the chat list is in memory already. */
  chats = natter_chat_store_get_chats_model (self->store);
  n = g_list_model_get_n_items (chats);
  for (guint i = 0; i < n && n_chats < CHAT_LIMIT; i++)
    {
      g_autoptr(NatterChatInfo) info = g_list_model_get_item (chats, i);

      g_autofree char *text = g_strconcat (natter_chat_info_get_title (info), "\n",
                                           natter_chat_info_get_character_name (info), NULL);

      if (title_matches (text, (char *const *) folded->pdata))
        {
          g_ptr_array_add (data->ids, g_strdup_printf ("chat:%" G_GINT64_FORMAT,
                                                       natter_chat_info_get_id (info)));
          n_chats++;
        }
    }

  query = g_strjoinv (" ", (char **) used->pdata);
  natter_chat_store_search_async (self->store, query, limit, cancellable,
                                  on_messages_found, g_steal_pointer (&task));
}

char **
natter_search_provider_find_finish (NatterSearchProvider *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (NATTER_IS_SEARCH_PROVIDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- metas -------------------------------------------------------------- */

static NatterChatInfo *
find_chat (NatterSearchProvider *self,
           gint64                chat_id)
{
  GListModel *chats = natter_chat_store_get_chats_model (self->store);
  guint n = g_list_model_get_n_items (chats);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterChatInfo) info = g_list_model_get_item (chats, i);

      if (natter_chat_info_get_id (info) == chat_id)
        return g_steal_pointer (&info);
    }
  return NULL;
}

/* The character's avatar (PNG bytes), or NULL. */
static GBytes *
lookup_avatar (NatterSearchProvider *self,
               gint64                character_id)
{
  GListModel *characters = natter_chat_store_get_characters_model (self->store);
  guint n = g_list_model_get_n_items (characters);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterCharacterInfo) info = g_list_model_get_item (characters, i);

      if (natter_character_info_get_id (info) == character_id)
        return natter_character_info_get_avatar (info) != NULL
               ? g_bytes_ref (natter_character_info_get_avatar (info)) : NULL;
    }
  return NULL;
}

/* The avatar made small (cards can be large PNGs) and serialized as a
 * GBytesIcon; NULL when it does not decode. Any thread. */
static GVariant *
scale_avatar (GBytes *avatar)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (avatar);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) small = NULL;
  g_autoptr(GIcon) icon = NULL;
  char *png = NULL;
  gsize len = 0;

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, AVATAR_SIZE, AVATAR_SIZE, TRUE, NULL, NULL);
  if (pixbuf == NULL || !gdk_pixbuf_save_to_buffer (pixbuf, &png, &len, "png", NULL, NULL))
    return NULL;
  small = g_bytes_new_take (png, len);
  icon = g_bytes_icon_new (small);
  return g_variant_ref_sink (g_icon_serialize (icon));
}

/* A snippet on one line, without the match marks. */
static char *
plain_snippet (const char *snippet)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (const char *p = snippet; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0xab || c == 0xbb)
        continue;
      g_string_append_unichar (text, g_unichar_isspace (c) ? ' ' : c);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  char   *id;
  char   *name;
  char   *description;
  gint64  character_id;
} Meta;

static void
meta_free (Meta *meta)
{
  g_free (meta->id);
  g_free (meta->name);
  g_free (meta->description);
  g_free (meta);
}

typedef struct
{
  GPtrArray  *metas;     /* Meta *, in the order asked */
  GHashTable *to_scale;  /* character id → GBytes, avatars not cached yet */
  GHashTable *scaled;    /* character id → GVariant or NULL, from the thread */
} MetasData;

static void
metas_data_free (MetasData *data)
{
  g_clear_pointer (&data->metas, g_ptr_array_unref);
  g_clear_pointer (&data->to_scale, g_hash_table_unref);
  g_clear_pointer (&data->scaled, g_hash_table_unref);
  g_free (data);
}

static void
variant_unref0 (gpointer variant)
{
  if (variant != NULL)
    g_variant_unref (variant);
}

static Meta *
make_meta (NatterSearchProvider *self,
           const char           *id)
{
  g_autoptr(NatterChatInfo) chat = NULL;
  g_autofree char *description = NULL;
  gint64 chat_id, message_id;
  const char *snippet;
  Meta *meta;

  if (!parse_id (id, &chat_id, &message_id) || (chat = find_chat (self, chat_id)) == NULL)
    return NULL;

  if (message_id != 0)
    {
      snippet = g_hash_table_lookup (self->snippets, id);
      if (snippet != NULL)
        description = plain_snippet (snippet);
      else
        {
          g_autoptr(NatterChatMessage) message = natter_chat_store_get_message (self->store, message_id, NULL);
          const char *content;

          if (message == NULL || natter_chat_message_get_chat_id (message) != chat_id)
            return NULL;
          content = natter_chat_message_get_content (message);
          description = g_utf8_substring (content, 0, MIN (120, g_utf8_strlen (content, -1)));
          g_strdelimit (description, "\n\r\t", ' ');
        }
    }
  else if (*natter_chat_info_get_character_name (chat) != '\0')
    /* Translators: the description of a chat found by the Shell's search */
    description = g_strdup_printf (_("Chat with %s"), natter_chat_info_get_character_name (chat));
  else
    description = g_strdup (natter_chat_info_get_preview (chat));

  meta = g_new0 (Meta, 1);
  meta->id = g_strdup (id);
  meta->name = g_strdup (natter_chat_info_get_title (chat));
  meta->description = g_steal_pointer (&description);
  meta->character_id = natter_chat_info_get_character_id (chat);
  return meta;
}

static void
scale_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MetasData *data = task_data;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, data->to_scale);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (data->scaled, g_memdup2 (key, sizeof (gint64)), scale_avatar (value));
  g_task_return_boolean (task, TRUE);
}

void
natter_search_provider_get_metas_async (NatterSearchProvider *self,
                                        const char *const    *ids,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  MetasData *data;

  g_return_if_fail (NATTER_IS_SEARCH_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_search_provider_get_metas_async);
  data = g_new0 (MetasData, 1);
  data->metas = g_ptr_array_new_with_free_func ((GDestroyNotify) meta_free);
  data->to_scale = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_bytes_unref);
  data->scaled = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, variant_unref0);
  g_task_set_task_data (task, data, (GDestroyNotify) metas_data_free);

  /* What the chat list knows, here; decoding avatars, on a thread. */
  for (guint i = 0; self->store != NULL && ids != NULL && ids[i] != NULL && i < MAX_METAS; i++)
    {
      Meta *meta = make_meta (self, ids[i]);
      GBytes *avatar;

      if (meta == NULL)
        continue;
      g_ptr_array_add (data->metas, meta);
      if (meta->character_id > 0 &&
          !g_hash_table_contains (self->avatars, &meta->character_id) &&
          !g_hash_table_contains (data->to_scale, &meta->character_id))
        {
          if ((avatar = lookup_avatar (self, meta->character_id)) != NULL)
            g_hash_table_insert (data->to_scale, g_memdup2 (&meta->character_id, sizeof (gint64)), avatar);
          else
            g_hash_table_insert (self->avatars, g_memdup2 (&meta->character_id, sizeof (gint64)), NULL);
        }
    }

  g_task_run_in_thread (task, scale_thread);
}

GVariant *
natter_search_provider_get_metas_finish (NatterSearchProvider *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  MetasData *data;
  GVariantBuilder metas;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (NATTER_IS_SEARCH_PROVIDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  data = g_task_get_task_data (G_TASK (result));

  /* Scaled once per character: kept for later searches. */
  g_hash_table_iter_init (&iter, data->scaled);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (self->avatars, g_memdup2 (key, sizeof (gint64)),
                          value != NULL ? g_variant_ref (value) : NULL);

  g_variant_builder_init (&metas, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < data->metas->len; i++)
    {
      Meta *meta = g_ptr_array_index (data->metas, i);
      GVariant *icon = g_hash_table_lookup (self->avatars, &meta->character_id);
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (meta->id));
      g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (meta->name));
      g_variant_builder_add (&builder, "{sv}", "description", g_variant_new_string (meta->description));
      if (icon != NULL)
        g_variant_builder_add (&builder, "{sv}", "icon", icon);
      else
        {
          g_autoptr(GIcon) themed = g_themed_icon_new (APP_ID);

          g_variant_builder_add (&builder, "{sv}", "icon", g_icon_serialize (themed));
        }
      g_variant_builder_add_value (&metas, g_variant_builder_end (&builder));
    }

  return g_variant_ref_sink (g_variant_builder_end (&metas));
}

/* ---- D-Bus -------------------------------------------------------------- */

static void
on_found_for_dbus (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NatterSearchProvider *self = NATTER_SEARCH_PROVIDER (source);
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = natter_search_provider_find_finish (self, result, &error);

  if (ids == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(^as)", ids));
  if (self->application != NULL)
    g_application_release (self->application);
  g_object_unref (self);
}

static void
on_metas_for_dbus (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NatterSearchProvider *self = NATTER_SEARCH_PROVIDER (source);
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) metas = natter_search_provider_get_metas_finish (self, result, &error);

  if (metas == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aa{sv})", metas));
  if (self->application != NULL)
    g_application_release (self->application);
  g_object_unref (self);
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  NatterSearchProvider *self = user_data;
  g_autofree const char **terms = NULL;
  g_autofree const char **ids = NULL;

  if (g_strcmp0 (method_name, "GetInitialResultSet") == 0 ||
      g_strcmp0 (method_name, "GetSubsearchResultSet") == 0)
    {
      /* A narrower search is simply run again: the index answers fast. */
      if (g_strcmp0 (method_name, "GetInitialResultSet") == 0)
        g_variant_get (parameters, "(^a&s)", &terms);
      else
        g_variant_get (parameters, "(^a&s^a&s)", &ids, &terms);
      if (self->application != NULL)
        g_application_hold (self->application);
      natter_search_provider_find_async (self, terms, MESSAGE_LIMIT, NULL,
                                         on_found_for_dbus, invocation);
      g_object_ref (self);
    }
  else if (g_strcmp0 (method_name, "GetResultMetas") == 0)
    {
      g_variant_get (parameters, "(^a&s)", &ids);
      if (self->application != NULL)
        g_application_hold (self->application);
      natter_search_provider_get_metas_async (self, ids, NULL, on_metas_for_dbus, invocation);
      g_object_ref (self);
    }
  else if (g_strcmp0 (method_name, "ActivateResult") == 0)
    {
      const char *id;
      guint32 timestamp;
      gint64 chat_id, message_id;

      g_variant_get (parameters, "(&s^a&su)", &id, &terms, &timestamp);
      if (!parse_id (id, &chat_id, &message_id))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "Unknown result “%s”", id);
          return;
        }
      g_signal_emit (self, signals[SIGNAL_ACTIVATE_RESULT], 0, chat_id, message_id, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method_name, "LaunchSearch") == 0)
    {
      g_autofree char *joined = NULL;
      g_autofree char *text = NULL;
      guint32 timestamp;

      g_variant_get (parameters, "(^a&su)", &terms, &timestamp);
      joined = g_strjoinv (" ", (char **) terms);
      text = g_utf8_substring (joined, 0, MIN (g_utf8_strlen (joined, -1), MAX_TEXT_CHARS));
      g_signal_emit (self, signals[SIGNAL_LAUNCH_SEARCH], 0, text, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

gboolean
natter_search_provider_register (NatterSearchProvider *self,
                                 GDBusConnection      *connection,
                                 const char           *object_path,
                                 GError              **error)
{
  g_autoptr(GDBusNodeInfo) node = NULL;

  g_return_val_if_fail (NATTER_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  if (!(node = g_dbus_node_info_new_for_xml (introspection_xml, error)))
    return FALSE;
  self->registration_id = g_dbus_connection_register_object (connection, object_path,
                                                             node->interfaces[0], &vtable,
                                                             self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  return TRUE;
}

void
natter_search_provider_unregister (NatterSearchProvider *self)
{
  g_return_if_fail (NATTER_IS_SEARCH_PROVIDER (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

/* ---- object ------------------------------------------------------------- */

static void
natter_search_provider_dispose (GObject *object)
{
  NatterSearchProvider *self = NATTER_SEARCH_PROVIDER (object);

  natter_search_provider_unregister (self);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->store);
  g_clear_pointer (&self->snippets, g_hash_table_unref);
  g_clear_pointer (&self->avatars, g_hash_table_unref);

  G_OBJECT_CLASS (natter_search_provider_parent_class)->dispose (object);
}

static void
natter_search_provider_class_init (NatterSearchProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = natter_search_provider_dispose;

  signals[SIGNAL_ACTIVATE_RESULT] =
    g_signal_new ("activate-result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_UINT);
  signals[SIGNAL_LAUNCH_SEARCH] =
    g_signal_new ("launch-search", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
natter_search_provider_init (NatterSearchProvider *self)
{
  self->snippets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->avatars = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         variant_unref0);
}

NatterSearchProvider *
natter_search_provider_new (GApplication    *application,
                            NatterChatStore *store)
{
  NatterSearchProvider *self;

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || NATTER_IS_CHAT_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_SEARCH_PROVIDER, NULL);
  g_set_weak_pointer (&self->application, application);
  natter_search_provider_set_store (self, store);
  return self;
}

void
natter_search_provider_set_store (NatterSearchProvider *self,
                                  NatterChatStore      *store)
{
  g_return_if_fail (NATTER_IS_SEARCH_PROVIDER (self));
  g_return_if_fail (store == NULL || NATTER_IS_CHAT_STORE (store));

  g_set_object (&self->store, store);
  g_hash_table_remove_all (self->avatars);
  g_hash_table_remove_all (self->snippets);
}
