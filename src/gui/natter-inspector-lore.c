/* natter-inspector-lore.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-inspector-detail-private.h"
#include "natter-lore-note.h"

void
_natter_inspector_detail_show_lore (GtkLabel       *label,
                                    NatterDatabase *database,
                                    gint64          log_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *lore = database != NULL ? natter_lore_note_get (database, log_id) : NULL;
  JsonNode *root;

  if (lore != NULL && json_parser_load_from_data (parser, lore, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *entry;
          const char *title, *key;
          g_autofree char *line = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          entry = json_node_get_object (node);
          title = json_object_get_string_member_with_default (entry, "title", "");
          key = json_object_has_member (entry, "key") &&
                JSON_NODE_HOLDS_VALUE (json_object_get_member (entry, "key"))
                ? json_object_get_string_member_with_default (entry, "key", NULL) : NULL;
          if (title[0] == '\0')
            title = _("Untitled entry");
          if (key != NULL)
            /* Translators: a lorebook entry, and the key in the chat that made it fire */
            line = g_strdup_printf (_("%s: key “%s”"), title, key);
          else
            /* Translators: a lorebook entry that is always sent */
            line = g_strdup_printf (_("%s: constant"), title);
          g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", line);
        }
    }
  gtk_label_set_label (label, text->len > 0 ? text->str : _("None"));
}
