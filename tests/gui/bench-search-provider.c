/* bench-search-provider.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the Shell waits for when it searches Natter: run by
 * build-aux/bench-search.sh inside dbus-run-session. Prints figures, never
 * fails on time.
 *
 *   bench-search-provider PATH [AVATAR.png]
 *
 * For each query: the provider's own answer (titles in memory, messages
 * through the full-text index on a worker thread), the same over D-Bus as
 * the Shell asks it (GetInitialResultSet, then GetResultMetas for the first
 * five results), and the longest main-loop stall meanwhile. */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "natter-chat-store.h"
#include "natter-search-provider.h"

#define RUNS 15

static GMainLoop *loop;
static gint64 last_tick, max_gap;
static gboolean measuring;

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-search-provider: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (measuring && last_tick != 0 && now - last_tick > max_gap)
    max_gap = now - last_tick;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
median_ms (GArray *times)
{
  g_array_sort (times, compare_gint64);
  return g_array_index (times, gint64, times->len / 2) / 1000.0;
}

static double
max_ms (GArray *times)
{
  g_array_sort (times, compare_gint64);
  return g_array_index (times, gint64, times->len - 1) / 1000.0;
}

typedef struct
{
  char   **ids;
  GVariant *reply;
} Result;

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Result *r = data;
  g_autoptr(GError) error = NULL;

  r->ids = natter_search_provider_find_finish (NATTER_SEARCH_PROVIDER (source), result, &error);
  if (r->ids == NULL)
    die ("find", error);
  g_main_loop_quit (loop);
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Result *r = data;
  g_autoptr(GError) error = NULL;

  r->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (r->reply == NULL)
    die ("D-Bus call", error);
  g_main_loop_quit (loop);
}

static GVariant *
call (GDBusConnection *client,
      const char      *name,
      const char      *method,
      GVariant        *parameters)
{
  Result r = { 0 };

  g_dbus_connection_call (client, name, "/bench/SearchProvider", "org.gnome.Shell.SearchProvider2",
                          method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE, 30000, NULL, on_called, &r);
  g_main_loop_run (loop);
  return r.reply;
}

int
main (int   argc,
      char *argv[])
{
  static const char *const queries[][4] = {
    { "wyvern", NULL },
    { "caravan", NULL },
    { "quinces", "bitter", NULL },
    { "long", "chat", "42", NULL },
    { "the", NULL },
    { "nothing-matches", NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(NatterSearchProvider) provider = NULL;
  g_autoptr(GDBusConnection) service = NULL;
  g_autoptr(GDBusConnection) client = NULL;
  g_autofree char *address = NULL;
  const char *unique_name;
  gint64 start;
  guint tick;

  if (argc < 2)
    {
      g_printerr ("usage: bench-search-provider PATH [AVATAR.png]\n");
      return 2;
    }

  if (!(db = natter_database_open (argv[1], &error)))
    die ("open", error);
  store = natter_chat_store_new (db);
  start = g_get_monotonic_time ();
  g_print ("chat list loaded (%u chats): %.1f ms\n",
           g_list_model_get_n_items (natter_chat_store_get_chats_model (store)),
           (g_get_monotonic_time () - start) / 1000.0);

  /* An avatar made small for the Shell, once per character (then cached). */
  if (argc >= 3)
    {
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GBytes) bytes = NULL;
      char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (argv[2], &data, &len, &error))
        die ("avatar", error);
      bytes = g_bytes_new_take (data, len);
      start = g_get_monotonic_time ();
      stream = g_memory_input_stream_new_from_bytes (bytes);
      pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, 64, 64, TRUE, NULL, &error);
      if (pixbuf == NULL)
        die ("avatar", error);
      g_print ("avatar (%zu KiB PNG) scaled to 64 px: %.1f ms, once per character\n",
               len / 1024, (g_get_monotonic_time () - start) / 1000.0);
    }

  provider = natter_search_provider_new (NULL, store);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (address != NULL)
    {
      GDBusConnectionFlags flags = G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION;

      service = g_dbus_connection_new_for_address_sync (address, flags, NULL, NULL, &error);
      if (service == NULL)
        die ("bus", error);
      client = g_dbus_connection_new_for_address_sync (address, flags, NULL, NULL, &error);
      if (client == NULL)
        die ("bus", error);
      if (!natter_search_provider_register (provider, service, "/bench/SearchProvider", &error))
        die ("register", error);
    }
  else
    g_print ("No session bus: D-Bus figures left out (run under dbus-run-session)\n");
  unique_name = service != NULL ? g_dbus_connection_get_unique_name (service) : NULL;

  loop = g_main_loop_new (NULL, FALSE);
  tick = g_timeout_add (1, on_tick, NULL);

  g_print ("\n%-20s %8s %14s %14s %14s %14s %10s\n", "terms", "results",
           "find median", "find max", "D-Bus median", "+ metas median", "stall max");
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GArray) find = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) bus = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) metas = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree char *label = g_strjoinv (" ", (char **) queries[q]);
      guint n_results = 0;

      max_gap = 0;
      for (int run = -1; run < RUNS; run++)
        {
          Result r = { 0 };
          gint64 t;

          /* Run -1 warms the index pages; it is not counted. */
          last_tick = 0;
          measuring = run >= 0;
          t = g_get_monotonic_time ();
          natter_search_provider_find_async (provider, queries[q], 20, NULL, on_found, &r);
          g_main_loop_run (loop);
          t = g_get_monotonic_time () - t;
          if (run >= 0)
            g_array_append_val (find, t);
          n_results = g_strv_length (r.ids);

          if (client != NULL)
            {
              g_autoptr(GVariant) reply = NULL;
              g_autoptr(GVariant) metas_reply = NULL;
              g_auto(GStrv) ids = NULL;
              gint64 m;

              t = g_get_monotonic_time ();
              reply = call (client, unique_name, "GetInitialResultSet",
                            g_variant_new ("(^as)", queries[q]));
              t = g_get_monotonic_time () - t;
              g_variant_get (reply, "(^as)", &ids);
              if (g_strv_length (ids) > 5)
                g_clear_pointer (&ids[5], g_free);
              m = g_get_monotonic_time ();
              metas_reply = call (client, unique_name, "GetResultMetas", g_variant_new ("(^as)", ids));
              m = g_get_monotonic_time () - m;
              if (run >= 0)
                {
                  g_array_append_val (bus, t);
                  m += t;
                  g_array_append_val (metas, m);
                }
            }
          measuring = FALSE;
          g_strfreev (r.ids);
        }

      if (client != NULL)
        g_print ("%-20s %8u %11.1f ms %11.1f ms %11.1f ms %11.1f ms %7.1f ms\n", label, n_results,
                 median_ms (find), max_ms (find), median_ms (bus), median_ms (metas), max_gap / 1000.0);
      else
        g_print ("%-20s %8u %11.1f ms %11.1f ms %14s %14s %7.1f ms\n", label, n_results,
                 median_ms (find), max_ms (find), "-", "-", max_gap / 1000.0);
    }

  g_source_remove (tick);
  natter_search_provider_unregister (provider);
  g_clear_pointer (&loop, g_main_loop_unref);
  natter_database_close (db);
  return 0;
}
