/* test-profiles.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "natter-database.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-test-util.h"

typedef struct
{
  char               *dir;
  char               *path;
  NatterDatabase     *db;
  NatterProfileStore *store;
  GArray             *changes;   /* guint triples: position, removed, added */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  guint triple[3] = { position, removed, added };

  g_array_append_vals (f->changes, triple, 3);
}

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->db = natter_database_open (f->path, &error);
  g_assert_no_error (error);
  f->store = natter_profile_store_new (f->db, &error);
  g_assert_no_error (error);
  g_signal_connect (f->store, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_close (Fixture *f)
{
  g_assert_finalize_object (f->store);
  f->store = NULL;
  g_assert_finalize_object (f->db);
  f->db = NULL;
}

static void
fixture_reopen (Fixture *f)
{
  fixture_close (f);
  fixture_open (f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = natter_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "natter.db", NULL);
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture_open (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fixture_close (f);
  g_array_unref (f->changes);
  g_free (f->path);
  natter_test_tmpdir_free (f->dir);
}

/* Reads the database with raw SQLite, independently of the store. */
static gint64
count_rows (Fixture    *f,
            const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM profiles WHERE %s", where);
  sqlite3 *raw;
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The store may be writing (another connection, as another program's
   * would be): wait for it as the store itself does. */
  sqlite3_busy_timeout (raw, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);

  return n;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

static NatterProfile *
add (Fixture    *f,
     const char *name,
     const char *provider)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) profile = natter_profile_new (name, provider);

  g_assert_true (natter_profile_store_add (f->store, profile, &error));
  g_assert_no_error (error);

  return profile;  /* owned by the store */
}

static const char *
name_at (Fixture *f,
         guint    i)
{
  g_autoptr(NatterProfile) profile = g_list_model_get_item (G_LIST_MODEL (f->store), i);

  g_assert_nonnull (profile);
  /* The store keeps its own reference, so the string outlives this one. */
  return natter_profile_get_name (profile);
}

static void
assert_change (Fixture *f,
               guint    i,
               guint    position,
               guint    removed,
               guint    added)
{
  g_assert_cmpuint (f->changes->len, >=, (i + 1) * 3);
  g_assert_cmpuint (g_array_index (f->changes, guint, i * 3), ==, position);
  g_assert_cmpuint (g_array_index (f->changes, guint, i * 3 + 1), ==, removed);
  g_assert_cmpuint (g_array_index (f->changes, guint, i * 3 + 2), ==, added);
}

static void
count_changed (NatterProfileStore *store,
               gint64              id,
               guint              *n)
{
  (*n)++;
}

/* Another process (here: a second database connection on the same file,
 * as natter-cli has) changes, adds and deletes connections: the store
 * takes the new values into the objects it already handed out, follows
 * additions and deletions, and says so. */
static void
test_external_changes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) other_db = NULL;
  g_autoptr(NatterProfileStore) other = NULL;
  g_autoptr(NatterProfile) copy = NULL;
  g_autoptr(NatterProfile) added = NULL;
  NatterProfile *work = add (f, "Work", "openai");
  NatterProfile *home = add (f, "Home", "ollama");
  guint n_changed = 0, n_notify = 0;

  natter_profile_store_set_active (f->store, home, &error);
  g_assert_no_error (error);
  g_signal_connect (f->store, "changed", G_CALLBACK (count_changed), &n_changed);
  g_signal_connect (work, "notify::base-url", G_CALLBACK (count_notify), &n_notify);

  other_db = natter_database_open (f->path, &error);
  g_assert_no_error (error);
  other = natter_profile_store_new (other_db, &error);
  g_assert_no_error (error);

  /* Changed elsewhere: the same object, the new values. */
  copy = natter_profile_copy (natter_profile_store_lookup (other, "Work"));
  natter_profile_set_base_url (copy, "http://127.0.0.1:1234/v1");
  natter_profile_set_name (copy, "Aaa Work");
  g_assert_true (natter_profile_store_update (other, copy, &error));
  g_assert_no_error (error);
  g_array_set_size (f->changes, 0);
  g_assert_true (natter_database_check_external_changes (f->db));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (n_notify, ==, 1);
  g_assert_true (natter_profile_store_lookup (f->store, "Aaa Work") == work);
  g_assert_cmpstr (natter_profile_get_base_url (work), ==, "http://127.0.0.1:1234/v1");
  /* Sorted again by the new name. */
  g_assert_cmpstr (name_at (f, 0), ==, "Aaa Work");
  g_assert_cmpstr (name_at (f, 1), ==, "Home");
  g_assert_cmpuint (f->changes->len, >, 0);

  /* Added and deleted elsewhere. */
  added = natter_profile_new ("Added", "groq");
  g_assert_true (natter_profile_store_add (other, added, &error));
  g_assert_true (natter_profile_store_remove (other, natter_profile_store_lookup (other, "Home"), &error));
  g_assert_no_error (error);
  g_assert_true (natter_database_check_external_changes (f->db));
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  g_assert_cmpstr (name_at (f, 0), ==, "Aaa Work");
  g_assert_cmpstr (name_at (f, 1), ==, "Added");
  g_assert_null (natter_profile_store_lookup (f->store, "Home"));
  /* The active one was deleted: the store falls back. */
  g_assert_nonnull (natter_profile_store_get_active (f->store));

  /* Nothing changed: nothing said. */
  g_assert_false (natter_database_check_external_changes (f->db));
  g_assert_cmpuint (n_changed, ==, 2);

  /* Another program wrote something else (a chat): the connections did
   * not change, so the store says nothing. */
  g_assert_true (natter_database_exec (other_db, "INSERT INTO app_state (key, value) VALUES ('unrelated', 'x')", &error));
  g_assert_no_error (error);
  g_assert_true (natter_database_check_external_changes (f->db));
  g_assert_cmpuint (n_changed, ==, 2);

  g_signal_handlers_disconnect_by_data (work, &n_notify);
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&other_db));
}

/* The model chosen in the header bar is saved at once, alone: a form
 * holding the old values of the other columns does not matter, and a
 * restart keeps it. */
static void
test_set_model (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  NatterProfile *work = add (f, "Work", "openai");
  guint n_changed = 0;

  natter_profile_set_base_url (work, "http://unsaved.example/v1");
  g_signal_connect (f->store, "changed", G_CALLBACK (count_changed), &n_changed);
  g_assert_true (natter_profile_store_set_model (f->store, work, "  gpt-picked  ", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (natter_profile_get_model (work), ==, "gpt-picked");
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpint (count_rows (f, "model = 'gpt-picked' AND base_url = ''"), ==, 1);

  fixture_reopen (f);
  g_assert_cmpstr (natter_profile_get_model (natter_profile_store_lookup (f->store, "Work")), ==, "gpt-picked");
}

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) copy = NULL;
  g_autofree char *beta_uuid = NULL;
  NatterProfile *beta;
  NatterProfile *alpha;
  NatterProfile *gamma;
  guint notified_model = 0;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->store)) == NATTER_TYPE_PROFILE);

  beta = add (f, "beta", "openai");
  alpha = add (f, "Alpha", "anthropic");
  gamma = add (f, "gamma", "ollama");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 3);
  g_assert_cmpstr (name_at (f, 0), ==, "Alpha");
  g_assert_cmpstr (name_at (f, 1), ==, "beta");
  g_assert_cmpstr (name_at (f, 2), ==, "gamma");

  /* items-changed: beta at 0, Alpha at 0 (before beta), gamma at 2. */
  g_assert_cmpuint (f->changes->len, ==, 9);
  assert_change (f, 0, 0, 0, 1);
  assert_change (f, 1, 0, 0, 1);
  assert_change (f, 2, 2, 0, 1);

  g_assert_cmpint (natter_profile_get_id (beta), >, 0);
  g_assert_cmpint (natter_profile_get_id (alpha), !=, natter_profile_get_id (beta));
  g_assert_cmpuint (strlen (natter_profile_get_uuid (beta)), ==, 36);
  g_assert_cmpstr (natter_profile_get_uuid (alpha), !=, natter_profile_get_uuid (beta));
  beta_uuid = g_strdup (natter_profile_get_uuid (beta));

  g_assert_true (natter_profile_store_lookup (f->store, "ALPHA") == alpha);
  g_assert_true (natter_profile_store_lookup (f->store, "  gamma ") == gamma);
  g_assert_null (natter_profile_store_lookup (f->store, "delta"));
  g_assert_true (natter_profile_store_lookup_by_id (f->store, natter_profile_get_id (beta)) == beta);
  g_assert_null (natter_profile_store_lookup_by_id (f->store, 9999));
  g_assert_true (natter_profile_store_lookup_by_uuid (f->store, beta_uuid) == beta);
  g_assert_cmpint (count_rows (f, "1"), ==, 3);

  /* Edit a copy: nothing changes until update. */
  copy = natter_profile_copy (beta);
  g_assert_true (copy != beta);
  g_assert_cmpint (natter_profile_get_id (copy), ==, natter_profile_get_id (beta));
  natter_profile_set_model (copy, "gpt-4o-mini");
  natter_profile_set_base_url (copy, "http://127.0.0.1:8080/v1");
  natter_profile_set_connect_timeout (copy, 12);
  natter_profile_set_name (copy, "Zeta");
  g_assert_cmpstr (natter_profile_get_model (beta), ==, "");
  g_signal_connect (beta, "notify::model", G_CALLBACK (count_notify), &notified_model);

  g_array_set_size (f->changes, 0);
  g_assert_true (natter_profile_store_update (f->store, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified_model, ==, 1);
  g_assert_cmpstr (natter_profile_get_model (beta), ==, "gpt-4o-mini");
  g_assert_cmpstr (natter_profile_get_name (beta), ==, "Zeta");
  g_assert_cmpuint (natter_profile_get_connect_timeout (beta), ==, 12);
  /* Moved from position 1 to the end. */
  g_assert_cmpstr (name_at (f, 2), ==, "Zeta");
  g_assert_cmpuint (f->changes->len, ==, 6);
  assert_change (f, 0, 1, 1, 0);
  assert_change (f, 1, 2, 0, 1);
  g_assert_cmpint (count_rows (f, "name = 'Zeta' AND model = 'gpt-4o-mini' AND connect_timeout = 12"), ==, 1);

  /* Remove. */
  g_array_set_size (f->changes, 0);
  g_assert_true (natter_profile_store_remove (f->store, gamma, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  assert_change (f, 0, 1, 1, 0);
  g_assert_cmpint (count_rows (f, "name = 'gamma'"), ==, 0);

  /* Removing again is NOT_FOUND. */
  {
    g_autoptr(NatterProfile) ghost = natter_profile_new ("ghost", "openai");

    g_assert_false (natter_profile_store_remove (f->store, ghost, &error));
    g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Persisted across reopen. */
  fixture_reopen (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  g_assert_cmpstr (name_at (f, 0), ==, "Alpha");
  g_assert_cmpstr (name_at (f, 1), ==, "Zeta");
  beta = natter_profile_store_lookup (f->store, "zeta");
  g_assert_nonnull (beta);
  g_assert_cmpstr (natter_profile_get_uuid (beta), ==, beta_uuid);
  g_assert_cmpstr (natter_profile_get_provider_id (beta), ==, "openai");
  g_assert_cmpstr (natter_profile_get_base_url (beta), ==, "http://127.0.0.1:8080/v1");
  g_assert_cmpuint (natter_profile_get_connect_timeout (beta), ==, 12);
}

static void
expect_invalid (Fixture       *f,
                NatterProfile *profile,
                const char    *fragment)
{
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->store));
  gint64 rows = count_rows (f, "1");

  g_assert_false (natter_profile_store_add (f->store, profile, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_test_message ("invalid: %s", error->message);
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
  g_assert_cmpint (natter_profile_get_id (profile), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, n);
  g_assert_cmpint (count_rows (f, "1"), ==, rows);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) p = NULL;

  p = natter_profile_new ("", "openai");
  expect_invalid (f, p, "name");
  g_clear_object (&p);

  p = natter_profile_new (" \t ", "openai");
  expect_invalid (f, p, "name");
  g_clear_object (&p);

  p = natter_profile_new ("No provider", "");
  expect_invalid (f, p, "provider");
  g_clear_object (&p);

  p = natter_profile_new ("Bad URL", "custom");
  natter_profile_set_base_url (p, "ftp://example.com/v1");
  expect_invalid (f, p, "ftp://example.com/v1");
  natter_profile_set_base_url (p, "not a url");
  expect_invalid (f, p, "not a url");
  natter_profile_set_base_url (p, "https://");
  expect_invalid (f, p, NULL);
  g_clear_object (&p);

  p = natter_profile_new ("Bad proxy", "openai");
  natter_profile_set_proxy_url (p, "socks9://proxy");
  expect_invalid (f, p, "proxy");
  g_clear_object (&p);

  p = natter_profile_new ("Bad settings", "openai");
  natter_profile_set_settings (p, "[1, 2]");
  expect_invalid (f, p, "settings");
  natter_profile_set_settings (p, "{\"unterminated\": ");
  expect_invalid (f, p, "settings");
  g_clear_object (&p);

  p = natter_profile_new ("Bad timeout", "openai");
  natter_profile_set_connect_timeout (p, 0);
  expect_invalid (f, p, "timeout");
  g_clear_object (&p);

  /* Valid: empty base URL, an http proxy, a trimmed name. */
  p = natter_profile_new ("  Good  ", "openai");
  natter_profile_set_proxy_url (p, "http://user@proxy.example:3128");
  natter_profile_set_base_url (p, "https://api.example.com/v1/");
  g_assert_true (natter_profile_store_add (f->store, p, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (natter_profile_get_name (p), ==, "Good");
  g_assert_cmpint (count_rows (f, "name = 'Good'"), ==, 1);

  /* Updating to something invalid leaves both sides as they were. */
  {
    g_autoptr(NatterProfile) copy = natter_profile_copy (p);

    natter_profile_set_base_url (copy, "gopher://old");
    g_assert_false (natter_profile_store_update (f->store, copy, &error));
    g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpstr (natter_profile_get_base_url (p), ==, "https://api.example.com/v1/");
    g_assert_cmpint (count_rows (f, "base_url = 'https://api.example.com/v1/'"), ==, 1);
  }

  /* Adding the stored object again is refused. */
  g_assert_false (natter_profile_store_add (f->store, p, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS);
}

/* A proxy password never goes into the database: add and update refuse
 * a proxy URL with one, with a message that does not repeat it. */
static void
test_proxy_password_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(NatterProfile) p = natter_profile_new ("Proxied", "openai");
  g_autoptr(NatterProfile) copy = NULL;
  g_autoptr(GError) error = NULL;

  natter_profile_set_proxy_url (p, "http://bob:hunter22@127.0.0.1:3128");
  g_assert_false (natter_profile_validate (p, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "password"));
  g_assert_null (strstr (error->message, "hunter22"));
  g_clear_error (&error);
  expect_invalid (f, p, "password");
  g_assert_cmpint (count_rows (f, "proxy_url LIKE '%hunter22%'"), ==, 0);

  /* An unparsable URL with a password is not echoed with it either. */
  natter_profile_set_proxy_url (p, "http://bob:hunter22@");
  g_assert_false (natter_profile_validate (p, &error));
  g_assert_null (strstr (error->message, "hunter22"));
  g_clear_error (&error);

  /* The user name alone is fine; an update that adds a password is not. */
  natter_profile_set_proxy_url (p, "http://bob@127.0.0.1:3128");
  g_assert_true (natter_profile_store_add (f->store, p, &error));
  g_assert_no_error (error);
  copy = natter_profile_copy (p);
  natter_profile_set_proxy_url (copy, "https://bob:hunter22@127.0.0.1:3128");
  g_assert_false (natter_profile_store_update (f->store, copy, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_assert_null (strstr (error->message, "hunter22"));
  g_assert_cmpstr (natter_profile_get_proxy_url (p), ==, "http://bob@127.0.0.1:3128");
  g_assert_cmpint (count_rows (f, "proxy_url LIKE '%hunter22%'"), ==, 0);
  g_assert_cmpint (count_rows (f, "proxy_url = 'http://bob@127.0.0.1:3128'"), ==, 1);
}

static void
test_proxy_password_split (void)
{
  static const struct {
    const char *url;
    const char *without;
    const char *password;
  } cases[] = {
    { "http://bob:hunter22@127.0.0.1:3128", "http://bob@127.0.0.1:3128", "hunter22" },
    { "https://bob:p%40ss%3Aw@proxy.example:8443/", "https://bob@proxy.example:8443/", "p@ss:w" },
    { "http://bob@127.0.0.1:3128", "http://bob@127.0.0.1:3128", NULL },
    { "http://127.0.0.1:3128", "http://127.0.0.1:3128", NULL },
    { "", "", NULL },
    { "not a url", "not a url", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *password = NULL;
      g_autofree char *without = natter_proxy_url_split_password (cases[i].url, &password);

      g_assert_cmpstr (without, ==, cases[i].without);
      g_assert_cmpstr (password, ==, cases[i].password);
      g_free (password);
    }
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) dup = NULL;
  g_autoptr(NatterProfile) copy = NULL;
  NatterProfile *first;

  first = add (f, "My Server", "ollama");
  add (f, "Ärger", "openai");
  add (f, "Other", "openai");

  dup = natter_profile_new ("my server", "openai");
  g_assert_false (natter_profile_store_add (f->store, dup, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "My Server"));
  g_clear_error (&error);
  g_clear_object (&dup);

  /* Case-insensitive beyond ASCII, too. */
  dup = natter_profile_new ("ärger", "openai");
  g_assert_false (natter_profile_store_add (f->store, dup, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_cmpint (count_rows (f, "1"), ==, 3);

  /* Renaming onto another profile's name is refused... */
  copy = natter_profile_copy (natter_profile_store_lookup (f->store, "Other"));
  natter_profile_set_name (copy, "MY SERVER");
  g_assert_false (natter_profile_store_update (f->store, copy, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_nonnull (natter_profile_store_lookup (f->store, "Other"));

  /* ...but changing the case of one's own name is fine. */
  natter_profile_set_name (first, "MY SERVER");
  g_assert_true (natter_profile_store_update (f->store, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "name = 'MY SERVER'"), ==, 1);
}

static void
test_default (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) b = natter_profile_new ("B", "openai");
  g_autoptr(NatterProfile) copy = NULL;
  NatterProfile *a;
  NatterProfile *c;

  g_assert_null (natter_profile_store_get_default (f->store));

  a = add (f, "A", "openai");
  g_assert_true (natter_profile_store_set_default (f->store, a, &error));
  g_assert_no_error (error);
  g_assert_true (natter_profile_get_is_default (a));
  g_assert_true (natter_profile_store_get_default (f->store) == a);

  /* Adding a default profile un-defaults the previous one. */
  natter_profile_set_is_default (b, TRUE);
  g_assert_true (natter_profile_store_add (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_false (natter_profile_get_is_default (a));
  g_assert_true (natter_profile_store_get_default (f->store) == b);
  g_assert_cmpint (count_rows (f, "is_default = 1"), ==, 1);
  g_assert_cmpint (count_rows (f, "is_default = 1 AND name = 'B'"), ==, 1);

  /* Through update of a copy. */
  c = add (f, "C", "openai");
  copy = natter_profile_copy (c);
  natter_profile_set_is_default (copy, TRUE);
  g_assert_true (natter_profile_store_update (f->store, copy, &error));
  g_assert_no_error (error);
  g_assert_false (natter_profile_get_is_default (b));
  g_assert_true (natter_profile_get_is_default (c));
  g_assert_cmpint (count_rows (f, "is_default = 1"), ==, 1);
  g_assert_cmpint (count_rows (f, "is_default = 1 AND name = 'C'"), ==, 1);

  g_assert_true (natter_profile_store_set_default (f->store, NULL, &error));
  g_assert_null (natter_profile_store_get_default (f->store));
  g_assert_cmpint (count_rows (f, "is_default = 1"), ==, 0);

  g_assert_true (natter_profile_store_set_default (f->store, a, &error));
  fixture_reopen (f);
  a = natter_profile_store_get_default (f->store);
  g_assert_nonnull (a);
  g_assert_cmpstr (natter_profile_get_name (a), ==, "A");
}

static void
test_active (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  NatterProfile *a;
  NatterProfile *b;
  NatterProfile *c;
  guint notified = 0;

  g_assert_null (natter_profile_store_get_active (f->store));

  g_signal_connect (f->store, "notify::active-profile", G_CALLBACK (count_notify), &notified);

  c = add (f, "c", "openai");
  g_assert_cmpuint (notified, ==, 1);  /* the first profile became active */
  b = add (f, "b", "openai");
  a = add (f, "a", "openai");
  /* No choice, no default: the first by name. */
  g_assert_true (natter_profile_store_get_active (f->store) == a);

  g_assert_true (natter_profile_store_set_default (f->store, c, &error));
  g_assert_true (natter_profile_store_get_active (f->store) == c);

  notified = 0;
  g_assert_true (natter_profile_store_set_active (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (natter_profile_store_get_active (f->store) == b);

  /* Persisted (by uuid) across reopen. */
  fixture_reopen (f);
  b = natter_profile_store_get_active (f->store);
  g_assert_nonnull (b);
  g_assert_cmpstr (natter_profile_get_name (b), ==, "b");

  /* Removing the active one falls back to the default. */
  g_assert_true (natter_profile_store_remove (f->store, b, &error));
  g_assert_no_error (error);
  c = natter_profile_store_get_active (f->store);
  g_assert_cmpstr (natter_profile_get_name (c), ==, "c");

  fixture_reopen (f);
  c = natter_profile_store_get_active (f->store);
  g_assert_cmpstr (natter_profile_get_name (c), ==, "c");
}

static void
test_settings_round_trip (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) p = natter_profile_new ("Local", "llamacpp");
  const char *settings = "{\"temperature\":0.5,\"nested\":{\"list\":[1,2,\"три\"]}}";
  const char *models[] = { "model-a", "model b with spaces", "ünïcödé/😀", NULL };
  const char * const *loaded;

  natter_profile_set_settings (p, settings);
  natter_profile_set_custom_models (p, models);
  natter_profile_set_model (p, "model-a");
  natter_profile_set_proxy_url (p, "https://proxy.example:8443");
  g_assert_true (natter_profile_store_add (f->store, p, &error));
  g_assert_no_error (error);

  g_clear_object (&p);
  fixture_reopen (f);
  p = g_object_ref (natter_profile_store_lookup (f->store, "local"));
  g_assert_cmpstr (natter_profile_get_settings (p), ==, settings);
  loaded = natter_profile_get_custom_models (p);
  g_assert_cmpuint (g_strv_length ((char **) loaded), ==, 3);
  g_assert_cmpstr (loaded[0], ==, "model-a");
  g_assert_cmpstr (loaded[1], ==, "model b with spaces");
  g_assert_cmpstr (loaded[2], ==, "ünïcödé/😀");
  g_assert_cmpstr (natter_profile_get_proxy_url (p), ==, "https://proxy.example:8443");
  g_assert_cmpstr (natter_profile_get_provider_id (p), ==, "llamacpp");
  g_assert_cmpuint (natter_profile_get_connect_timeout (p), ==, 30);

  /* Clearing the list round trips too. */
  natter_profile_set_custom_models (p, NULL);
  g_assert_true (natter_profile_store_update (f->store, p, &error));
  g_clear_object (&p);
  fixture_reopen (f);
  p = g_object_ref (natter_profile_store_lookup (f->store, "Local"));
  g_assert_nonnull (natter_profile_get_custom_models (p));
  g_assert_null (natter_profile_get_custom_models (p)[0]);
}

/* Prices go into the settings object next to the sampling settings, survive
 * the real store, and leave the other keys alone. */
static void
test_prices (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) p = natter_profile_new ("Priced", "openai");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  double in_price = -7, out_price = -7;

  natter_profile_set_settings (p, "{\"temperature\":0.25,\"max_tokens\":512,"
                                  "\"main_prompt\":\"Be brief\"}");
  g_assert_false (natter_profile_get_prices (p, &in_price, &out_price));
  g_assert_cmpfloat (in_price, ==, -1);
  g_assert_cmpfloat (out_price, ==, -1);

  natter_profile_set_prices (p, 2.5, 10);
  g_assert_true (natter_profile_store_add (f->store, p, &error));
  g_assert_no_error (error);
  g_clear_object (&p);

  fixture_reopen (f);
  p = natter_profile_copy (natter_profile_store_lookup (f->store, "Priced"));
  g_assert_true (natter_profile_get_prices (p, &in_price, &out_price));
  g_assert_cmpfloat (in_price, ==, 2.5);
  g_assert_cmpfloat (out_price, ==, 10.0);
  g_assert_true (natter_profile_get_prices (p, NULL, NULL));

  /* The other keys are still there with their values. */
  g_assert_true (json_parser_load_from_data (parser, natter_profile_get_settings (p), -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (object, "temperature"), ==, 0.25);
  g_assert_cmpint (json_object_get_int_member (object, "max_tokens"), ==, 512);
  g_assert_cmpstr (json_object_get_string_member (object, "main_prompt"), ==, "Be brief");
  g_assert_cmpfloat (json_object_get_double_member (object, "input_price"), ==, 2.5);
  g_assert_cmpuint (json_object_get_size (object), ==, 5);

  /* Tiny prices survive the text round trip exactly. */
  natter_profile_set_prices (p, 0.15, 0.0000001);
  g_assert_true (natter_profile_store_update (f->store, p, &error));
  g_assert_no_error (error);
  g_clear_object (&p);
  fixture_reopen (f);
  p = natter_profile_copy (natter_profile_store_lookup (f->store, "Priced"));
  g_assert_true (natter_profile_get_prices (p, &in_price, &out_price));
  g_assert_cmpfloat (in_price, ==, 0.15);
  g_assert_cmpfloat (out_price, ==, 0.0000001);

  /* A negative price removes its key; one price alone is not enough. */
  natter_profile_set_prices (p, 3, -1);
  g_assert_false (natter_profile_get_prices (p, NULL, NULL));
  g_assert_false (natter_profile_get_prices (p, &in_price, &out_price));
  g_assert_cmpfloat (in_price, ==, 3);
  g_assert_cmpfloat (out_price, ==, -1);
  g_assert_null (strstr (natter_profile_get_settings (p), "output_price"));
  g_assert_nonnull (strstr (natter_profile_get_settings (p), "input_price"));
  natter_profile_set_prices (p, -1, -1);
  g_assert_true (natter_profile_store_update (f->store, p, &error));
  g_assert_no_error (error);
  g_clear_object (&p);
  fixture_reopen (f);
  p = natter_profile_copy (natter_profile_store_lookup (f->store, "Priced"));
  g_assert_false (natter_profile_get_prices (p, NULL, NULL));
  g_assert_null (strstr (natter_profile_get_settings (p), "_price"));
  g_assert_nonnull (strstr (natter_profile_get_settings (p), "Be brief"));

  /* Zero is a price (a free local model), not "unknown". */
  natter_profile_set_prices (p, 0, 0);
  g_assert_true (natter_profile_get_prices (p, &in_price, &out_price));
  g_assert_cmpfloat (in_price, ==, 0);
  g_assert_cmpfloat (out_price, ==, 0);
}

static void
test_prices_bad_values (void)
{
  static const char * const bad[] = {
    "{}",
    "{\"input_price\":1}",
    "{\"output_price\":1}",
    "{\"input_price\":\"1\",\"output_price\":2}",
    "{\"input_price\":1,\"output_price\":null}",
    "{\"input_price\":-0.5,\"output_price\":2}",
    "{\"input_price\":true,\"output_price\":2}",
    "{\"input_price\":[1],\"output_price\":2}",
    "{\"input_price\":{},\"output_price\":2}",
    "[1, 2]",
    "{\"input_price\": 1, \"output_price\": ",
  };
  g_autoptr(NatterProfile) p = natter_profile_new ("P", "openai");
  double in_price = 42, out_price = 43;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      in_price = out_price = 42;
      natter_profile_set_settings (p, bad[i]);
      g_assert_false (natter_profile_get_prices (p, &in_price, &out_price));
      /* Whatever is wrong, a price is either a valid one or -1. */
      g_assert_true (in_price == -1 || in_price == 1);
      g_assert_true (out_price == -1 || out_price == 1 || out_price == 2);
      g_assert_false (in_price >= 0 && out_price >= 0);
    }

  /* Integers count as numbers. */
  natter_profile_set_settings (p, "{\"input_price\":3,\"output_price\":15}");
  g_assert_true (natter_profile_get_prices (p, &in_price, &out_price));
  g_assert_cmpfloat (in_price, ==, 3);
  g_assert_cmpfloat (out_price, ==, 15);

  /* Settings that are not an object are left as they are. */
  natter_profile_set_settings (p, "[1, 2]");
  natter_profile_set_prices (p, 1, 2);
  g_assert_cmpstr (natter_profile_get_settings (p), ==, "[1, 2]");
}

static void
test_usage_cost (void)
{
  /* 1200 input tokens at $3/M + 350 output tokens at $15/M
   * = 0.0036 + 0.00525 = 0.00885 dollars. */
  g_assert_cmpfloat_with_epsilon (natter_usage_cost (1200, 350, 3, 15), 0.00885, 1e-12);
  g_assert_cmpfloat (natter_usage_cost (0, 0, 3, 15), ==, 0);
  g_assert_cmpfloat (natter_usage_cost (1000000, 2000000, 0.5, 1.5), ==, 3.5);
  g_assert_cmpfloat (natter_usage_cost (-1, 350, 3, 15), ==, -1);
  g_assert_cmpfloat (natter_usage_cost (1200, -1, 3, 15), ==, -1);
  g_assert_cmpfloat (natter_usage_cost (1200, 350, -1, 15), ==, -1);
}

/* A failure half-way through a change (forced with a trigger, as a full
 * disk would) leaves the database and the store exactly as they were. */
static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) boom = natter_profile_new ("Boom", "openai");
  g_autoptr(NatterProfile) copy = NULL;
  NatterProfile *a;

  a = add (f, "A", "openai");
  g_assert_true (natter_profile_store_set_default (f->store, a, &error));
  g_assert_true (natter_database_exec (f->db,
                                       "CREATE TRIGGER boom_insert BEFORE INSERT ON profiles "
                                       "WHEN NEW.name = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;"
                                       "CREATE TRIGGER boom_update BEFORE UPDATE OF name ON profiles "
                                       "WHEN NEW.name = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                                       &error));
  g_assert_no_error (error);
  g_array_set_size (f->changes, 0);

  /* Adding a default profile first clears the old default, then fails. */
  natter_profile_set_is_default (boom, TRUE);
  g_assert_false (natter_profile_store_add (f->store, boom, &error));
  g_assert_nonnull (error);
  g_test_message ("forced failure: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpint (natter_profile_get_id (boom), ==, 0);
  g_assert_true (natter_profile_get_is_default (a));
  g_assert_cmpint (count_rows (f, "is_default = 1 AND name = 'A'"), ==, 1);
  g_assert_cmpint (count_rows (f, "1"), ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);

  /* Same for an update that renames. */
  add (f, "B", "openai");
  copy = natter_profile_copy (natter_profile_store_lookup (f->store, "B"));
  natter_profile_set_name (copy, "Boom");
  natter_profile_set_is_default (copy, TRUE);
  g_array_set_size (f->changes, 0);
  g_assert_false (natter_profile_store_update (f->store, copy, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (natter_profile_get_is_default (a));
  g_assert_nonnull (natter_profile_store_lookup (f->store, "B"));
  g_assert_false (natter_profile_get_is_default (natter_profile_store_lookup (f->store, "B")));
  g_assert_cmpint (count_rows (f, "is_default = 1 AND name = 'A'"), ==, 1);
  g_assert_cmpint (count_rows (f, "name = 'B'"), ==, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);

  /* The store still works afterwards. */
  add (f, "C", "openai");
  g_assert_cmpint (count_rows (f, "1"), ==, 3);
}

static void
test_properties (void)
{
  g_autoptr(NatterProfile) p = natter_profile_new ("P", "openai");
  g_autoptr(NatterProfile) copy = NULL;
  g_auto(GStrv) models = NULL;
  g_autofree char *name = NULL;
  guint timeout = 0;
  guint notifies = 0;

  g_signal_connect (p, "notify", G_CALLBACK (count_notify), &notifies);

  /* Setting the same value does not notify (explicit notify). */
  natter_profile_set_name (p, "P");
  g_assert_cmpuint (notifies, ==, 0);
  natter_profile_set_name (p, "Q");
  g_assert_cmpuint (notifies, ==, 1);

  g_object_set (p, "custom-models", (const char *[]) { "x", "y", NULL }, "connect-timeout", 5, NULL);
  copy = natter_profile_copy (p);
  g_object_get (copy, "name", &name, "custom-models", &models, "connect-timeout", &timeout, NULL);
  g_assert_cmpstr (name, ==, "Q");
  g_assert_cmpuint (timeout, ==, 5);
  g_assert_cmpstr (models[1], ==, "y");
  g_assert_cmpstr (natter_profile_get_settings (copy), ==, "{}");
  g_assert_cmpint (natter_profile_get_id (copy), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/natter/profiles/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("crud", test_crud);
  ADD ("validation", test_validation);
  ADD ("proxy-password-refused", test_proxy_password_refused);
  ADD ("duplicates", test_duplicates);
  ADD ("default", test_default);
  ADD ("active", test_active);
  ADD ("settings-round-trip", test_settings_round_trip);
  ADD ("atomic", test_atomic);
  ADD ("prices", test_prices);
  ADD ("external-changes", test_external_changes);
  ADD ("set-model", test_set_model);
  g_test_add_func ("/natter/profiles/prices-bad-values", test_prices_bad_values);
  g_test_add_func ("/natter/profiles/usage-cost", test_usage_cost);
  g_test_add_func ("/natter/profiles/properties", test_properties);
  g_test_add_func ("/natter/profiles/proxy-password-split", test_proxy_password_split);

#undef ADD

  return g_test_run ();
}
