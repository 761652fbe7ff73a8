/* natter-lorebook-editor.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-lorebook-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-card.h"
#include "natter-card-edit.h"
#include "natter-chat-store-editing.h"
#include "natter-json.h"
#include "natter-lorebook-editor-private.h"
#include "natter-worldbook-edit.h"
#include "natter-toasts.h"

struct _NatterLorebookEditor
{
  AdwWindow         parent_instance;

  NatterChatStore  *store;
  gint64            character_id;
  gint64            chat_id;
  GPtrArray        *rows;          /* NatterLorebookRow, as in the dropdown */
  gint64            book_id;       /* shown, 0: none, OWN_BOOK: the character's card's */
  JsonObject       *book;          /* being edited */
  gboolean          dirty;
  int               entry;         /* index in the book's entries, -1: none */
  NatterLoreFields  loaded;        /* the entry's settings as shown */
  gboolean          loading;
  GCancellable     *cancellable;

  AdwToastOverlay  *toast_overlay;
  GtkDropDown      *books;
  GtkStringList    *book_names;
  GtkWidget        *scope_group;
  GtkSwitch        *global;
  GtkSwitch        *character;
  GtkSwitch        *chat;
  GtkListBox       *entries;
  GtkWidget        *form;
  AdwEntryRow      *comment;
  AdwEntryRow      *keys;
  AdwEntryRow      *secondary;
  GtkDropDown      *logic;
  GtkSwitch        *constant;
  GtkSwitch        *enabled;
  GtkDropDown      *position;
  GtkSpinButton    *depth;
  GtkSpinButton    *order;
  GtkSpinButton    *probability;
  GtkSpinButton    *scan_depth;
  GtkSwitch        *exclude_recursion;
  GtkSwitch        *prevent_recursion;
  GtkTextView      *content_view;
};

G_DEFINE_FINAL_TYPE (NatterLorebookEditor, natter_lorebook_editor, ADW_TYPE_WINDOW)

/* The book inside the character's card ("character_book"). */
#define OWN_BOOK ((gint64) -1)

/* The logic dropdown's order: AND ANY, AND ALL, NOT ANY, NOT ALL. */
static const NatterLoreLogic logic_order[] = {
  NATTER_LORE_LOGIC_AND_ANY, NATTER_LORE_LOGIC_AND_ALL,
  NATTER_LORE_LOGIC_NOT_ANY, NATTER_LORE_LOGIC_NOT_ALL,
};

static void
toast (NatterLorebookEditor *self,
       const char           *message)
{
  natter_toasts_add (self->toast_overlay, adw_toast_new (message));
}

static char **
split_keys (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static JsonObject *
entry_object (NatterLorebookEditor *self,
              int                   index)
{
  JsonArray *array;
  JsonNode *node;

  if (self->book == NULL || index < 0)
    return NULL;
  array = natter_worldbook_get_entries (self->book);
  if ((guint) index >= json_array_get_length (array))
    return NULL;
  node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- the entry form ---------------------------------------------------- */

/* The spin button's value, or @loaded when the button shows it clamped to
 * its range and nobody changed it. */
static int
spin_value (GtkSpinButton *spin,
            int            loaded)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  int value = gtk_spin_button_get_value_as_int (spin);
  double shown = CLAMP ((double) loaded, gtk_adjustment_get_lower (adjustment),
                        gtk_adjustment_get_upper (adjustment));

  return value == (int) shown ? loaded : value;
}

/* Writes what the form shows into the entry (only what changed). */
static void
apply_form (NatterLorebookEditor *self)
{
  JsonObject *entry = entry_object (self, self->entry);
  NatterLoreFields now = { 0 };
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (entry == NULL)
    return;
  /* Keys left as they were shown stay exactly as they were. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->keys)),
                 g_object_get_data (G_OBJECT (self->keys), "shown")) == 0)
    now.keys = g_strdupv (self->loaded.keys);
  else
    now.keys = split_keys (gtk_editable_get_text (GTK_EDITABLE (self->keys)));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->secondary)),
                 g_object_get_data (G_OBJECT (self->secondary), "shown")) == 0)
    now.secondary_keys = g_strdupv (self->loaded.secondary_keys);
  else
    now.secondary_keys = split_keys (gtk_editable_get_text (GTK_EDITABLE (self->secondary)));
  buffer = gtk_text_view_get_buffer (self->content_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  now.content = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  now.comment = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment)));
  now.constant = gtk_switch_get_active (self->constant);
  now.enabled = gtk_switch_get_active (self->enabled);
  now.logic = logic_order[MIN (gtk_drop_down_get_selected (self->logic), G_N_ELEMENTS (logic_order) - 1)];
  now.position = MIN (gtk_drop_down_get_selected (self->position), NATTER_LORE_INSERT_EM_BOTTOM);
  now.depth = spin_value (self->depth, self->loaded.depth);
  now.order = spin_value (self->order, self->loaded.order);
  now.probability = spin_value (self->probability, self->loaded.probability);
  now.scan_depth = spin_value (self->scan_depth, self->loaded.scan_depth);
  now.exclude_recursion = gtk_switch_get_active (self->exclude_recursion);
  now.prevent_recursion = gtk_switch_get_active (self->prevent_recursion);

  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), entry);
    g_autofree char *before = json_to_string (node, FALSE);
    g_autofree char *after = NULL;

    natter_lore_fields_write (entry, &self->loaded, &now);
    after = json_to_string (node, FALSE);
    if (!g_str_equal (before, after))
      self->dirty = TRUE;
  }
  natter_lore_fields_clear (&self->loaded);
  self->loaded = now;
}

static void
load_form (NatterLorebookEditor *self)
{
  JsonObject *entry = entry_object (self, self->entry);
  g_autofree char *keys = NULL;
  g_autofree char *secondary = NULL;

  self->loading = TRUE;
  natter_lore_fields_clear (&self->loaded);
  memset (&self->loaded, 0, sizeof self->loaded);
  gtk_widget_set_sensitive (self->form, entry != NULL);
  if (entry != NULL)
    natter_lore_fields_read (entry, &self->loaded);
  else
    {
      self->loaded.keys = g_new0 (char *, 1);
      self->loaded.secondary_keys = g_new0 (char *, 1);
      self->loaded.content = g_strdup ("");
      self->loaded.comment = g_strdup ("");
      self->loaded.scan_depth = -1;
    }

  keys = g_strjoinv (", ", self->loaded.keys);
  secondary = g_strjoinv (", ", self->loaded.secondary_keys);
  gtk_editable_set_text (GTK_EDITABLE (self->comment), self->loaded.comment);
  gtk_editable_set_text (GTK_EDITABLE (self->keys), keys);
  gtk_editable_set_text (GTK_EDITABLE (self->secondary), secondary);
  g_object_set_data_full (G_OBJECT (self->keys), "shown", g_strdup (keys), g_free);
  g_object_set_data_full (G_OBJECT (self->secondary), "shown", g_strdup (secondary), g_free);
  for (guint i = 0; i < G_N_ELEMENTS (logic_order); i++)
    if (logic_order[i] == self->loaded.logic)
      gtk_drop_down_set_selected (self->logic, i);
  gtk_switch_set_active (self->constant, self->loaded.constant);
  gtk_switch_set_active (self->enabled, self->loaded.enabled);
  gtk_drop_down_set_selected (self->position, self->loaded.position);
  gtk_spin_button_set_value (self->depth, self->loaded.depth);
  gtk_spin_button_set_value (self->order, self->loaded.order);
  gtk_spin_button_set_value (self->probability, self->loaded.probability);
  gtk_spin_button_set_value (self->scan_depth, self->loaded.scan_depth);
  gtk_switch_set_active (self->exclude_recursion, self->loaded.exclude_recursion);
  gtk_switch_set_active (self->prevent_recursion, self->loaded.prevent_recursion);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->content_view), self->loaded.content, -1);
  self->loading = FALSE;
}

static char *
entry_title (JsonObject *entry)
{
  NatterLoreFields fields;
  char *title;

  natter_lore_fields_read (entry, &fields);
  if (fields.comment[0] != '\0')
    title = g_strdup (fields.comment);
  else if (fields.keys[0] != NULL)
    title = g_strjoinv (", ", fields.keys);
  else if (fields.constant)
    title = g_strdup (_("Constant entry"));
  else
    title = g_strdup (_("Entry without keys"));
  natter_lore_fields_clear (&fields);
  return title;
}

static void
fill_entries (NatterLorebookEditor *self)
{
  GtkWidget *child;
  JsonArray *array;

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries))) != NULL)
    gtk_list_box_remove (self->entries, child);
  array = self->book != NULL ? natter_worldbook_get_entries (self->book) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *entry = entry_object (self, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = entry != NULL ? entry_title (entry) : g_strdup ("");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_list_box_append (self->entries, row);
      if ((int) i == self->entry)
        gtk_list_box_select_row (self->entries, GTK_LIST_BOX_ROW (row));
    }
  self->loading = FALSE;
}

static void
on_entry_selected (NatterLorebookEditor *self,
                   GtkListBoxRow        *row,
                   GtkListBox           *list)
{
  if (self->loading || row == NULL)
    return;
  apply_form (self);
  self->entry = gtk_list_box_row_get_index (row);
  load_form (self);
}

/* ---- books ------------------------------------------------------------- */

/* Writes the book into the character's card, changing nothing else. */
static gboolean
save_own_book (NatterLorebookEditor  *self,
               JsonNode              *book,
               GError               **error)
{
  g_autoptr(NatterCharacterRow) row = natter_chat_store_get_character (self->store, self->character_id, error);
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(NatterCard) edited = NULL;
  g_autofree char *json = NULL;

  if (row == NULL || (card = natter_card_new_from_json (row->card_json, error)) == NULL)
    return FALSE;
  edited = natter_card_edit_member (card, "character_book", book);
  if (edited == card)
    return TRUE;
  json = natter_card_dup_json (edited);
  return natter_chat_store_update_character (self->store, self->character_id, NULL, json,
                                             row->avatar, error);
}

/* The character's own book as a row of the list (id OWN_BOOK), or NULL. */
static NatterLorebookRow *
own_book_row (NatterLorebookEditor *self)
{
  g_autoptr(NatterCharacterRow) character = NULL;
  g_autoptr(NatterCard) card = NULL;
  NatterLorebookRow *row;
  JsonObject *book;

  if (self->character_id == 0 ||
      (character = natter_chat_store_get_character (self->store, self->character_id, NULL)) == NULL ||
      (card = natter_card_new_from_json (character->card_json, NULL)) == NULL)
    return NULL;

  row = g_new0 (NatterLorebookRow, 1);
  row->id = OWN_BOOK;
  /* Translators: %s is a character's name */
  row->name = g_strdup_printf (_("%s’s own book"), natter_card_get_name (card));
  book = natter_card_get_character_book (card);
  if (book != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), book);

      row->book_json = json_to_string (node, FALSE);
    }
  else
    {
      g_autoptr(JsonObject) fresh = natter_worldbook_new (natter_card_get_name (card));
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fresh);

      row->book_json = json_to_string (node, FALSE);
    }
  return row;
}

static gboolean
save_book (NatterLorebookEditor *self)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  apply_form (self);
  if (self->book == NULL || self->book_id == 0 || !self->dirty)
    return TRUE;
  node = json_node_init_object (json_node_alloc (), self->book);
  if (self->book_id == OWN_BOOK)
    {
      if (!save_own_book (self, node, &error))
        {
          toast (self, error->message);
          return FALSE;
        }
      self->dirty = FALSE;
      return TRUE;
    }
  text = json_to_string (node, FALSE);
  if (!natter_chat_store_update_lorebook (self->store, self->book_id, NULL, text, &error))
    {
      toast (self, error->message);
      return FALSE;
    }
  self->dirty = FALSE;
  return TRUE;
}

static gboolean
is_linked (GPtrArray *rows,
           gint64     id)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (((NatterLorebookRow *) g_ptr_array_index (rows, i))->id == id)
      return TRUE;
  return FALSE;
}

static void
show_book (NatterLorebookEditor *self,
           guint                 index)
{
  NatterLorebookRow *row = index < self->rows->len ? g_ptr_array_index (self->rows, index) : NULL;

  g_clear_pointer (&self->book, json_object_unref);
  self->book_id = 0;
  self->entry = -1;
  self->dirty = FALSE;
  if (row != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (natter_json_parser_load (parser, row->book_json, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        self->book = json_object_ref (json_node_get_object (root));
      else
        toast (self, _("This lorebook cannot be read"));
      self->book_id = row->id;
    }

  self->loading = TRUE;
  gtk_widget_set_sensitive (self->scope_group, row != NULL && row->id != OWN_BOOK);
  gtk_switch_set_active (self->global, row != NULL && row->is_global);
  if (row != NULL && self->character_id != 0)
    {
      g_autoptr(GPtrArray) linked = natter_chat_store_list_lorebooks (self->store, self->character_id, 0, NULL);

      gtk_switch_set_active (self->character, is_linked (linked, row->id));
    }
  if (row != NULL && self->chat_id != 0)
    {
      g_autoptr(GPtrArray) linked = natter_chat_store_list_lorebooks (self->store, 0, self->chat_id, NULL);

      gtk_switch_set_active (self->chat, is_linked (linked, row->id));
    }
  self->loading = FALSE;

  if (self->book != NULL && json_array_get_length (natter_worldbook_get_entries (self->book)) > 0)
    self->entry = 0;
  fill_entries (self);
  load_form (self);
}

/* Reloads the list of books and shows @book_id (0: the first). */
static void
reload_books (NatterLorebookEditor *self,
              gint64                book_id)
{
  g_autoptr(GError) error = NULL;
  guint n, selected = 0;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = natter_chat_store_list_all_lorebooks (self->store, &error);
  if (self->rows == NULL)
    {
      toast (self, error->message);
      self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_lorebook_row_free);
    }
  {
    NatterLorebookRow *own = own_book_row (self);

    if (own != NULL)
      g_ptr_array_insert (self->rows, 0, own);
  }

  self->loading = TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->book_names));
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();

    for (guint i = 0; i < self->rows->len; i++)
      {
        NatterLorebookRow *row = g_ptr_array_index (self->rows, i);

        g_ptr_array_add (names, row->name);
        if (row->id == book_id)
          selected = i;
      }
    g_ptr_array_add (names, NULL);
    gtk_string_list_splice (self->book_names, 0, n, (const char * const *) names->pdata);
  }
  gtk_drop_down_set_selected (self->books, self->rows->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
  self->loading = FALSE;
  show_book (self, selected);
}

static void
on_book_selected (NatterLorebookEditor *self,
                  GParamSpec           *pspec,
                  GtkDropDown          *books)
{
  if (self->loading)
    return;
  save_book (self);
  show_book (self, gtk_drop_down_get_selected (books));
}

static void
on_scope_changed (NatterLorebookEditor *self,
                  GParamSpec           *pspec,
                  GtkSwitch            *which)
{
  g_autoptr(GError) error = NULL;
  gboolean on = gtk_switch_get_active (which);

  if (self->loading || self->book_id == 0 || self->book_id == OWN_BOOK)
    return;
  if (which == self->global)
    natter_chat_store_set_lorebook_global (self->store, self->book_id, on, &error);
  else
    {
      gint64 character_id = which == self->character ? self->character_id : 0;
      gint64 chat_id = which == self->chat ? self->chat_id : 0;

      if (on)
        natter_chat_store_attach_lorebook (self->store, self->book_id, character_id, chat_id, &error);
      else
        natter_chat_store_detach_lorebook (self->store, self->book_id, character_id, chat_id, &error);
    }
  if (error != NULL)
    toast (self, error->message);
}

/* ---- actions ----------------------------------------------------------- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);

  self->dirty = TRUE;
  if (save_book (self))
    {
      fill_entries (self);
      toast (self, _("Lorebook saved"));
    }
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);
  g_autoptr(JsonObject) book = natter_worldbook_new (_("New Lorebook"));
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), book);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  gint64 id;

  save_book (self);
  id = natter_chat_store_add_lorebook (self->store, _("New Lorebook"), text, &error);
  if (id == 0)
    {
      toast (self, error->message);
      return;
    }
  reload_books (self, id);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->book_id == 0)
    return;
  if (self->book_id == OWN_BOOK)
    {
      toast (self, _("A character’s own book goes with its card"));
      return;
    }
  if (!natter_chat_store_delete_lorebook (self->store, self->book_id, &error))
    {
      toast (self, error->message);
      return;
    }
  self->book_id = 0;
  self->dirty = FALSE;
  reload_books (self, 0);
}

static void
add_entry_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);

  if (self->book == NULL)
    return;
  apply_form (self);
  natter_worldbook_add_entry (self->book);
  self->entry = json_array_get_length (natter_worldbook_get_entries (self->book)) - 1;
  self->dirty = TRUE;
  fill_entries (self);
  load_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->keys));
}

static void
remove_entry_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);
  JsonArray *array;

  if (self->book == NULL || entry_object (self, self->entry) == NULL)
    return;
  array = natter_worldbook_get_entries (self->book);
  json_array_remove_element (array, self->entry);
  self->entry = MIN (self->entry, (int) json_array_get_length (array) - 1);
  self->dirty = TRUE;
  fill_entries (self);
  load_form (self);
}

gboolean
natter_lorebook_editor_import_file (NatterLorebookEditor  *self,
                                    const char            *path,
                                    GError               **error)
{
  g_autoptr(JsonObject) book = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  g_return_val_if_fail (NATTER_IS_LOREBOOK_EDITOR (self), FALSE);

  book = natter_worldbook_import_st_file (path, &name, error);
  if (book == NULL)
    return FALSE;
  node = json_node_init_object (json_node_alloc (), book);
  text = json_to_string (node, FALSE);
  save_book (self);
  id = natter_chat_store_add_lorebook (self->store, name, text, error);
  if (id == 0)
    return FALSE;
  reload_books (self, id);
  return TRUE;
}

static void
on_import_response (GtkNativeDialog      *dialog,
                    int                   response,
                    NatterLorebookEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL || !natter_lorebook_editor_import_file (self, path, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Could not import: %s"),
                                                      error ? error->message : _("not a local file"));
          toast (self, message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("SillyTavern world book (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  return filter;
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  chooser = gtk_file_chooser_native_new (_("Import a World Book"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_response (GtkNativeDialog      *dialog,
                    int                   response,
                    NatterLorebookEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->book != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      save_book (self);
      bytes = natter_worldbook_export_st (self->book);
      if (file == NULL ||
          !g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        {
          g_autofree char *message = g_strdup_printf (_("Could not export: %s"),
                                                      error ? error->message : _("no file"));
          toast (self, message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = json_filter ();
  g_autofree char *name = NULL;
  guint index = gtk_drop_down_get_selected (self->books);

  if (self->book == NULL || index >= self->rows->len)
    return;
  chooser = gtk_file_chooser_native_new (_("Export as a World Book"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.json", ((NatterLorebookRow *) g_ptr_array_index (self->rows, index))->name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_close_request (GtkWindow *window)
{
  save_book (NATTER_LOREBOOK_EDITOR (window));
  return FALSE;
}

/* ---- object ------------------------------------------------------------ */

static void
natter_lorebook_editor_dispose (GObject *object)
{
  NatterLorebookEditor *self = NATTER_LOREBOOK_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_LOREBOOK_EDITOR);
  natter_lore_fields_clear (&self->loaded);
  g_clear_pointer (&self->book, json_object_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (natter_lorebook_editor_parent_class)->dispose (object);
}

static void
natter_lorebook_editor_class_init (NatterLorebookEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = natter_lorebook_editor_dispose;
  window_class->close_request = on_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-lorebook-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NatterLorebookEditor, name)
  BIND (toast_overlay);
  BIND (books);
  BIND (book_names);
  BIND (scope_group);
  BIND (global);
  BIND (character);
  BIND (chat);
  BIND (entries);
  BIND (form);
  BIND (comment);
  BIND (keys);
  BIND (secondary);
  BIND (logic);
  BIND (constant);
  BIND (enabled);
  BIND (position);
  BIND (depth);
  BIND (order);
  BIND (probability);
  BIND (scan_depth);
  BIND (exclude_recursion);
  BIND (prevent_recursion);
  BIND (content_view);
#undef BIND

  gtk_widget_class_install_action (widget_class, "lorebooks.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "lorebooks.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "lorebooks.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "lorebooks.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "lorebooks.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "lorebooks.add-entry", NULL, add_entry_action);
  gtk_widget_class_install_action (widget_class, "lorebooks.remove-entry", NULL, remove_entry_action);
}

static void
natter_lorebook_editor_init (NatterLorebookEditor *self)
{
  self->entry = -1;
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  g_signal_connect_object (self->books, "notify::selected", G_CALLBACK (on_book_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entries, "row-selected", G_CALLBACK (on_entry_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->global, "notify::active", G_CALLBACK (on_scope_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->character, "notify::active", G_CALLBACK (on_scope_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chat, "notify::active", G_CALLBACK (on_scope_changed), self,
                           G_CONNECT_SWAPPED);
}

NatterLorebookEditor *
natter_lorebook_editor_new (GtkWindow       *parent,
                            NatterChatStore *store,
                            gint64           character_id,
                            gint64           chat_id)
{
  NatterLorebookEditor *self;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_LOREBOOK_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->character_id = character_id;
  self->chat_id = chat_id;
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->character), ADW_TYPE_ACTION_ROW),
                          character_id != 0);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->chat), ADW_TYPE_ACTION_ROW),
                          chat_id != 0);
  reload_books (self, 0);
  return self;
}

GtkWidget *
natter_lorebook_editor_get_control (NatterLorebookEditor *self,
                                    const char           *name)
{
  static const struct { const char *name; gsize offset; } controls[] = {
#define C(n, f) { n, G_STRUCT_OFFSET (NatterLorebookEditor, f) }
    C ("books", books), C ("entries", entries), C ("comment", comment), C ("keys", keys),
    C ("secondary", secondary), C ("logic", logic), C ("constant", constant), C ("enabled", enabled),
    C ("position", position), C ("depth", depth), C ("order", order), C ("probability", probability),
    C ("scan-depth", scan_depth), C ("exclude-recursion", exclude_recursion),
    C ("prevent-recursion", prevent_recursion), C ("content", content_view), C ("global", global),
    C ("character", character), C ("chat", chat),
#undef C
  };

  g_return_val_if_fail (NATTER_IS_LOREBOOK_EDITOR (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    if (g_str_equal (name, controls[i].name))
      return G_STRUCT_MEMBER (GtkWidget *, self, controls[i].offset);
  return NULL;
}

gint64
natter_lorebook_editor_get_book_id (NatterLorebookEditor *self)
{
  g_return_val_if_fail (NATTER_IS_LOREBOOK_EDITOR (self), 0);
  return self->book_id;
}
