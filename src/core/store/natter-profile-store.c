/* natter-profile-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-profile-store.h"
#include "natter-json.h"

#define ACTIVE_KEY "active-profile"

struct _NatterProfileStore
{
  GObject         parent_instance;

  NatterDatabase *database;
  GPtrArray      *items;        /* NatterProfile, sorted by name */
  char           *active_uuid;  /* as persisted; may name no profile */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterProfileStore, natter_profile_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_ACTIVE_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (NatterProfileStore *self,
              gint64              id)
{
  g_signal_emit (self, signals[CHANGED], 0, id);
}

static GType
natter_profile_store_get_item_type (GListModel *model)
{
  return NATTER_TYPE_PROFILE;
}

static guint
natter_profile_store_get_n_items (GListModel *model)
{
  return NATTER_PROFILE_STORE (model)->items->len;
}

static gpointer
natter_profile_store_get_item (GListModel *model,
                               guint       position)
{
  NatterProfileStore *self = NATTER_PROFILE_STORE (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = natter_profile_store_get_item_type;
  iface->get_n_items = natter_profile_store_get_n_items;
  iface->get_item = natter_profile_store_get_item;
}

static void
natter_profile_store_finalize (GObject *object)
{
  NatterProfileStore *self = (NatterProfileStore *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->active_uuid, g_free);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (natter_profile_store_parent_class)->finalize (object);
}

static void
natter_profile_store_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  NatterProfileStore *self = NATTER_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_PROFILE:
      g_value_set_object (value, natter_profile_store_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_profile_store_class_init (NatterProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_profile_store_finalize;
  object_class->get_property = natter_profile_store_get_property;

  properties[PROP_ACTIVE_PROFILE] =
    g_param_spec_object ("active-profile", NULL, NULL, NATTER_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
natter_profile_store_init (NatterProfileStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Sorting and lookup */

static int
compare_names (const char *a,
               const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);
  int cmp = g_utf8_collate (fa, fb);

  if (cmp == 0)
    cmp = strcmp (fa, fb);

  return cmp;
}

static gboolean
names_equal (const char *a,
             const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}

/* Where a profile called @name goes in the sorted @items (ignoring @skip). */
static guint
sorted_position_in (GPtrArray     *items,
                    const char    *name,
                    NatterProfile *skip)
{
  guint pos = 0;

  for (guint i = 0; i < items->len; i++)
    {
      NatterProfile *profile = g_ptr_array_index (items, i);

      if (profile == skip)
        continue;
      if (compare_names (natter_profile_get_name (profile), name) <= 0)
        pos++;
    }

  return pos;
}

static guint
sorted_position (NatterProfileStore *self,
                 const char         *name,
                 NatterProfile      *skip)
{
  return sorted_position_in (self->items, name, skip);
}

static gboolean
find_by_id (NatterProfileStore *self,
            gint64              id,
            guint              *position)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      NatterProfile *profile = g_ptr_array_index (self->items, i);

      if (natter_profile_get_id (profile) == id)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

NatterProfile *
natter_profile_store_lookup (NatterProfileStore *self,
                             const char         *name)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  wanted = g_strstrip (g_strdup (name));

  for (guint i = 0; i < self->items->len; i++)
    {
      NatterProfile *profile = g_ptr_array_index (self->items, i);

      if (names_equal (natter_profile_get_name (profile), wanted))
        return profile;
    }

  return NULL;
}

NatterProfile *
natter_profile_store_lookup_by_id (NatterProfileStore *self,
                                   gint64              id)
{
  guint pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), NULL);

  if (id > 0 && find_by_id (self, id, &pos))
    return g_ptr_array_index (self->items, pos);

  return NULL;
}

NatterProfile *
natter_profile_store_lookup_by_uuid (NatterProfileStore *self,
                                     const char         *uuid)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), NULL);

  if (uuid == NULL || uuid[0] == '\0')
    return NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      NatterProfile *profile = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (natter_profile_get_uuid (profile), uuid) == 0)
        return profile;
    }

  return NULL;
}

NatterProfile *
natter_profile_store_get_default (NatterProfileStore *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      NatterProfile *profile = g_ptr_array_index (self->items, i);

      if (natter_profile_get_is_default (profile))
        return profile;
    }

  return NULL;
}

NatterProfile *
natter_profile_store_get_active (NatterProfileStore *self)
{
  NatterProfile *profile;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), NULL);

  if ((profile = natter_profile_store_lookup_by_uuid (self, self->active_uuid)))
    return profile;
  if ((profile = natter_profile_store_get_default (self)))
    return profile;
  if (self->items->len > 0)
    return g_ptr_array_index (self->items, 0);

  return NULL;
}

NatterDatabase *
natter_profile_store_get_database (NatterProfileStore *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), NULL);

  return self->database;
}

/* Remembers the active profile before a change and notifies when it
 * differs afterwards. */
static NatterProfile *
active_before (NatterProfileStore *self)
{
  NatterProfile *active = natter_profile_store_get_active (self);

  return active ? g_object_ref (active) : NULL;
}

static void
notify_active_if_changed (NatterProfileStore *self,
                          NatterProfile      *before)
{
  if (natter_profile_store_get_active (self) != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_PROFILE]);
}

static gboolean
validate_for_store (NatterProfileStore  *self,
                    NatterProfile       *profile,
                    GError             **error)
{
  g_autofree char *name = NULL;

  if (!natter_profile_validate (profile, error))
    return FALSE;

  name = g_strstrip (g_strdup (natter_profile_get_name (profile)));

  for (guint i = 0; i < self->items->len; i++)
    {
      NatterProfile *other = g_ptr_array_index (self->items, i);

      if (natter_profile_get_id (other) == natter_profile_get_id (profile))
        continue;

      if (names_equal (natter_profile_get_name (other), name))
        {
          g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS,
                       _("A profile called “%s” already exists."),
                       natter_profile_get_name (other));
          return FALSE;
        }
    }

  return TRUE;
}

/* SQL helpers */

static char *
models_to_json (const char * const *models)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; models[i] != NULL; i++)
    json_builder_add_string_value (builder, models[i]);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static GStrv
models_from_json (const char *json,
                  const char *profile_name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (json == NULL ||
      !natter_json_parser_load (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_warning ("The custom model list of profile “%s” is damaged; ignoring it",
                 profile_name);
      return g_strv_builder_end (builder);
    }

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

static gboolean
step_done (NatterProfileStore  *self,
           sqlite3_stmt        *stmt,
           GError             **error,
           const char          *failure)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      natter_database_set_error (self->database, error, failure);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
clear_other_defaults (NatterProfileStore  *self,
                      gint64               keep_id,
                      GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = natter_database_prepare (self->database,
                                  "UPDATE profiles SET is_default = 0 "
                                  "WHERE is_default = 1 AND id != ?1",
                                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, keep_id);

  return step_done (self, stmt, error, _("Could not save the default profile"));
}

static void
clear_other_defaults_in_memory (NatterProfileStore *self,
                                NatterProfile      *keep)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      NatterProfile *profile = g_ptr_array_index (self->items, i);

      if (profile != keep)
        natter_profile_set_is_default (profile, FALSE);
    }
}

/* Loading */

/* Reads every profile into @items (sorted by name) and the persisted
 * active profile into *@active_uuid. */
static gboolean
read_rows (NatterProfileStore  *self,
           GPtrArray           *items,
           char               **active_uuid,
           GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = natter_database_prepare (self->database,
                                  "SELECT id, uuid, name, provider, model, base_url, proxy_url,"
                                  " connect_timeout, is_default, settings, custom_models "
                                  "FROM profiles",
                                  error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(NatterProfile) profile = NULL;
      g_auto(GStrv) models = NULL;
      const char *name = column_text (stmt, 2);

      models = models_from_json ((const char *) sqlite3_column_text (stmt, 10), name);

      profile = g_object_new (NATTER_TYPE_PROFILE,
                              "id", sqlite3_column_int64 (stmt, 0),
                              "uuid", column_text (stmt, 1),
                              "name", name,
                              "provider-id", column_text (stmt, 3),
                              "model", column_text (stmt, 4),
                              "base-url", column_text (stmt, 5),
                              "proxy-url", column_text (stmt, 6),
                              "connect-timeout", (guint) CLAMP (sqlite3_column_int64 (stmt, 7), 0, G_MAXUINT),
                              "is-default", sqlite3_column_int (stmt, 8) != 0,
                              "settings", column_text (stmt, 9),
                              "custom-models", models,
                              NULL);

      g_ptr_array_insert (items,
                          sorted_position_in (items, name, NULL),
                          g_steal_pointer (&profile));
    }

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not read the connection profiles"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  stmt = natter_database_prepare (self->database,
                                  "SELECT value FROM app_state WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, ACTIVE_KEY, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *active_uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not read the active profile"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* Copies every stored column of @from into @to (notify per change). */
static void
copy_values (NatterProfile *to,
             NatterProfile *from)
{
  natter_profile_set_name (to, natter_profile_get_name (from));
  natter_profile_set_provider_id (to, natter_profile_get_provider_id (from));
  natter_profile_set_model (to, natter_profile_get_model (from));
  natter_profile_set_base_url (to, natter_profile_get_base_url (from));
  natter_profile_set_proxy_url (to, natter_profile_get_proxy_url (from));
  natter_profile_set_connect_timeout (to, natter_profile_get_connect_timeout (from));
  natter_profile_set_is_default (to, natter_profile_get_is_default (from));
  natter_profile_set_settings (to, natter_profile_get_settings (from));
  natter_profile_set_custom_models (to, natter_profile_get_custom_models (from));
}

static gboolean
same_values (NatterProfile *a,
             NatterProfile *b)
{
  return g_strcmp0 (natter_profile_get_name (a), natter_profile_get_name (b)) == 0 &&
         g_strcmp0 (natter_profile_get_provider_id (a), natter_profile_get_provider_id (b)) == 0 &&
         g_strcmp0 (natter_profile_get_model (a), natter_profile_get_model (b)) == 0 &&
         g_strcmp0 (natter_profile_get_base_url (a), natter_profile_get_base_url (b)) == 0 &&
         g_strcmp0 (natter_profile_get_proxy_url (a), natter_profile_get_proxy_url (b)) == 0 &&
         natter_profile_get_connect_timeout (a) == natter_profile_get_connect_timeout (b) &&
         natter_profile_get_is_default (a) == natter_profile_get_is_default (b) &&
         g_strcmp0 (natter_profile_get_settings (a), natter_profile_get_settings (b)) == 0 &&
         g_strv_equal ((const char * const *) natter_profile_get_custom_models (a),
                       (const char * const *) natter_profile_get_custom_models (b));
}

static int
compare_profiles (gconstpointer a,
                  gconstpointer b)
{
  NatterProfile *pa = *(NatterProfile **) a;
  NatterProfile *pb = *(NatterProfile **) b;

  return compare_names (natter_profile_get_name (pa), natter_profile_get_name (pb));
}

/* Another process (natter-cli) changed the database: the stored objects
 * take the new values in place, so whoever holds one (the window, an open
 * form) sees the new URL or model at once; profiles deleted there leave
 * the list, new ones join it. */
static void
reload (NatterProfileStore *self)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(NatterProfile) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *active_uuid = NULL;
  gboolean reordered = FALSE;
  gboolean changed = FALSE;
  guint n_before;

  if (!read_rows (self, fresh, &active_uuid, &error))
    {
      g_warning ("Could not re-read the connections changed by another program: %s",
                 error->message);
      return;
    }

  before = active_before (self);

  /* Gone. */
  for (guint i = self->items->len; i > 0; i--)
    {
      NatterProfile *stored = g_ptr_array_index (self->items, i - 1);
      gboolean found = FALSE;

      for (guint j = 0; j < fresh->len && !found; j++)
        found = natter_profile_get_id (g_ptr_array_index (fresh, j)) == natter_profile_get_id (stored);
      if (!found)
        {
          changed = TRUE;
          g_ptr_array_remove_index (self->items, i - 1);
          g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
        }
    }

  /* Changed, then new. */
  n_before = self->items->len;
  for (guint j = 0; j < fresh->len; j++)
    {
      NatterProfile *row = g_ptr_array_index (fresh, j);
      guint pos;

      if (find_by_id (self, natter_profile_get_id (row), &pos))
        {
          NatterProfile *stored = g_ptr_array_index (self->items, pos);

          if (same_values (stored, row))
            continue;
          changed = TRUE;
          g_object_freeze_notify (G_OBJECT (stored));
          copy_values (stored, row);
          g_object_thaw_notify (G_OBJECT (stored));
        }
      else
        {
          changed = TRUE;
          g_ptr_array_add (self->items, g_object_ref (row));
        }
    }

  /* Names may have changed: keep the list sorted. */
  for (guint i = 1; i < self->items->len && !reordered; i++)
    reordered = compare_profiles (&g_ptr_array_index (self->items, i - 1),
                                  &g_ptr_array_index (self->items, i)) > 0;
  if (reordered)
    {
      g_ptr_array_sort (self->items, compare_profiles);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_before, self->items->len);
    }
  else if (self->items->len > n_before)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), n_before, 0, self->items->len - n_before);
    }

  changed |= g_strcmp0 (self->active_uuid, active_uuid) != 0;
  g_free (self->active_uuid);
  self->active_uuid = g_steal_pointer (&active_uuid);
  notify_active_if_changed (self, before);

  /* Another program wrote chats or messages, not connections: nothing to
   * say (a form or header bar would otherwise be refreshed for nothing). */
  if (changed)
    emit_changed (self, 0);
}

static void
database_changed_externally_cb (NatterProfileStore *self)
{
  reload (self);
}

NatterProfileStore *
natter_profile_store_new (NatterDatabase  *database,
                          GError         **error)
{
  g_autoptr(NatterProfileStore) self = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  self = g_object_new (NATTER_TYPE_PROFILE_STORE, NULL);
  self->database = g_object_ref (database);

  if (!read_rows (self, self->items, &self->active_uuid, error))
    return NULL;

  g_signal_connect_object (database, "changed-externally",
                           G_CALLBACK (database_changed_externally_cb), self,
                           G_CONNECT_SWAPPED);

  return g_steal_pointer (&self);
}

/* Changes */

static void
bind_profile_columns (sqlite3_stmt  *stmt,
                      NatterProfile *profile,
                      const char    *name,
                      const char    *models_json)
{
  /* ?1 name … ?10 updated_at; the caller binds id/uuid/created_at */
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, natter_profile_get_provider_id (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, natter_profile_get_model (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, natter_profile_get_base_url (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, natter_profile_get_proxy_url (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, natter_profile_get_connect_timeout (profile));
  sqlite3_bind_int (stmt, 7, natter_profile_get_is_default (profile) ? 1 : 0);
  sqlite3_bind_text (stmt, 8, natter_profile_get_settings (profile), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, models_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 10, g_get_real_time () / 1000);
}

gboolean
natter_profile_store_add (NatterProfileStore  *self,
                          NatterProfile       *profile,
                          GError             **error)
{
  g_autoptr(NatterProfile) before = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *models_json = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  guint pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  if (natter_profile_get_id (profile) != 0 ||
      g_ptr_array_find (self->items, profile, NULL))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS,
                   _("The profile “%s” is already saved."),
                   natter_profile_get_name (profile));
      return FALSE;
    }

  if (!validate_for_store (self, profile, error))
    return FALSE;

  name = g_strstrip (g_strdup (natter_profile_get_name (profile)));
  uuid = g_uuid_string_random ();
  models_json = models_to_json (natter_profile_get_custom_models (profile));

  if (!natter_database_begin (self->database, error))
    return FALSE;

  if (natter_profile_get_is_default (profile) &&
      !clear_other_defaults (self, 0, error))
    goto fail;

  stmt = natter_database_prepare (self->database,
                                  "INSERT INTO profiles (name, provider, model, base_url, proxy_url,"
                                  " connect_timeout, is_default, settings, custom_models,"
                                  " updated_at, uuid, created_at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)",
                                  error);
  if (stmt == NULL)
    goto fail;

  bind_profile_columns (stmt, profile, name, models_json);
  sqlite3_bind_text (stmt, 11, uuid, -1, SQLITE_TRANSIENT);

  if (!step_done (self, stmt, error, _("Could not save the profile")))
    goto fail;

  id = sqlite3_last_insert_rowid (natter_database_get_handle (self->database));

  if (!natter_database_commit (self->database, error))
    return FALSE;

  /* Saved: now the memory side, which cannot fail. */
  before = active_before (self);

  g_object_set (profile, "id", id, "uuid", uuid, "name", name, NULL);
  if (natter_profile_get_is_default (profile))
    clear_other_defaults_in_memory (self, profile);

  pos = sorted_position (self, name, NULL);
  g_ptr_array_insert (self->items, pos, g_object_ref (profile));
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);

  notify_active_if_changed (self, before);
  emit_changed (self, id);

  return TRUE;

fail:
  natter_database_rollback (self->database);
  return FALSE;
}

static NatterProfile *
find_stored (NatterProfileStore  *self,
             NatterProfile       *profile,
             guint               *position,
             GError             **error)
{
  if (natter_profile_get_id (profile) <= 0 ||
      !find_by_id (self, natter_profile_get_id (profile), position))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("The profile “%s” is not saved."),
                   natter_profile_get_name (profile));
      return NULL;
    }

  return g_ptr_array_index (self->items, *position);
}

gboolean
natter_profile_store_update (NatterProfileStore  *self,
                             NatterProfile       *profile,
                             GError             **error)
{
  g_autoptr(NatterProfile) before = NULL;
  g_autoptr(NatterProfile) stored_ref = NULL;
  g_autofree char *name = NULL;
  g_autofree char *models_json = NULL;
  NatterProfile *stored;
  sqlite3_stmt *stmt;
  guint old_pos;
  guint new_pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  if (!(stored = find_stored (self, profile, &old_pos, error)))
    return FALSE;

  if (!validate_for_store (self, profile, error))
    return FALSE;

  name = g_strstrip (g_strdup (natter_profile_get_name (profile)));
  models_json = models_to_json (natter_profile_get_custom_models (profile));

  if (!natter_database_begin (self->database, error))
    return FALSE;

  if (natter_profile_get_is_default (profile) &&
      !clear_other_defaults (self, natter_profile_get_id (profile), error))
    goto fail;

  stmt = natter_database_prepare (self->database,
                                  "UPDATE profiles SET name = ?1, provider = ?2, model = ?3,"
                                  " base_url = ?4, proxy_url = ?5, connect_timeout = ?6,"
                                  " is_default = ?7, settings = ?8, custom_models = ?9,"
                                  " updated_at = ?10 "
                                  "WHERE id = ?11",
                                  error);
  if (stmt == NULL)
    goto fail;

  bind_profile_columns (stmt, profile, name, models_json);
  sqlite3_bind_int64 (stmt, 11, natter_profile_get_id (profile));

  if (!step_done (self, stmt, error, _("Could not save the profile")))
    goto fail;

  if (sqlite3_changes (natter_database_get_handle (self->database)) != 1)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("The profile “%s” is no longer in the database."), name);
      goto fail;
    }

  if (!natter_database_commit (self->database, error))
    return FALSE;

  before = active_before (self);
  stored_ref = g_object_ref (stored);

  g_object_freeze_notify (G_OBJECT (stored));
  natter_profile_set_name (stored, name);
  if (stored != profile)
    {
      natter_profile_set_provider_id (stored, natter_profile_get_provider_id (profile));
      natter_profile_set_model (stored, natter_profile_get_model (profile));
      natter_profile_set_base_url (stored, natter_profile_get_base_url (profile));
      natter_profile_set_proxy_url (stored, natter_profile_get_proxy_url (profile));
      natter_profile_set_connect_timeout (stored, natter_profile_get_connect_timeout (profile));
      natter_profile_set_is_default (stored, natter_profile_get_is_default (profile));
      natter_profile_set_settings (stored, natter_profile_get_settings (profile));
      natter_profile_set_custom_models (stored, natter_profile_get_custom_models (profile));
      natter_profile_set_name (profile, name);
    }
  if (natter_profile_get_is_default (stored))
    clear_other_defaults_in_memory (self, stored);

  new_pos = sorted_position (self, name, stored);
  if (new_pos != old_pos)
    {
      g_ptr_array_steal_index (self->items, old_pos);
      g_list_model_items_changed (G_LIST_MODEL (self), old_pos, 1, 0);
      g_ptr_array_insert (self->items, new_pos, stored);
      g_list_model_items_changed (G_LIST_MODEL (self), new_pos, 0, 1);
    }
  g_object_thaw_notify (G_OBJECT (stored));

  notify_active_if_changed (self, before);
  emit_changed (self, natter_profile_get_id (stored));

  return TRUE;

fail:
  natter_database_rollback (self->database);
  return FALSE;
}

gboolean
natter_profile_store_remove (NatterProfileStore  *self,
                             NatterProfile       *profile,
                             GError             **error)
{
  g_autoptr(NatterProfile) before = NULL;
  NatterProfile *stored;
  sqlite3_stmt *stmt;
  guint pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  if (!(stored = find_stored (self, profile, &pos, error)))
    return FALSE;

  if (!natter_database_begin (self->database, error))
    return FALSE;

  stmt = natter_database_prepare (self->database, "DELETE FROM profiles WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, natter_profile_get_id (stored));
  if (!step_done (self, stmt, error, _("Could not delete the profile")))
    goto fail;

  if (g_strcmp0 (self->active_uuid, natter_profile_get_uuid (stored)) == 0)
    {
      stmt = natter_database_prepare (self->database,
                                      "DELETE FROM app_state WHERE key = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, ACTIVE_KEY, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error, _("Could not delete the profile")))
        goto fail;
    }

  if (!natter_database_commit (self->database, error))
    return FALSE;

  before = active_before (self);

  if (g_strcmp0 (self->active_uuid, natter_profile_get_uuid (stored)) == 0)
    g_clear_pointer (&self->active_uuid, g_free);

  {
    gint64 id = natter_profile_get_id (stored);

    g_ptr_array_remove_index (self->items, pos);
    g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 0);

    notify_active_if_changed (self, before);
    emit_changed (self, id);
  }

  return TRUE;

fail:
  natter_database_rollback (self->database);
  return FALSE;
}

gboolean
natter_profile_store_set_default (NatterProfileStore  *self,
                                  NatterProfile       *profile,
                                  GError             **error)
{
  g_autoptr(NatterProfile) before = NULL;
  NatterProfile *stored = NULL;
  sqlite3_stmt *stmt;
  guint pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (profile == NULL || NATTER_IS_PROFILE (profile), FALSE);

  if (profile != NULL && !(stored = find_stored (self, profile, &pos, error)))
    return FALSE;

  if (!natter_database_begin (self->database, error))
    return FALSE;

  if (!clear_other_defaults (self, stored ? natter_profile_get_id (stored) : 0, error))
    goto fail;

  if (stored != NULL)
    {
      stmt = natter_database_prepare (self->database,
                                      "UPDATE profiles SET is_default = 1 WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, natter_profile_get_id (stored));
      if (!step_done (self, stmt, error, _("Could not save the default profile")))
        goto fail;
    }

  if (!natter_database_commit (self->database, error))
    return FALSE;

  before = active_before (self);

  clear_other_defaults_in_memory (self, stored);
  if (stored != NULL)
    {
      natter_profile_set_is_default (stored, TRUE);
      if (profile != stored)
        natter_profile_set_is_default (profile, TRUE);
    }

  notify_active_if_changed (self, before);
  emit_changed (self, stored != NULL ? natter_profile_get_id (stored) : 0);

  return TRUE;

fail:
  natter_database_rollback (self->database);
  return FALSE;
}

gboolean
natter_profile_store_set_active (NatterProfileStore  *self,
                                 NatterProfile       *profile,
                                 GError             **error)
{
  g_autoptr(NatterProfile) before = NULL;
  NatterProfile *stored;
  sqlite3_stmt *stmt;
  guint pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  if (!(stored = find_stored (self, profile, &pos, error)))
    return FALSE;

  stmt = natter_database_prepare (self->database,
                                  "INSERT OR REPLACE INTO app_state (key, value) VALUES (?1, ?2)",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ACTIVE_KEY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, natter_profile_get_uuid (stored), -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error, _("Could not remember the active profile")))
    return FALSE;

  before = active_before (self);

  g_free (self->active_uuid);
  self->active_uuid = g_strdup (natter_profile_get_uuid (stored));

  notify_active_if_changed (self, before);

  return TRUE;
}

gboolean
natter_profile_store_set_model (NatterProfileStore  *self,
                                NatterProfile       *profile,
                                const char          *model,
                                GError             **error)
{
  g_autofree char *clean = NULL;
  NatterProfile *stored;
  sqlite3_stmt *stmt;
  guint pos;

  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  if (!(stored = find_stored (self, profile, &pos, error)))
    return FALSE;

  clean = g_strstrip (g_strdup (model ? model : ""));
  if (g_strcmp0 (clean, natter_profile_get_model (stored)) == 0)
    return TRUE;

  /* Only this column: a form open on the same connection keeps every
   * other value it holds. */
  stmt = natter_database_prepare (self->database,
                                  "UPDATE profiles SET model = ?1, updated_at = ?2 WHERE id = ?3",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / 1000);
  sqlite3_bind_int64 (stmt, 3, natter_profile_get_id (stored));
  if (!step_done (self, stmt, error, _("Could not save the model of the profile")))
    return FALSE;

  natter_profile_set_model (stored, clean);
  if (profile != stored)
    natter_profile_set_model (profile, clean);
  emit_changed (self, natter_profile_get_id (stored));

  return TRUE;
}
