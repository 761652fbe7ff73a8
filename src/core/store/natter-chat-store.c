/* natter-chat-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-chat-store.h"

/* A streaming reply is saved when 250 ms have passed since the last save,
 * or sooner once 256 bytes are waiting and at least 50 ms have passed: at
 * most 20 saves a second, however fast the tokens come. */
#define FLUSH_INTERVAL_US      (250 * 1000)
#define FLUSH_BYTES            256
#define FLUSH_MIN_INTERVAL_US  (50 * 1000)

/* A cached statement must be reset once read, or it keeps a read
 * transaction open (and WAL checkpoints waiting). */
static inline void
stmt_reset (sqlite3_stmt **stmt)
{
  if (*stmt != NULL)
    sqlite3_reset (*stmt);
}
#define AUTO_RESET __attribute__((cleanup (stmt_reset)))

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static const char * const state_names[] = {
  "complete", "streaming", "incomplete", "error", "cancelled",
};

const char *
natter_swipe_state_to_string (NatterSwipeState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "complete");

  return state_names[state];
}

gboolean
natter_swipe_state_from_string (const char       *str,
                                NatterSwipeState *state)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (str, state_names[i]))
        {
          *state = (NatterSwipeState) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* ---- records ----------------------------------------------------------- */

NatterCharacterRow *
natter_character_row_copy (const NatterCharacterRow *row)
{
  NatterCharacterRow *copy = g_new0 (NatterCharacterRow, 1);

  copy->id = row->id;
  copy->name = g_strdup (row->name);
  copy->card_json = g_strdup (row->card_json);
  copy->avatar = row->avatar ? g_bytes_ref (row->avatar) : NULL;
  copy->created_at = row->created_at;
  copy->updated_at = row->updated_at;

  return copy;
}

void
natter_character_row_free (NatterCharacterRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->card_json);
  g_clear_pointer (&row->avatar, g_bytes_unref);
  g_free (row);
}

NatterPersonaRow *
natter_persona_row_copy (const NatterPersonaRow *row)
{
  NatterPersonaRow *copy = g_new0 (NatterPersonaRow, 1);

  copy->id = row->id;
  copy->name = g_strdup (row->name);
  copy->description = g_strdup (row->description);
  copy->avatar = row->avatar ? g_bytes_ref (row->avatar) : NULL;
  copy->is_default = row->is_default;

  return copy;
}

void
natter_persona_row_free (NatterPersonaRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->description);
  g_clear_pointer (&row->avatar, g_bytes_unref);
  g_free (row);
}

NatterLorebookRow *
natter_lorebook_row_copy (const NatterLorebookRow *row)
{
  NatterLorebookRow *copy = g_new0 (NatterLorebookRow, 1);

  copy->id = row->id;
  copy->name = g_strdup (row->name);
  copy->book_json = g_strdup (row->book_json);

  return copy;
}

void
natter_lorebook_row_free (NatterLorebookRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->book_json);
  g_free (row);
}

NatterSearchHit *
natter_search_hit_copy (const NatterSearchHit *hit)
{
  NatterSearchHit *copy = g_new0 (NatterSearchHit, 1);

  copy->chat_id = hit->chat_id;
  copy->chat_title = g_strdup (hit->chat_title);
  copy->message_id = hit->message_id;
  copy->snippet = g_strdup (hit->snippet);

  return copy;
}

void
natter_search_hit_free (NatterSearchHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->chat_title);
  g_free (hit->snippet);
  g_free (hit);
}

G_DEFINE_BOXED_TYPE (NatterCharacterRow, natter_character_row,
                     natter_character_row_copy, natter_character_row_free)
G_DEFINE_BOXED_TYPE (NatterPersonaRow, natter_persona_row,
                     natter_persona_row_copy, natter_persona_row_free)
G_DEFINE_BOXED_TYPE (NatterLorebookRow, natter_lorebook_row,
                     natter_lorebook_row_copy, natter_lorebook_row_free)
G_DEFINE_BOXED_TYPE (NatterSearchHit, natter_search_hit,
                     natter_search_hit_copy, natter_search_hit_free)

/* ---- NatterChat -------------------------------------------------------- */

struct _NatterChat
{
  GObject  parent_instance;
  gint64   id;
  gint64   character_id;
  char    *title;
  gint64   created_at;
  gint64   updated_at;
  gint64   parent_chat_id;
  gint64   branched_from_message_id;
  char    *metadata;
};

G_DEFINE_FINAL_TYPE (NatterChat, natter_chat, G_TYPE_OBJECT)

enum {
  CHAT_PROP_0,
  CHAT_PROP_ID,
  CHAT_PROP_CHARACTER_ID,
  CHAT_PROP_TITLE,
  CHAT_PROP_CREATED_AT,
  CHAT_PROP_UPDATED_AT,
  CHAT_PROP_PARENT_CHAT_ID,
  CHAT_N_PROPS
};

static GParamSpec *chat_properties[CHAT_N_PROPS];

static void
natter_chat_finalize (GObject *object)
{
  NatterChat *self = (NatterChat *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->metadata, g_free);

  G_OBJECT_CLASS (natter_chat_parent_class)->finalize (object);
}

static void
natter_chat_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NatterChat *self = NATTER_CHAT (object);

  switch (prop_id)
    {
    case CHAT_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case CHAT_PROP_CHARACTER_ID:
      g_value_set_int64 (value, self->character_id);
      break;
    case CHAT_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case CHAT_PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case CHAT_PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case CHAT_PROP_PARENT_CHAT_ID:
      g_value_set_int64 (value, self->parent_chat_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
natter_chat_class_init (NatterChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_chat_finalize;
  object_class->get_property = natter_chat_get_property;

  chat_properties[CHAT_PROP_ID] = int64_property ("id");
  chat_properties[CHAT_PROP_CHARACTER_ID] = int64_property ("character-id");
  chat_properties[CHAT_PROP_TITLE] = string_property ("title");
  chat_properties[CHAT_PROP_CREATED_AT] = int64_property ("created-at");
  chat_properties[CHAT_PROP_UPDATED_AT] = int64_property ("updated-at");
  chat_properties[CHAT_PROP_PARENT_CHAT_ID] = int64_property ("parent-chat-id");
  g_object_class_install_properties (object_class, CHAT_N_PROPS, chat_properties);
}

static void
natter_chat_init (NatterChat *self)
{
}

gint64 natter_chat_get_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->id; }
gint64 natter_chat_get_character_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->character_id; }
const char *natter_chat_get_title (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), NULL); return self->title; }
gint64 natter_chat_get_created_at (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->created_at; }
gint64 natter_chat_get_updated_at (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->updated_at; }
gint64 natter_chat_get_parent_chat_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->parent_chat_id; }
gint64 natter_chat_get_branched_from_message_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->branched_from_message_id; }
const char *natter_chat_get_metadata (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), NULL); return self->metadata; }

/* ---- NatterChatMessage ------------------------------------------------- */

struct _NatterChatMessage
{
  GObject              parent_instance;
  gint64               id;
  gint64               chat_id;
  gint64               position;
  NatterRole           role;
  char                *name;
  char                *content;
  char                *reasoning;
  char                *model;
  guint                n_swipes;
  guint                swipe_index;
  NatterSwipeState     state;
  NatterErrorCategory  error_category;
  char                *error_message;
  gint64               created_at;
};

G_DEFINE_FINAL_TYPE (NatterChatMessage, natter_chat_message, G_TYPE_OBJECT)

enum {
  MSG_PROP_0,
  MSG_PROP_ID,
  MSG_PROP_ROLE,
  MSG_PROP_NAME,
  MSG_PROP_CONTENT,
  MSG_PROP_REASONING,
  MSG_PROP_N_SWIPES,
  MSG_PROP_SWIPE_INDEX,
  MSG_PROP_STATE,
  MSG_PROP_ERROR_CATEGORY,
  MSG_PROP_ERROR_MESSAGE,
  MSG_PROP_CREATED_AT,
  MSG_N_PROPS
};

static GParamSpec *message_properties[MSG_N_PROPS];

static void
natter_chat_message_finalize (GObject *object)
{
  NatterChatMessage *self = (NatterChatMessage *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->reasoning, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (natter_chat_message_parent_class)->finalize (object);
}

static void
natter_chat_message_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NatterChatMessage *self = NATTER_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case MSG_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case MSG_PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case MSG_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case MSG_PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;
    case MSG_PROP_REASONING:
      g_value_set_string (value, self->reasoning);
      break;
    case MSG_PROP_N_SWIPES:
      g_value_set_uint (value, self->n_swipes);
      break;
    case MSG_PROP_SWIPE_INDEX:
      g_value_set_uint (value, self->swipe_index);
      break;
    case MSG_PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case MSG_PROP_ERROR_CATEGORY:
      g_value_set_int (value, self->error_category);
      break;
    case MSG_PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case MSG_PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_message_class_init (NatterChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = natter_chat_message_finalize;
  object_class->get_property = natter_chat_message_get_property;

  message_properties[MSG_PROP_ID] = int64_property ("id");
  /* A NatterRole. */
  message_properties[MSG_PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, 0, NATTER_ROLE_ASSISTANT, 0, flags);
  message_properties[MSG_PROP_NAME] = string_property ("name");
  message_properties[MSG_PROP_CONTENT] = string_property ("content");
  message_properties[MSG_PROP_REASONING] = string_property ("reasoning");
  message_properties[MSG_PROP_N_SWIPES] =
    g_param_spec_uint ("n-swipes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  message_properties[MSG_PROP_SWIPE_INDEX] =
    g_param_spec_uint ("swipe-index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* A NatterSwipeState. */
  message_properties[MSG_PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, NATTER_SWIPE_STATE_CANCELLED, 0, flags);
  /* A NatterErrorCategory. */
  message_properties[MSG_PROP_ERROR_CATEGORY] =
    g_param_spec_int ("error-category", NULL, NULL, 0, G_MAXINT, 0, flags);
  message_properties[MSG_PROP_ERROR_MESSAGE] = string_property ("error-message");
  message_properties[MSG_PROP_CREATED_AT] = int64_property ("created-at");
  g_object_class_install_properties (object_class, MSG_N_PROPS, message_properties);
}

static void
natter_chat_message_init (NatterChatMessage *self)
{
}

gint64 natter_chat_message_get_id (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->id; }
gint64 natter_chat_message_get_chat_id (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->chat_id; }
gint64 natter_chat_message_get_position (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->position; }
NatterRole natter_chat_message_get_role (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->role; }
const char *natter_chat_message_get_name (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->name; }
const char *natter_chat_message_get_content (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->content; }
const char *natter_chat_message_get_reasoning (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->reasoning; }
const char *natter_chat_message_get_model (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->model; }
guint natter_chat_message_get_n_swipes (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->n_swipes; }
guint natter_chat_message_get_swipe_index (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->swipe_index; }
NatterSwipeState natter_chat_message_get_state (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->state; }
NatterErrorCategory natter_chat_message_get_error_category (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->error_category; }
const char *natter_chat_message_get_error_message (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->error_message; }
gint64 natter_chat_message_get_created_at (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->created_at; }

/* ---- NatterChatStore --------------------------------------------------- */

struct _NatterChatStore
{
  GObject         parent_instance;
  NatterDatabase *db;
  GHashTable     *active_swipes;  /* swipe ids with a live NatterReplyWriter */
};

G_DEFINE_FINAL_TYPE (NatterChatStore, natter_chat_store, G_TYPE_OBJECT)

static void
natter_chat_store_finalize (GObject *object)
{
  NatterChatStore *self = (NatterChatStore *)object;

  g_clear_object (&self->db);
  g_clear_pointer (&self->active_swipes, g_hash_table_unref);

  G_OBJECT_CLASS (natter_chat_store_parent_class)->finalize (object);
}

static void
natter_chat_store_class_init (NatterChatStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_chat_store_finalize;
}

static void
natter_chat_store_init (NatterChatStore *self)
{
  self->active_swipes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Swipes with a live NatterReplyWriter in this process, over all stores
 * (a worker thread may open its own store on the same file), as
 * "path\nswipe id". */
static GMutex live_swipes_lock;
static GHashTable *live_swipes;

static char *
live_swipe_key (NatterDatabase *db,
                gint64          swipe_id)
{
  const char *path = natter_database_get_path (db);

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, path != NULL ? path : "", swipe_id);
}

static void
live_swipe_add (NatterDatabase *db,
                gint64          swipe_id)
{
  g_mutex_lock (&live_swipes_lock);
  if (live_swipes == NULL)
    live_swipes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (live_swipes, live_swipe_key (db, swipe_id));
  g_mutex_unlock (&live_swipes_lock);
}

static void
live_swipe_remove (NatterDatabase *db,
                   gint64          swipe_id)
{
  g_autofree char *key = live_swipe_key (db, swipe_id);

  g_mutex_lock (&live_swipes_lock);
  if (live_swipes != NULL)
    g_hash_table_remove (live_swipes, key);
  g_mutex_unlock (&live_swipes_lock);
}

static gboolean
live_swipe_contains (NatterDatabase *db,
                     gint64          swipe_id)
{
  g_autofree char *key = live_swipe_key (db, swipe_id);
  gboolean found;

  g_mutex_lock (&live_swipes_lock);
  found = live_swipes != NULL && g_hash_table_contains (live_swipes, key);
  g_mutex_unlock (&live_swipes_lock);

  return found;
}

/* A swipe left "streaming" with no writer alive is what a crash (or a
 * kill) left behind: what was saved is all there is. It becomes
 * "incomplete", which also puts its text in the search index (streaming
 * text is kept out of it; see the 2 → 3 migration). */
static gboolean
close_dead_replies (NatterChatStore  *self,
                    GError          **error)
{
  g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id FROM swipes WHERE state = 'streaming'", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!live_swipe_contains (self->db, id))
        g_array_append_val (dead, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return natter_database_set_error (self->db, error, _("read the database"));

  if (dead->len == 0)
    return TRUE;

  if (!natter_database_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < dead->len; i++)
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "UPDATE swipes SET state = 'incomplete'"
                                            " WHERE id = ?1 AND state = 'streaming'", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (dead, gint64, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          natter_database_set_error (self->db, error, _("save the end of an interrupted reply"));
          goto fail;
        }
    }
  return natter_database_commit (self->db, error);

fail:
  natter_database_rollback (self->db);
  return FALSE;
}

NatterChatStore *
natter_chat_store_new (NatterDatabase *database)
{
  NatterChatStore *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  self = g_object_new (NATTER_TYPE_CHAT_STORE, NULL);
  self->db = g_object_ref (database);

  /* Not fatal: such a reply still reads as incomplete, it is only not
   * searchable yet. */
  if (!close_dead_replies (self, &error))
    g_warning ("Could not close interrupted replies: %s", error->message);

  return self;
}

NatterDatabase *
natter_chat_store_get_database (NatterChatStore *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  return self->db;
}

static gboolean
step_done (NatterChatStore  *self,
           sqlite3_stmt     *stmt,
           GError          **error,
           const char       *doing)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      /* The reset above carries the statement's error to the connection. */
      return natter_database_set_error (self->db, error, doing);
    }

  return TRUE;
}

static gboolean
not_found (GError     **error,
           const char  *what,
           gint64       id)
{
  g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
               /* Translators: "There is no chat 12." */
               _("There is no %s %" G_GINT64_FORMAT "."), what, id);
  return FALSE;
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return g_strdup (text);
}

static GBytes *
dup_column_bytes (sqlite3_stmt *stmt,
                  int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;

  return g_bytes_new (sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col));
}

static void
bind_bytes (sqlite3_stmt *stmt,
            int           col,
            GBytes       *bytes)
{
  if (bytes == NULL)
    sqlite3_bind_null (stmt, col);
  else
    {
      gsize len;
      gconstpointer data = g_bytes_get_data (bytes, &len);

      sqlite3_bind_blob64 (stmt, col, data ? data : "", len, SQLITE_TRANSIENT);
    }
}

static void
bind_text (sqlite3_stmt *stmt,
           int           col,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
}

/* ---- characters -------------------------------------------------------- */

static char *
name_from_card (const char  *card_json,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *name = NULL;

  if (!json_parser_load_from_data (parser, card_json, -1, &local_error))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The character card is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      if (json_object_has_member (object, "data") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data")))
        {
          JsonObject *data = json_object_get_object_member (object, "data");

          if (json_object_has_member (data, "name"))
            name = json_node_get_string (json_object_get_member (data, "name"));
        }
      if ((name == NULL || name[0] == '\0') && json_object_has_member (object, "name"))
        name = json_node_get_string (json_object_get_member (object, "name"));
    }

  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The character card has no name."));
      return NULL;
    }

  return g_strdup (name);
}

gint64
natter_chat_store_add_character (NatterChatStore  *self,
                                 const char       *name,
                                 const char       *card_json,
                                 GBytes           *avatar,
                                 GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *card_name = NULL;
  gint64 now = now_seconds ();

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (card_json != NULL, 0);

  if (name == NULL || name[0] == '\0')
    {
      if (!(card_name = name_from_card (card_json, error)))
        return 0;
      name = card_name;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO characters (name, card_json, avatar, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?4)", error)))
    return 0;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, card_json);
  bind_bytes (stmt, 3, avatar);
  sqlite3_bind_int64 (stmt, 4, now);

  if (!step_done (self, stmt, error, _("save the character")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gboolean
natter_chat_store_update_character (NatterChatStore  *self,
                                    gint64            character_id,
                                    const char       *name,
                                    const char       *card_json,
                                    GBytes           *avatar,
                                    GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *card_name = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (card_json != NULL, FALSE);

  if (name == NULL || name[0] == '\0')
    {
      if (!(card_name = name_from_card (card_json, error)))
        return FALSE;
      name = card_name;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE characters SET name = ?1, card_json = ?2, avatar = ?3,"
                                        " updated_at = ?4 WHERE id = ?5", error)))
    return FALSE;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, card_json);
  bind_bytes (stmt, 3, avatar);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  sqlite3_bind_int64 (stmt, 5, character_id);

  if (!step_done (self, stmt, error, _("save the character")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, _("character"), character_id);

  return TRUE;
}

static gboolean
delete_by_id (NatterChatStore  *self,
              const char       *sql,
              gint64            id,
              const char       *what,
              const char       *doing,
              GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);

  if (!step_done (self, stmt, error, doing))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, what, id);

  return TRUE;
}

gboolean
natter_chat_store_delete_character (NatterChatStore  *self,
                                    gint64            character_id,
                                    GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM characters WHERE id = ?1", character_id,
                       _("character"), _("delete the character"), error);
}

#define CHARACTER_COLUMNS "id, name, card_json, avatar, created_at, updated_at"

static NatterCharacterRow *
character_from_stmt (sqlite3_stmt *stmt)
{
  NatterCharacterRow *row = g_new0 (NatterCharacterRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = dup_column_text (stmt, 1);
  row->card_json = dup_column_text (stmt, 2);
  row->avatar = dup_column_bytes (stmt, 3);
  row->created_at = sqlite3_column_int64 (stmt, 4);
  row->updated_at = sqlite3_column_int64 (stmt, 5);

  return row;
}

NatterCharacterRow *
natter_chat_store_get_character (NatterChatStore  *self,
                                 gint64            character_id,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHARACTER_COLUMNS " FROM characters WHERE id = ?1",
                                        error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, character_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return character_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("read the character"));
  else
    not_found (error, _("character"), character_id);

  return NULL;
}

NatterCharacterRow *
natter_chat_store_lookup_character (NatterChatStore  *self,
                                    const char       *name,
                                    GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHARACTER_COLUMNS " FROM characters"
                                        " WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
                                        error)))
    return NULL;

  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return character_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("read the character"));
  else
    g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                 _("There is no character named “%s”."), name);

  return NULL;
}

GPtrArray *
natter_chat_store_list_characters (NatterChatStore  *self,
                                   GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_character_row_free);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHARACTER_COLUMNS " FROM characters"
                                        " ORDER BY name COLLATE NOCASE, id", error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, character_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("list the characters"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* ---- personas ---------------------------------------------------------- */

gint64
natter_chat_store_add_persona (NatterChatStore  *self,
                               const char       *name,
                               const char       *description,
                               GBytes           *avatar,
                               GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO personas (name, description, avatar, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?4)", error)))
    return 0;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, description ? description : "");
  bind_bytes (stmt, 3, avatar);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());

  if (!step_done (self, stmt, error, _("save the persona")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gboolean
natter_chat_store_set_default_persona (NatterChatStore  *self,
                                       gint64            persona_id,
                                       GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!natter_database_begin (self->db, error))
    return FALSE;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE personas SET is_default = 0 WHERE is_default = 1", error)) ||
      !step_done (self, stmt, error, _("change the default persona")))
    goto fail;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE personas SET is_default = 1 WHERE id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  if (!step_done (self, stmt, error, _("change the default persona")))
    goto fail;

  found = sqlite3_changes (natter_database_get_handle (self->db)) > 0;
  if (!found)
    {
      not_found (error, _("persona"), persona_id);
      goto fail;
    }

  return natter_database_commit (self->db, error);

fail:
  natter_database_rollback (self->db);
  return FALSE;
}

gint64
natter_chat_store_set_user_persona (NatterChatStore  *self,
                                    const char       *name,
                                    const char       *description,
                                    GError          **error)
{
  g_autofree char *trimmed = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  trimmed = g_strstrip (g_strdup (name));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Your name cannot be empty."));
      return 0;
    }

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id FROM personas WHERE is_default = 1", error)))
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id != 0)
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "UPDATE personas SET name = ?2, description = ?3,"
                                            " updated_at = ?4 WHERE id = ?1", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
    }
  else
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "INSERT INTO personas (name, description, is_default,"
                                            " created_at, updated_at) VALUES (?2, ?3, 1, ?4, ?4)",
                                            error)))
        goto fail;
    }
  bind_text (stmt, 2, trimmed);
  bind_text (stmt, 3, description ? description : "");
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  if (!step_done (self, stmt, error, _("save the persona")))
    goto fail;

  if (id == 0)
    id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));

  if (!natter_database_commit (self->db, error))
    return 0;

  return id;

fail:
  natter_database_rollback (self->db);
  return 0;
}

static NatterPersonaRow *
persona_from_stmt (sqlite3_stmt *stmt)
{
  NatterPersonaRow *row = g_new0 (NatterPersonaRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = dup_column_text (stmt, 1);
  row->description = dup_column_text (stmt, 2);
  row->avatar = dup_column_bytes (stmt, 3);
  row->is_default = sqlite3_column_int (stmt, 4) != 0;

  return row;
}

NatterPersonaRow *
natter_chat_store_get_default_persona (NatterChatStore  *self,
                                       GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id, name, description, avatar, is_default FROM personas"
                                        " WHERE is_default = 1", error)))
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return persona_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("read the persona"));

  return NULL;
}

GPtrArray *
natter_chat_store_list_personas (NatterChatStore  *self,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_persona_row_free);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id, name, description, avatar, is_default FROM personas"
                                        " ORDER BY name COLLATE NOCASE, id", error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, persona_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("list the personas"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

gboolean
natter_chat_store_delete_persona (NatterChatStore  *self,
                                  gint64            persona_id,
                                  GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM personas WHERE id = ?1", persona_id,
                       _("persona"), _("delete the persona"), error);
}

/* ---- lorebooks --------------------------------------------------------- */

gint64
natter_chat_store_add_lorebook (NatterChatStore  *self,
                                const char       *name,
                                const char       *book_json,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (name != NULL && book_json != NULL, 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO lorebooks (name, book_json, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?3)", error)))
    return 0;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, book_json);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());

  if (!step_done (self, stmt, error, _("save the lorebook")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gboolean
natter_chat_store_delete_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM lorebooks WHERE id = ?1", lorebook_id,
                       _("lorebook"), _("delete the lorebook"), error);
}

static gboolean
check_link_target (gint64   character_id,
                   gint64   chat_id,
                   GError **error)
{
  if ((character_id == 0) == (chat_id == 0))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A lorebook is attached to either a character or a chat."));
      return FALSE;
    }

  return TRUE;
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           col,
                 gint64        id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, id);
}

gboolean
natter_chat_store_attach_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   gint64            character_id,
                                   gint64            chat_id,
                                   GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!check_link_target (character_id, chat_id, error))
    return FALSE;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT OR IGNORE INTO lorebook_links (lorebook_id, character_id, chat_id)"
                                        " VALUES (?1, ?2, ?3)", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  bind_id_or_null (stmt, 2, character_id);
  bind_id_or_null (stmt, 3, chat_id);

  return step_done (self, stmt, error, _("attach the lorebook"));
}

gboolean
natter_chat_store_detach_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   gint64            character_id,
                                   gint64            chat_id,
                                   GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!check_link_target (character_id, chat_id, error))
    return FALSE;

  if (!(stmt = natter_database_prepare (self->db,
                                        "DELETE FROM lorebook_links WHERE lorebook_id = ?1"
                                        " AND character_id IS ?2 AND chat_id IS ?3", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  bind_id_or_null (stmt, 2, character_id);
  bind_id_or_null (stmt, 3, chat_id);

  return step_done (self, stmt, error, _("detach the lorebook"));
}

GPtrArray *
natter_chat_store_list_lorebooks (NatterChatStore  *self,
                                  gint64            character_id,
                                  gint64            chat_id,
                                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_lorebook_row_free);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!check_link_target (character_id, chat_id, error))
    return NULL;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT b.id, b.name, b.book_json FROM lorebooks b"
                                        " JOIN lorebook_links l ON l.lorebook_id = b.id"
                                        " WHERE l.character_id IS ?1 AND l.chat_id IS ?2"
                                        " ORDER BY b.name COLLATE NOCASE, b.id", error)))
    return NULL;

  bind_id_or_null (stmt, 1, character_id);
  bind_id_or_null (stmt, 2, chat_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NatterLorebookRow *row = g_new0 (NatterLorebookRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->name = dup_column_text (stmt, 1);
      row->book_json = dup_column_text (stmt, 2);
      g_ptr_array_add (rows, row);
    }

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("list the lorebooks"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* ---- chats ------------------------------------------------------------- */

gint64
natter_chat_store_new_chat (NatterChatStore  *self,
                            gint64            character_id,
                            const char       *title,
                            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chats (character_id, title, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?3)", error)))
    return 0;

  bind_id_or_null (stmt, 1, character_id);
  bind_text (stmt, 2, title ? title : "");
  sqlite3_bind_int64 (stmt, 3, now_seconds ());

  if (!step_done (self, stmt, &local_error, _("create the chat")))
    {
      /* The only constraint here is the character's foreign key. */
      if (g_error_matches (local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
        not_found (error, _("character"), character_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

#define CHAT_COLUMNS \
  "id, IFNULL(character_id, 0), title, created_at, updated_at, IFNULL(parent_chat_id, 0)," \
  " IFNULL(branched_from_message_id, 0), metadata"

static NatterChat *
chat_from_stmt (sqlite3_stmt *stmt)
{
  NatterChat *chat = g_object_new (NATTER_TYPE_CHAT, NULL);

  chat->id = sqlite3_column_int64 (stmt, 0);
  chat->character_id = sqlite3_column_int64 (stmt, 1);
  chat->title = dup_column_text (stmt, 2);
  chat->created_at = sqlite3_column_int64 (stmt, 3);
  chat->updated_at = sqlite3_column_int64 (stmt, 4);
  chat->parent_chat_id = sqlite3_column_int64 (stmt, 5);
  chat->branched_from_message_id = sqlite3_column_int64 (stmt, 6);
  chat->metadata = dup_column_text (stmt, 7);

  return chat;
}

GPtrArray *
natter_chat_store_list_chats (NatterChatStore  *self,
                              gint64            character_id,
                              GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) chats = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (character_id == 0)
    stmt = natter_database_prepare (self->db,
                                    "SELECT " CHAT_COLUMNS " FROM chats"
                                    " ORDER BY updated_at DESC, id DESC", error);
  else
    stmt = natter_database_prepare (self->db,
                                    "SELECT " CHAT_COLUMNS " FROM chats WHERE character_id = ?1"
                                    " ORDER BY updated_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;

  if (character_id != 0)
    sqlite3_bind_int64 (stmt, 1, character_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (chats, chat_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("list the chats"));
      return NULL;
    }

  return g_steal_pointer (&chats);
}

NatterChat *
natter_chat_store_get_chat (NatterChatStore  *self,
                            gint64            chat_id,
                            GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHAT_COLUMNS " FROM chats WHERE id = ?1", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return chat_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("read the chat"));
  else
    not_found (error, _("chat"), chat_id);

  return NULL;
}

gboolean
natter_chat_store_rename_chat (NatterChatStore  *self,
                               gint64            chat_id,
                               const char       *title,
                               GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET title = ?1 WHERE id = ?2", error)))
    return FALSE;

  bind_text (stmt, 1, title);
  sqlite3_bind_int64 (stmt, 2, chat_id);

  if (!step_done (self, stmt, error, _("rename the chat")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, _("chat"), chat_id);

  return TRUE;
}

gboolean
natter_chat_store_set_chat_metadata (NatterChatStore  *self,
                                     gint64            chat_id,
                                     const char       *metadata_json,
                                     GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  JsonNode *root;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (metadata_json != NULL, FALSE);

  if (!json_parser_load_from_data (parser, metadata_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Chat metadata must be a JSON object."));
      return FALSE;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET metadata = ?1 WHERE id = ?2", error)))
    return FALSE;

  bind_text (stmt, 1, metadata_json);
  sqlite3_bind_int64 (stmt, 2, chat_id);

  if (!step_done (self, stmt, error, _("save the chat")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, _("chat"), chat_id);

  return TRUE;
}

gboolean
natter_chat_store_delete_chat (NatterChatStore  *self,
                               gint64            chat_id,
                               GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM chats WHERE id = ?1", chat_id,
                       _("chat"), _("delete the chat"), error);
}

/* The position of @message_id, checking it belongs to @chat_id (0: any). */
static gboolean
message_position (NatterChatStore  *self,
                  gint64            message_id,
                  gint64            chat_id,
                  gint64           *position,
                  gint64           *owner_chat_id,
                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT position, chat_id FROM messages WHERE id = ?1", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW &&
      (chat_id == 0 || sqlite3_column_int64 (stmt, 1) == chat_id))
    {
      if (position)
        *position = sqlite3_column_int64 (stmt, 0);
      if (owner_chat_id)
        *owner_chat_id = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return natter_database_set_error (self->db, error, _("read the message"));

  return not_found (error, _("message"), message_id);
}

gint64
natter_chat_store_branch_chat (NatterChatStore  *self,
                               gint64            chat_id,
                               gint64            message_id,
                               const char       *title,
                               GError          **error)
{
  g_autoptr(NatterChat) parent = NULL;
  g_autofree char *default_title = NULL;
  sqlite3_stmt *stmt;
  gint64 position;
  gint64 new_id;
  gint64 now = now_seconds ();

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);

  if (!(parent = natter_chat_store_get_chat (self, chat_id, error)))
    return 0;

  if (title == NULL)
    {
      /* Translators: the title of a chat branched from the chat named %s */
      default_title = g_strdup_printf (_("%s (branch)"), parent->title);
      title = default_title;
    }

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!message_position (self, message_id, chat_id, &position, NULL, error))
    goto fail;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chats (character_id, title, created_at, updated_at,"
                                        " parent_chat_id, branched_from_message_id, metadata)"
                                        " SELECT character_id, ?1, ?2, ?2, id, ?3, metadata"
                                        " FROM chats WHERE id = ?4", error)))
    goto fail;
  bind_text (stmt, 1, title);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, message_id);
  sqlite3_bind_int64 (stmt, 4, chat_id);
  if (!step_done (self, stmt, error, _("branch the chat")))
    goto fail;
  new_id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO messages (chat_id, position, role, name, created_at,"
                                        " swipe_index, extra)"
                                        " SELECT ?1, position, role, name, created_at, swipe_index, extra"
                                        " FROM messages WHERE chat_id = ?2 AND position <= ?3"
                                        " ORDER BY position", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, new_id);
  sqlite3_bind_int64 (stmt, 2, chat_id);
  sqlite3_bind_int64 (stmt, 3, position);
  if (!step_done (self, stmt, error, _("branch the chat")))
    goto fail;

  /* A reply still streaming in the parent is not streaming in the copy. */
  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO swipes (message_id, idx, content, reasoning, state,"
                                        " error_category, error_message, model, created_at, extra)"
                                        " SELECT n.id, s.idx, s.content, s.reasoning,"
                                        " CASE s.state WHEN 'streaming' THEN 'incomplete' ELSE s.state END,"
                                        " s.error_category, s.error_message, s.model, s.created_at, s.extra"
                                        " FROM messages o JOIN swipes s ON s.message_id = o.id"
                                        " JOIN messages n ON n.chat_id = ?1 AND n.position = o.position"
                                        " WHERE o.chat_id = ?2 AND o.position <= ?3", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, new_id);
  sqlite3_bind_int64 (stmt, 2, chat_id);
  sqlite3_bind_int64 (stmt, 3, position);
  if (!step_done (self, stmt, error, _("branch the chat")))
    goto fail;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO lorebook_links (lorebook_id, chat_id)"
                                        " SELECT lorebook_id, ?1 FROM lorebook_links WHERE chat_id = ?2",
                                        error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, new_id);
  sqlite3_bind_int64 (stmt, 2, chat_id);
  if (!step_done (self, stmt, error, _("branch the chat")))
    goto fail;

  if (!natter_database_commit (self->db, error))
    return 0;

  return new_id;

fail:
  natter_database_rollback (self->db);
  return 0;
}

/* ---- messages ---------------------------------------------------------- */

static gboolean
touch_chat (NatterChatStore  *self,
            gint64            chat_id,
            GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET updated_at = ?1 WHERE id = ?2", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_int64 (stmt, 2, chat_id);

  return step_done (self, stmt, error, _("save the chat"));
}

/* Inside a transaction. The position comes from the (chat_id, position)
 * index: MAX over it is one b-tree seek. */
static gint64
insert_message (NatterChatStore  *self,
                gint64            chat_id,
                NatterRole        role,
                const char       *name,
                GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO messages (chat_id, position, role, name, created_at)"
                                        " VALUES (?1, (SELECT IFNULL(MAX(position), -1) + 1 FROM messages"
                                        " WHERE chat_id = ?1), ?2, ?3, ?4)", error)))
    return 0;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  bind_text (stmt, 2, natter_role_to_string (role));
  bind_text (stmt, 3, name ? name : "");
  sqlite3_bind_int64 (stmt, 4, now_seconds ());

  if (!step_done (self, stmt, &local_error, _("save the message")))
    {
      if (g_error_matches (local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
        not_found (error, _("chat"), chat_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

static gint64
insert_swipe (NatterChatStore   *self,
              gint64             message_id,
              guint              idx,
              const char        *content,
              NatterSwipeState   state,
              const char        *model,
              GError           **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO swipes (message_id, idx, content, state, model, created_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return 0;

  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_int (stmt, 2, idx);
  bind_text (stmt, 3, content ? content : "");
  bind_text (stmt, 4, natter_swipe_state_to_string (state));
  bind_text (stmt, 5, model);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());

  if (!step_done (self, stmt, error, _("save the message")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gint64
natter_chat_store_append_message (NatterChatStore  *self,
                                  gint64            chat_id,
                                  NatterRole        role,
                                  const char       *name,
                                  const char       *content,
                                  GError          **error)
{
  gint64 message_id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (role <= NATTER_ROLE_ASSISTANT, 0);
  g_return_val_if_fail (content != NULL, 0);

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!(message_id = insert_message (self, chat_id, role, name, error)) ||
      !insert_swipe (self, message_id, 0, content, NATTER_SWIPE_STATE_COMPLETE, NULL, error) ||
      !touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    {
      natter_database_rollback (self->db);
      return 0;
    }

  return message_id;
}

gint64
natter_chat_store_greet (NatterChatStore     *self,
                         gint64               chat_id,
                         const char          *name,
                         const char          *greeting,
                         const char * const  *alternates,
                         GError             **error)
{
  gint64 message_id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (greeting != NULL, 0);

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!(message_id = insert_message (self, chat_id, NATTER_ROLE_ASSISTANT, name, error)) ||
      !insert_swipe (self, message_id, 0, greeting, NATTER_SWIPE_STATE_COMPLETE, NULL, error))
    goto fail;

  for (guint i = 0; alternates != NULL && alternates[i] != NULL; i++)
    if (!insert_swipe (self, message_id, i + 1, alternates[i], NATTER_SWIPE_STATE_COMPLETE, NULL, error))
      goto fail;

  if (!touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    goto fail;

  return message_id;

fail:
  natter_database_rollback (self->db);
  return 0;
}

gboolean
natter_chat_store_edit_message (NatterChatStore  *self,
                                gint64            message_id,
                                const char       *content,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (content != NULL, FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE swipes SET content = ?1 WHERE message_id = ?2"
                                        " AND idx = (SELECT swipe_index FROM messages WHERE id = ?2)",
                                        error)))
    return FALSE;

  bind_text (stmt, 1, content);
  sqlite3_bind_int64 (stmt, 2, message_id);

  if (!step_done (self, stmt, error, _("save the message")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, _("message"), message_id);

  return TRUE;
}

gboolean
natter_chat_store_delete_message (NatterChatStore  *self,
                                  gint64            message_id,
                                  GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM messages WHERE id = ?1", message_id,
                       _("message"), _("delete the message"), error);
}

gboolean
natter_chat_store_select_swipe (NatterChatStore  *self,
                                gint64            message_id,
                                guint             swipe_index,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE messages SET swipe_index = ?1 WHERE id = ?2"
                                        " AND EXISTS (SELECT 1 FROM swipes WHERE message_id = ?2 AND idx = ?1)",
                                        error)))
    return FALSE;

  sqlite3_bind_int (stmt, 1, swipe_index);
  sqlite3_bind_int64 (stmt, 2, message_id);

  if (!step_done (self, stmt, error, _("select the swipe")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("Message %" G_GINT64_FORMAT " has no swipe %u."), message_id, swipe_index + 1);
      return FALSE;
    }

  return TRUE;
}

/* Inside a transaction: adds swipe number MAX+1 to @message_id and selects it. */
static gint64
add_selected_swipe (NatterChatStore   *self,
                    gint64             message_id,
                    const char        *content,
                    NatterSwipeState   state,
                    const char        *model,
                    guint             *out_index,
                    GError           **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *update;
  gint64 swipe_id;
  guint idx;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT IFNULL(MAX(idx), -1) + 1 FROM swipes WHERE message_id = ?1",
                                        error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return natter_database_set_error (self->db, error, _("save the swipe"));
  idx = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (!(swipe_id = insert_swipe (self, message_id, idx, content, state, model, error)))
    return 0;

  if (!(update = natter_database_prepare (self->db,
                                          "UPDATE messages SET swipe_index = ?1 WHERE id = ?2", error)))
    return 0;
  sqlite3_bind_int (update, 1, idx);
  sqlite3_bind_int64 (update, 2, message_id);
  if (!step_done (self, update, error, _("save the swipe")))
    return 0;

  *out_index = idx;

  return swipe_id;
}

gint
natter_chat_store_add_swipe (NatterChatStore  *self,
                             gint64            message_id,
                             const char       *content,
                             GError          **error)
{
  guint idx = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);
  g_return_val_if_fail (content != NULL, -1);

  if (!natter_database_begin (self->db, error))
    return -1;

  if (!message_position (self, message_id, 0, NULL, NULL, error) ||
      !add_selected_swipe (self, message_id, content, NATTER_SWIPE_STATE_COMPLETE, NULL, &idx, error) ||
      !natter_database_commit (self->db, error))
    {
      natter_database_rollback (self->db);
      return -1;
    }

  return idx;
}

#define MESSAGE_SELECT \
  "SELECT m.id, m.chat_id, m.position, m.role, m.name, m.created_at, m.swipe_index," \
  " s.id, s.content, s.reasoning, s.state, s.error_category, s.error_message, s.model," \
  " (SELECT COUNT(*) FROM swipes c WHERE c.message_id = m.id)" \
  " FROM messages m LEFT JOIN swipes s ON s.message_id = m.id AND s.idx = m.swipe_index"

static NatterChatMessage *
message_from_stmt (NatterChatStore *self,
                   sqlite3_stmt    *stmt)
{
  NatterChatMessage *message = g_object_new (NATTER_TYPE_CHAT_MESSAGE, NULL);
  gint64 swipe_id = sqlite3_column_int64 (stmt, 7);
  NatterRole role = NATTER_ROLE_USER;
  NatterSwipeState state = NATTER_SWIPE_STATE_COMPLETE;

  message->id = sqlite3_column_int64 (stmt, 0);
  message->chat_id = sqlite3_column_int64 (stmt, 1);
  message->position = sqlite3_column_int64 (stmt, 2);
  natter_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &role);
  message->role = role;
  message->name = dup_column_text (stmt, 4);
  message->created_at = sqlite3_column_int64 (stmt, 5);
  message->swipe_index = sqlite3_column_int (stmt, 6);
  message->content = g_strdup (sqlite3_column_text (stmt, 8) ? (const char *) sqlite3_column_text (stmt, 8) : "");
  message->reasoning = g_strdup (sqlite3_column_text (stmt, 9) ? (const char *) sqlite3_column_text (stmt, 9) : "");
  natter_swipe_state_from_string ((const char *) sqlite3_column_text (stmt, 10), &state);
  /* "streaming" without a writer alive in this store means the writer died
   * mid-reply: what was saved is all there is. */
  if (state == NATTER_SWIPE_STATE_STREAMING &&
      !g_hash_table_contains (self->active_swipes, &swipe_id))
    state = NATTER_SWIPE_STATE_INCOMPLETE;
  message->state = state;
  message->error_category =
    natter_error_category_from_string ((const char *) sqlite3_column_text (stmt, 11));
  message->error_message = dup_column_text (stmt, 12);
  message->model = dup_column_text (stmt, 13);
  message->n_swipes = sqlite3_column_int (stmt, 14);

  return message;
}

NatterChatMessage *
natter_chat_store_get_message (NatterChatStore  *self,
                               gint64            message_id,
                               GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db, MESSAGE_SELECT " WHERE m.id = ?1", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return message_from_stmt (self, stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("read the message"));
  else
    not_found (error, _("message"), message_id);

  return NULL;
}

static void
update_string (NatterChatMessage  *self,
               char              **field,
               const char         *value,
               int                 prop)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      if (prop != 0)
        g_object_notify_by_pspec (G_OBJECT (self), message_properties[prop]);
    }
}

#define UPDATE_VALUE(self, fresh, field, prop) \
  G_STMT_START { \
    if ((self)->field != (fresh)->field) \
      { \
        (self)->field = (fresh)->field; \
        g_object_notify_by_pspec (G_OBJECT (self), message_properties[prop]); \
      } \
  } G_STMT_END

gboolean
natter_chat_store_refresh_message (NatterChatStore    *self,
                                   NatterChatMessage  *message,
                                   GError            **error)
{
  g_autoptr(NatterChatMessage) fresh = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (message), FALSE);

  if (!(fresh = natter_chat_store_get_message (self, message->id, error)))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (message));
  message->position = fresh->position;
  UPDATE_VALUE (message, fresh, role, MSG_PROP_ROLE);
  update_string (message, &message->name, fresh->name, MSG_PROP_NAME);
  update_string (message, &message->content, fresh->content, MSG_PROP_CONTENT);
  update_string (message, &message->reasoning, fresh->reasoning, MSG_PROP_REASONING);
  update_string (message, &message->model, fresh->model, 0);
  UPDATE_VALUE (message, fresh, n_swipes, MSG_PROP_N_SWIPES);
  UPDATE_VALUE (message, fresh, swipe_index, MSG_PROP_SWIPE_INDEX);
  UPDATE_VALUE (message, fresh, state, MSG_PROP_STATE);
  UPDATE_VALUE (message, fresh, error_category, MSG_PROP_ERROR_CATEGORY);
  update_string (message, &message->error_message, fresh->error_message, MSG_PROP_ERROR_MESSAGE);
  UPDATE_VALUE (message, fresh, created_at, MSG_PROP_CREATED_AT);
  g_object_thaw_notify (G_OBJECT (message));

  return TRUE;
}

GPtrArray *
natter_chat_store_page_messages (NatterChatStore  *self,
                                 gint64            chat_id,
                                 gint64            before_position,
                                 guint             limit,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        MESSAGE_SELECT " WHERE m.chat_id = ?1 AND m.position < ?2"
                                        " ORDER BY m.position DESC LIMIT ?3", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, before_position < 0 ? G_MAXINT64 : before_position);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (messages, message_from_stmt (self, stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("read the chat"));
      return NULL;
    }

  /* Read newest first; handed out in chat order. */
  for (guint i = 0, j = messages->len ? messages->len - 1 : 0; i < j; i++, j--)
    {
      gpointer tmp = messages->pdata[i];

      messages->pdata[i] = messages->pdata[j];
      messages->pdata[j] = tmp;
    }

  return g_steal_pointer (&messages);
}

gint64
natter_chat_store_count_messages (NatterChatStore  *self,
                                  gint64            chat_id,
                                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT COUNT(*) FROM messages WHERE chat_id = ?1", error)))
    return -1;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      natter_database_set_error (self->db, error, _("count the messages"));
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

gint64
natter_chat_store_position_at (NatterChatStore  *self,
                               gint64            chat_id,
                               gint64            index,
                               GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (index < 0)
    return -1;
  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT position FROM messages WHERE chat_id = ?1"
                                        " ORDER BY position LIMIT 1 OFFSET ?2", error)))
    return -1;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, index);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("read the chat"));
  return -1;
}

gint64
natter_chat_store_message_index (NatterChatStore  *self,
                                 gint64            message_id,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT (SELECT COUNT(*) FROM messages o"
                                        "        WHERE o.chat_id = m.chat_id AND o.position < m.position)"
                                        " FROM messages m WHERE m.id = ?1", error)))
    return -1;

  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                 _("There is no message %" G_GINT64_FORMAT "."), message_id);
  else
    natter_database_set_error (self->db, error, _("read the chat"));
  return -1;
}

/* ---- search ------------------------------------------------------------ */

/* Each whitespace-separated word becomes an FTS5 string ("…" with inner
 * quotes doubled), so operators, parentheses, colons and stray quotes in
 * what people type are matched as text, never parsed. */
static char *
fts_query_from_user_text (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *q = start; q < p; q++)
        {
          if (*q == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *q);
        }
      g_string_append_c (query, '"');
    }

  return g_string_free (g_steal_pointer (&query), query->len == 0);
}

GPtrArray *
natter_chat_store_search (NatterChatStore  *self,
                          const char       *query,
                          guint             limit,
                          GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_search_hit_free);
  g_autofree char *fts_query = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!g_utf8_validate (query, -1, NULL))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The search text is not valid UTF-8."));
      return NULL;
    }

  if (!(fts_query = fts_query_from_user_text (query)))
    return g_steal_pointer (&hits);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT m.chat_id, c.title, m.id,"
                                        " snippet(swipes_fts, 0, '" NATTER_SEARCH_MATCH_BEGIN "', '"
                                        NATTER_SEARCH_MATCH_END "', '…', 12)"
                                        " FROM swipes_fts"
                                        " JOIN swipes s ON s.id = swipes_fts.rowid"
                                        " JOIN messages m ON m.id = s.message_id"
                                        " JOIN chats c ON c.id = m.chat_id"
                                        " WHERE swipes_fts MATCH ?1"
                                        " ORDER BY swipes_fts.rowid DESC LIMIT ?2", error)))
    return NULL;

  bind_text (stmt, 1, fts_query);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NatterSearchHit *hit = g_new0 (NatterSearchHit, 1);

      hit->chat_id = sqlite3_column_int64 (stmt, 0);
      hit->chat_title = dup_column_text (stmt, 1);
      hit->message_id = sqlite3_column_int64 (stmt, 2);
      hit->snippet = dup_column_text (stmt, 3);
      g_ptr_array_add (hits, hit);
    }

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("search the chats"));
      return NULL;
    }

  return g_steal_pointer (&hits);
}

/* ---- NatterReplyWriter ------------------------------------------------- */

struct _NatterReplyWriter
{
  GObject          parent_instance;
  NatterChatStore *store;
  gint64           chat_id;
  gint64           message_id;
  gint64           swipe_id;
  guint            swipe_index;
  GString         *text;       /* not yet saved */
  GString         *reasoning;  /* not yet saved */
  gint64           last_flush_us;
  GSource         *timeout;
  gint64           timeout_due_us;  /* monotonic time the timeout fires */
  gboolean         finished;
};

G_DEFINE_FINAL_TYPE (NatterReplyWriter, natter_reply_writer, G_TYPE_OBJECT)

static gboolean
save_swipe (NatterReplyWriter  *self,
            const char         *state,
            NatterErrorCategory category,
            const char         *error_message,
            GError            **error)
{
  NatterDatabase *db = self->store->db;
  sqlite3_stmt *stmt;

  if (state == NULL)
    stmt = natter_database_prepare (db,
                                    "UPDATE swipes SET content = content || ?1,"
                                    " reasoning = reasoning || ?2, state = 'streaming' WHERE id = ?3", error);
  else
    stmt = natter_database_prepare (db,
                                    "UPDATE swipes SET content = content || ?1,"
                                    " reasoning = reasoning || ?2, state = ?4,"
                                    " error_category = ?5, error_message = ?6 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, self->text->str, self->text->len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->reasoning->str, self->reasoning->len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, self->swipe_id);
  if (state != NULL)
    {
      bind_text (stmt, 4, state);
      bind_text (stmt, 5, category == NATTER_ERROR_CATEGORY_NONE
                          ? NULL : natter_error_category_to_string (category));
      bind_text (stmt, 6, error_message);
    }

  /* On failure the text stays buffered for the next try: nothing is lost. */
  if (!step_done (self->store, stmt, error, _("save the reply")))
    return FALSE;

  g_string_truncate (self->text, 0);
  g_string_truncate (self->reasoning, 0);
  self->last_flush_us = g_get_monotonic_time ();

  return TRUE;
}

static void
cancel_timeout (NatterReplyWriter *self)
{
  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
}

static void
writer_forget (NatterReplyWriter *self)
{
  cancel_timeout (self);
  if (!self->finished)
    {
      g_hash_table_remove (self->store->active_swipes, &self->swipe_id);
      live_swipe_remove (self->store->db, self->swipe_id);
    }
  self->finished = TRUE;
}

static void
natter_reply_writer_finalize (GObject *object)
{
  NatterReplyWriter *self = (NatterReplyWriter *)object;

  /* Dropped without finish: keep what arrived and say it stopped early. */
  if (!self->finished)
    {
      g_autoptr(GError) error = NULL;

      if (!save_swipe (self, "incomplete", NATTER_ERROR_CATEGORY_NONE, NULL, &error))
        g_warning ("Could not save the end of an abandoned reply: %s", error->message);
      writer_forget (self);
    }

  cancel_timeout (self);
  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (natter_reply_writer_parent_class)->finalize (object);
}

static void
natter_reply_writer_class_init (NatterReplyWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_reply_writer_finalize;
}

static void
natter_reply_writer_init (NatterReplyWriter *self)
{
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
}

NatterReplyWriter *
natter_chat_store_begin_reply (NatterChatStore  *self,
                               gint64            chat_id,
                               const char       *model,
                               const char       *name,
                               gint64            message_id,
                               GError          **error)
{
  g_autoptr(NatterReplyWriter) writer = NULL;
  gint64 swipe_id;
  guint idx = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!natter_database_begin (self->db, error))
    return NULL;

  if (message_id == 0)
    {
      if (!(message_id = insert_message (self, chat_id, NATTER_ROLE_ASSISTANT, name, error)) ||
          !(swipe_id = insert_swipe (self, message_id, 0, "", NATTER_SWIPE_STATE_STREAMING, model, error)))
        goto fail;
    }
  else
    {
      if (!message_position (self, message_id, chat_id, NULL, NULL, error) ||
          !(swipe_id = add_selected_swipe (self, message_id, "", NATTER_SWIPE_STATE_STREAMING,
                                           model, &idx, error)))
        goto fail;
    }

  if (!touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    goto fail;

  writer = g_object_new (NATTER_TYPE_REPLY_WRITER, NULL);
  writer->store = g_object_ref (self);
  writer->chat_id = chat_id;
  writer->message_id = message_id;
  writer->swipe_id = swipe_id;
  writer->swipe_index = idx;
  writer->last_flush_us = g_get_monotonic_time ();
  g_hash_table_add (self->active_swipes, g_memdup2 (&swipe_id, sizeof swipe_id));
  live_swipe_add (self->db, swipe_id);

  return g_steal_pointer (&writer);

fail:
  natter_database_rollback (self->db);
  return NULL;
}

gint64
natter_reply_writer_get_message_id (NatterReplyWriter *self)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), 0);

  return self->message_id;
}

guint
natter_reply_writer_get_swipe_index (NatterReplyWriter *self)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), 0);

  return self->swipe_index;
}

gboolean
natter_reply_writer_flush (NatterReplyWriter  *self,
                           GError            **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);

  cancel_timeout (self);

  if (self->text->len == 0 && self->reasoning->len == 0)
    return TRUE;

  return save_swipe (self, NULL, NATTER_ERROR_CATEGORY_NONE, NULL, error);
}

static gboolean
on_flush_timeout (gpointer data)
{
  NatterReplyWriter *self = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->timeout, g_source_unref);

  if (!natter_reply_writer_flush (self, &error))
    g_debug ("Could not save the reply yet: %s", error->message);

  return G_SOURCE_REMOVE;
}

static gboolean
maybe_flush (NatterReplyWriter  *self,
             GError            **error)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = self->last_flush_us +
               (self->text->len + self->reasoning->len >= FLUSH_BYTES
                ? FLUSH_MIN_INTERVAL_US : FLUSH_INTERVAL_US);

  if (now >= due)
    return natter_reply_writer_flush (self, error);

  /* Text that arrives and then a pause: saved when it is due. */
  if (self->timeout != NULL && self->timeout_due_us > due)
    cancel_timeout (self);
  if (self->timeout == NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      self->timeout = g_timeout_source_new ((due - now) / 1000 + 1);
      self->timeout_due_us = due;
      g_source_set_callback (self->timeout, on_flush_timeout, self, NULL);
      g_source_set_static_name (self->timeout, "[natter] reply flush");
      g_source_attach (self->timeout, context);
    }

  return TRUE;
}

static gboolean
check_writable (NatterReplyWriter  *self,
                GError            **error)
{
  if (self->finished)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The reply was already finished."));
      return FALSE;
    }

  return TRUE;
}

gboolean
natter_reply_writer_append (NatterReplyWriter  *self,
                            const char         *text,
                            gssize              len,
                            GError            **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  g_string_append_len (self->text, text, len < 0 ? (gssize) strlen (text) : len);

  return maybe_flush (self, error);
}

gboolean
natter_reply_writer_append_reasoning (NatterReplyWriter  *self,
                                      const char         *text,
                                      gssize              len,
                                      GError            **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  g_string_append_len (self->reasoning, text, len < 0 ? (gssize) strlen (text) : len);

  return maybe_flush (self, error);
}

gboolean
natter_reply_writer_finish (NatterReplyWriter   *self,
                            NatterSwipeState     state,
                            NatterErrorCategory  category,
                            const char          *error_message,
                            GError             **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);
  g_return_val_if_fail (state == NATTER_SWIPE_STATE_COMPLETE ||
                        state == NATTER_SWIPE_STATE_ERROR ||
                        state == NATTER_SWIPE_STATE_CANCELLED, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  cancel_timeout (self);

  if (!save_swipe (self, natter_swipe_state_to_string (state), category, error_message, error))
    return FALSE;

  writer_forget (self);

  return TRUE;
}
