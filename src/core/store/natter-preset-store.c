/* natter-preset-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-preset-store"

#include "config.h"

#include <sqlite3.h>

#include <glib/gi18n-lib.h>

#include "natter-preset-store.h"

#define DEFAULT_KEY "default_preset"
#define SIDECAR_KEY "sidecar"
#define BUILTIN_RESOURCE "/io/github/natterapp/Natter/core/presets.json"

struct _NatterPresetStore
{
  GObject         parent_instance;

  NatterDatabase *database;
  GPtrArray      *builtins;   /* NatterPreset */
  char           *fingerprint; /* of the saved presets and choices */
};

G_DEFINE_FINAL_TYPE (NatterPresetStore, natter_preset_store, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
natter_preset_store_finalize (GObject *object)
{
  NatterPresetStore *self = NATTER_PRESET_STORE (object);

  g_clear_object (&self->database);
  g_clear_pointer (&self->builtins, g_ptr_array_unref);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (natter_preset_store_parent_class)->finalize (object);
}

static void
natter_preset_store_class_init (NatterPresetStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_preset_store_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
natter_preset_store_init (NatterPresetStore *self)
{
  self->builtins = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
load_builtins (NatterPresetStore *self)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (BUILTIN_RESOURCE, 0, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  if (bytes == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    g_error ("The built-in presets resource is missing or broken");
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "presets");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      NatterPreset *preset;

      json_generator_set_root (generator, json_array_get_element (array, i));
      text = json_generator_to_data (generator, NULL);
      preset = natter_preset_new_from_json (text, -1, NULL);
      g_assert (preset != NULL);
      g_ptr_array_add (self->builtins, preset);
    }
}

/* A digest of what "changed" reports: the saved presets, the choices of
 * chats and characters and the global default. */
static char *
compute_fingerprint (NatterPresetStore *self)
{
  static const char * const queries[] = {
    "SELECT name, data FROM presets ORDER BY name",
    "SELECT coalesce(chat_id, 0), coalesce(character_id, 0), preset FROM preset_links"
    " ORDER BY chat_id, character_id",
    "SELECT value, '' FROM app_state WHERE key = '" DEFAULT_KEY "'",
  };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = natter_database_prepare (self->database, queries[i], NULL);

      if (stmt == NULL)
        return NULL;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int column = 0; column < sqlite3_column_count (stmt); column++)
          {
            const guchar *text = sqlite3_column_text (stmt, column);

            g_checksum_update (checksum, text != NULL ? text : (const guchar *) "", -1);
            g_checksum_update (checksum, (const guchar *) "\x1f", 1);
          }
      sqlite3_reset (stmt);
      g_checksum_update (checksum, (const guchar *) "\x1e", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static void
emit_changed (NatterPresetStore *self)
{
  g_free (self->fingerprint);
  self->fingerprint = compute_fingerprint (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Another program (natter-cli) wrote to the database: say so only when
 * it touched presets or their choices, not for every chat message. */
static void
on_changed_externally (NatterPresetStore *self)
{
  g_autofree char *now = compute_fingerprint (self);

  if (now == NULL || g_strcmp0 (now, self->fingerprint) == 0)
    return;
  g_free (self->fingerprint);
  self->fingerprint = g_steal_pointer (&now);
  g_signal_emit (self, signals[CHANGED], 0);
}

NatterPresetStore *
natter_preset_store_new (NatterDatabase *database)
{
  NatterPresetStore *self;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  self = g_object_new (NATTER_TYPE_PRESET_STORE, NULL);
  self->database = g_object_ref (database);
  load_builtins (self);
  self->fingerprint = compute_fingerprint (self);
  g_signal_connect_object (database, "changed-externally", G_CALLBACK (on_changed_externally), self,
                           G_CONNECT_SWAPPED);
  return self;
}

static NatterPreset *
find_builtin (NatterPresetStore *self,
              const char        *name)
{
  for (guint i = 0; i < self->builtins->len; i++)
    {
      NatterPreset *preset = g_ptr_array_index (self->builtins, i);

      if (name != NULL && g_ascii_strcasecmp (natter_preset_get_name (preset), name) == 0)
        return preset;
    }
  return NULL;
}

gboolean
natter_preset_store_is_builtin (NatterPresetStore *self,
                                const char        *name)
{
  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);
  return find_builtin (self, name) != NULL;
}

/* The saved preset @name, NULL when none (@error set only on failure). */
static NatterPreset *
load_saved (NatterPresetStore  *self,
            const char         *name,
            GError            **error)
{
  sqlite3_stmt *stmt;
  NatterPreset *preset = NULL;
  int rc;

  stmt = natter_database_prepare (self->database, "SELECT data FROM presets WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      preset = natter_preset_new_from_json ((const char *) sqlite3_column_text (stmt, 0),
                                            sqlite3_column_bytes (stmt, 0), error);
    }
  else if (rc != SQLITE_DONE)
    natter_database_set_error (self->database, error, _("Could not read a preset"));
  sqlite3_reset (stmt);
  return preset;
}

gboolean
natter_preset_store_is_saved (NatterPresetStore *self,
                              const char        *name)
{
  g_autoptr(NatterPreset) preset = NULL;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);
  preset = load_saved (self, name, NULL);
  return preset != NULL;
}

NatterPreset *
natter_preset_store_get (NatterPresetStore  *self,
                         const char         *name,
                         GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  NatterPreset *preset;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  preset = load_saved (self, name, &local_error);
  if (preset != NULL)
    return preset;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  preset = find_builtin (self, name);
  if (preset != NULL)
    return natter_preset_copy (preset, NULL);
  g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
               _("There is no preset named “%s”"), name);
  return NULL;
}

static int
compare_presets (gconstpointer a,
                 gconstpointer b)
{
  NatterPreset *pa = *(NatterPreset **) a;
  NatterPreset *pb = *(NatterPreset **) b;

  return g_utf8_collate (natter_preset_get_name (pa), natter_preset_get_name (pb));
}

GPtrArray *
natter_preset_store_list (NatterPresetStore  *self,
                          GError            **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);

  stmt = natter_database_prepare (self->database, "SELECT data FROM presets", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      NatterPreset *preset = natter_preset_new_from_json ((const char *) sqlite3_column_text (stmt, 0),
                                                          sqlite3_column_bytes (stmt, 0), &local_error);

      if (preset == NULL)
        g_warning ("A saved preset cannot be read: %s", local_error->message);
      else
        g_ptr_array_add (list, preset);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not list presets"));
      return NULL;
    }
  for (guint i = 0; i < self->builtins->len; i++)
    {
      NatterPreset *builtin = g_ptr_array_index (self->builtins, i);
      gboolean shadowed = FALSE;

      for (guint j = 0; j < list->len && !shadowed; j++)
        shadowed = g_ascii_strcasecmp (natter_preset_get_name (g_ptr_array_index (list, j)),
                                       natter_preset_get_name (builtin)) == 0;
      if (!shadowed)
        g_ptr_array_add (list, g_object_ref (builtin));
    }
  g_ptr_array_sort (list, compare_presets);
  return g_steal_pointer (&list);
}

gboolean
natter_preset_store_save (NatterPresetStore  *self,
                          NatterPreset       *preset,
                          GError            **error)
{
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PRESET (preset), FALSE);

  data = natter_preset_to_json (preset, TRUE);
  stmt = natter_database_prepare (self->database,
                                  "INSERT INTO presets (name, data, created_at, updated_at)"
                                  " VALUES (?1, ?2, ?3, ?3)"
                                  " ON CONFLICT (name) DO UPDATE SET data = ?2, updated_at = ?3",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, natter_preset_get_name (preset), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not save a preset"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  emit_changed (self);
  return TRUE;
}

static gboolean
exec_bound (NatterPresetStore  *self,
            const char         *sql,
            const char         *a,
            const char         *b,
            const char         *failure,
            int                *changes,
            GError            **error)
{
  sqlite3_stmt *stmt = natter_database_prepare (self->database, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (a != NULL)
    sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, failure);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (changes != NULL)
    *changes = sqlite3_changes (natter_database_get_handle (self->database));
  return TRUE;
}

gboolean
natter_preset_store_rename (NatterPresetStore  *self,
                            const char         *name,
                            const char         *new_name,
                            GError            **error)
{
  g_autoptr(NatterPreset) preset = NULL;
  g_autofree char *data = NULL;
  g_autofree char *current_default = NULL;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);
  g_return_val_if_fail (new_name != NULL && *new_name != '\0', FALSE);

  if (g_ascii_strcasecmp (name, new_name) != 0 &&
      (natter_preset_store_is_saved (self, new_name) || find_builtin (self, new_name) != NULL))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS,
                   _("There is already a preset named “%s”"), new_name);
      return FALSE;
    }
  preset = load_saved (self, name, error);
  if (preset == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                     _("There is no saved preset named “%s”"), name);
      return FALSE;
    }
  natter_preset_set_name (preset, new_name);
  data = natter_preset_to_json (preset, TRUE);
  current_default = natter_preset_store_dup_default (self);
  if (!natter_database_begin (self->database, error))
    return FALSE;
  if (!exec_bound (self, "UPDATE presets SET name = ?2 WHERE name = ?1", name, new_name,
                   _("Could not rename a preset"), NULL, error) ||
      !exec_bound (self, "UPDATE presets SET data = ?2 WHERE name = ?1", new_name, data,
                   _("Could not rename a preset"), NULL, error) ||
      !exec_bound (self, "UPDATE preset_links SET preset = ?2 WHERE preset = ?1", name, new_name,
                   _("Could not rename a preset"), NULL, error) ||
      (g_ascii_strcasecmp (current_default, name) == 0 &&
       !exec_bound (self, "UPDATE app_state SET value = ?2 WHERE key = ?1", DEFAULT_KEY, new_name,
                    _("Could not rename a preset"), NULL, error)) ||
      !natter_database_commit (self->database, error))
    {
      natter_database_rollback (self->database);
      return FALSE;
    }
  emit_changed (self);
  return TRUE;
}

gboolean
natter_preset_store_delete (NatterPresetStore  *self,
                            const char         *name,
                            GError            **error)
{
  int changes = 0;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  if (!natter_preset_store_is_saved (self, name) && find_builtin (self, name) != NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("“%s” is built in and cannot be deleted"), name);
      return FALSE;
    }
  if (!natter_database_begin (self->database, error))
    return FALSE;
  if (!exec_bound (self, "DELETE FROM presets WHERE name = ?1", name, NULL,
                   _("Could not delete a preset"), &changes, error))
    {
      natter_database_rollback (self->database);
      return FALSE;
    }
  if (changes == 0)
    {
      natter_database_rollback (self->database);
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("There is no preset named “%s”"), name);
      return FALSE;
    }
  /* A saved preset that stood in for a built-in leaves the built-in chosen. */
  if ((find_builtin (self, name) == NULL &&
       (!exec_bound (self, "DELETE FROM preset_links WHERE preset = ?1", name, NULL,
                     _("Could not delete a preset"), NULL, error) ||
        !exec_bound (self, "DELETE FROM app_state WHERE key = ?2 AND value = ?1 COLLATE NOCASE",
                     name, DEFAULT_KEY, _("Could not delete a preset"), NULL, error))) ||
      !natter_database_commit (self->database, error))
    {
      natter_database_rollback (self->database);
      return FALSE;
    }
  emit_changed (self);
  return TRUE;
}

static char *
app_state_get (NatterPresetStore *self,
               const char        *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  stmt = natter_database_prepare (self->database, "SELECT value FROM app_state WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

char *
natter_preset_store_dup_default (NatterPresetStore *self)
{
  char *name;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);

  name = app_state_get (self, DEFAULT_KEY);
  return name != NULL ? name : g_strdup (NATTER_PRESET_DEFAULT_NAME);
}

static gboolean
check_exists (NatterPresetStore  *self,
              const char         *name,
              GError            **error)
{
  g_autoptr(NatterPreset) preset = natter_preset_store_get (self, name, error);

  return preset != NULL;
}

gboolean
natter_preset_store_set_default (NatterPresetStore  *self,
                                 const char         *name,
                                 GError            **error)
{
  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  if (!check_exists (self, name, error) ||
      !exec_bound (self, "INSERT OR REPLACE INTO app_state (key, value) VALUES (?1, ?2)",
                   DEFAULT_KEY, name, _("Could not choose the default preset"), NULL, error))
    return FALSE;
  emit_changed (self);
  return TRUE;
}

static char *
dup_link (NatterPresetStore *self,
          const char        *column,
          gint64             id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT preset FROM preset_links WHERE %s = ?1", column);
  sqlite3_stmt *stmt = natter_database_prepare (self->database, sql, NULL);
  char *name = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

char *
natter_preset_store_dup_chat_preset (NatterPresetStore *self,
                                     gint64             chat_id)
{
  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);
  return chat_id > 0 ? dup_link (self, "chat_id", chat_id) : NULL;
}

char *
natter_preset_store_dup_character_preset (NatterPresetStore *self,
                                          gint64             character_id)
{
  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);
  return character_id > 0 ? dup_link (self, "character_id", character_id) : NULL;
}

static gboolean
set_link (NatterPresetStore  *self,
          const char         *column,
          gint64              id,
          const char         *name,
          GError            **error)
{
  g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM preset_links WHERE %s = ?1", column);
  g_autofree char *insert_sql = g_strdup_printf ("INSERT INTO preset_links (%s, preset) VALUES (?1, ?2)",
                                                 column);
  sqlite3_stmt *stmt;

  if (name != NULL && !check_exists (self, name, error))
    return FALSE;
  if (!natter_database_begin (self->database, error))
    return FALSE;
  stmt = natter_database_prepare (self->database, delete_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not choose a preset"));
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);
  if (name != NULL)
    {
      stmt = natter_database_prepare (self->database, insert_sql, error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          /* A foreign key: the chat or character does not exist. */
          natter_database_set_error (self->database, error, _("Could not choose a preset"));
          sqlite3_reset (stmt);
          goto fail;
        }
      sqlite3_reset (stmt);
    }
  if (!natter_database_commit (self->database, error))
    goto fail;
  emit_changed (self);
  return TRUE;

fail:
  natter_database_rollback (self->database);
  return FALSE;
}

gboolean
natter_preset_store_set_chat_preset (NatterPresetStore  *self,
                                     gint64              chat_id,
                                     const char         *name,
                                     GError            **error)
{
  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);
  return set_link (self, "chat_id", chat_id, name, error);
}

gboolean
natter_preset_store_set_character_preset (NatterPresetStore  *self,
                                          gint64              character_id,
                                          const char         *name,
                                          GError            **error)
{
  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);
  return set_link (self, "character_id", character_id, name, error);
}

NatterPreset *
natter_preset_store_resolve (NatterPresetStore  *self,
                             gint64              chat_id,
                             gint64              character_id,
                             const char         *connection_preset,
                             const char        **source,
                             GError            **error)
{
  g_autofree char *chat_name = natter_preset_store_dup_chat_preset (self, chat_id);
  g_autofree char *character_name = natter_preset_store_dup_character_preset (self, character_id);
  g_autofree char *default_name = natter_preset_store_dup_default (self);
  const char *names[] = { chat_name, character_name, connection_preset, default_name };
  const char *sources[] = { "chat", "character", "connection", "default" };

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) local_error = NULL;
      NatterPreset *preset;

      if (names[i] == NULL || *names[i] == '\0')
        continue;
      preset = natter_preset_store_get (self, names[i], &local_error);
      if (preset != NULL)
        {
          if (source != NULL)
            *source = sources[i];
          return preset;
        }
      if (!g_error_matches (local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (source != NULL)
    *source = "default";
  return natter_preset_store_get (self, NATTER_PRESET_DEFAULT_NAME, error);
}

gboolean
natter_preset_store_get_sidecar (NatterPresetStore  *self,
                                 char              **profile,
                                 char              **model)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  text = app_state_get (self, SIDECAR_KEY);
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  if (string_member (object, "profile") == NULL)
    return FALSE;
  if (profile != NULL)
    *profile = g_strdup (string_member (object, "profile"));
  if (model != NULL)
    *model = g_strdup (string_member (object, "model"));
  return TRUE;
}

gboolean
natter_preset_store_set_sidecar (NatterPresetStore  *self,
                                 const char         *profile,
                                 const char         *model,
                                 GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  if (profile == NULL)
    return exec_bound (self, "DELETE FROM app_state WHERE key = ?1", SIDECAR_KEY, NULL,
                       _("Could not clear the sidecar"), NULL, error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, profile);
  if (model != NULL && *model != '\0')
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, model);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return exec_bound (self, "INSERT OR REPLACE INTO app_state (key, value) VALUES (?1, ?2)",
                     SIDECAR_KEY, text, _("Could not set the sidecar"), NULL, error);
}

gboolean
natter_preset_store_set_finish_reason (NatterPresetStore  *self,
                                       gint64              message_id,
                                       const char         *reason,
                                       GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  stmt = natter_database_prepare (self->database,
                                  "UPDATE swipes SET finish_reason = ?2 WHERE message_id = ?1"
                                  " AND idx = (SELECT swipe_index FROM messages WHERE id = ?1)",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not save why a reply stopped"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

char *
natter_preset_store_dup_finish_reason (NatterPresetStore *self,
                                       gint64             message_id)
{
  sqlite3_stmt *stmt;
  char *reason = NULL;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), NULL);

  stmt = natter_database_prepare (self->database,
                                  "SELECT s.finish_reason FROM swipes s JOIN messages m"
                                  " ON s.message_id = m.id AND s.idx = m.swipe_index WHERE m.id = ?1",
                                  NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return reason;
}

gboolean
natter_preset_store_note_request (NatterPresetStore  *self,
                                  gint64              log_id,
                                  const char         *purpose,
                                  const char * const *dropped,
                                  GError            **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  for (guint i = 0; dropped != NULL && dropped[i] != NULL; i++)
    json_array_add_string_element (array, dropped[i]);
  json_node_set_array (node, array);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  stmt = natter_database_prepare (self->database,
                                  "INSERT OR REPLACE INTO request_notes (log_id, purpose, dropped)"
                                  " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, log_id);
  sqlite3_bind_text (stmt, 2, purpose != NULL ? purpose : "chat", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not note a request"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The note's "dropped" column holds the array of settings not sent, or,
 * when there is more to say, {"dropped": [...], "lore_time_out": true}
 * (no schema change for a note that is rarely there). Returns the array's
 * text; @lore_time_out (out, nullable). */
static char *
dropped_array_text (const char *stored,
                    gboolean   *lore_time_out)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonObject *object;
  JsonNode *array;

  if (stored == NULL || *stored != '{')
    return g_strdup (stored);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, stored, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup ("[]");
  object = json_node_get_object (json_parser_get_root (parser));
  if (lore_time_out != NULL)
    {
      JsonNode *flag = json_object_get_member (object, "lore_time_out");

      *lore_time_out = flag != NULL && JSON_NODE_HOLDS_VALUE (flag) &&
                       json_node_get_value_type (flag) == G_TYPE_BOOLEAN && json_node_get_boolean (flag);
    }
  array = json_object_get_member (object, "dropped");
  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    return g_strdup ("[]");
  generator = json_generator_new ();
  json_generator_set_root (generator, array);
  return json_generator_to_data (generator, NULL);
}

gboolean
natter_preset_store_get_request_note (NatterPresetStore  *self,
                                      gint64              log_id,
                                      char              **purpose,
                                      char              **dropped)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  stmt = natter_database_prepare (self->database,
                                  "SELECT purpose, dropped FROM request_notes WHERE log_id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, log_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (purpose != NULL)
        *purpose = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (dropped != NULL)
        *dropped = dropped_array_text ((const char *) sqlite3_column_text (stmt, 1), NULL);
    }
  sqlite3_reset (stmt);
  return found;
}

gboolean
natter_preset_store_note_lore_time_out (NatterPresetStore  *self,
                                        gint64              log_id,
                                        GError            **error)
{
  g_autofree char *purpose = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  if (!natter_preset_store_get_request_note (self, log_id, &purpose, &dropped))
    dropped = g_strdup ("[]");
  text = g_strdup_printf ("{\"dropped\":%s,\"lore_time_out\":true}", dropped);
  stmt = natter_database_prepare (self->database,
                                  "INSERT OR REPLACE INTO request_notes (log_id, purpose, dropped)"
                                  " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, log_id);
  sqlite3_bind_text (stmt, 2, purpose != NULL ? purpose : "chat", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not note a request"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
natter_preset_store_get_lore_time_out (NatterPresetStore *self,
                                       gint64             log_id)
{
  sqlite3_stmt *stmt;
  gboolean time_out = FALSE;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (self), FALSE);

  stmt = natter_database_prepare (self->database, "SELECT dropped FROM request_notes WHERE log_id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, log_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_free (dropped_array_text ((const char *) sqlite3_column_text (stmt, 0), &time_out));
  sqlite3_reset (stmt);
  return time_out;
}
