/* natter-lorebook.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-lorebook"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-lore-regex.h"
#include "natter-lorebook.h"
#include "natter-tokens.h"
#include "natter-json.h"

#define DEFAULT_SCAN_DEPTH 2
/* Recursion stops when nothing new activates, or after this many passes. */
#define MAX_RECURSION 8
/* Regular expression keys get this much time per activation, all keys
 * together; past it the remaining ones count as not matching. */
#define REGEX_TIME_BUDGET_US (250 * 1000)

typedef enum
{
  LOGIC_AND_ANY = 0,
  LOGIC_NOT_ALL = 1,
  LOGIC_NOT_ANY = 2,
  LOGIC_AND_ALL = 3,
} SelectiveLogic;

typedef struct
{
  char   *text;    /* plain key, casefolded unless case sensitive */
  NatterLoreRegex *regex;   /* or a regex key */
  char   *written; /* the key as the book writes it */
} Key;

typedef struct
{
  guint               book;
  guint               index;
  GPtrArray          *keys;            /* Key */
  GPtrArray          *secondary_keys;  /* Key */
  NatterLoreEntry     out;
  gboolean            enabled;
  gboolean            selective;
  SelectiveLogic      logic;
  gboolean            case_sensitive;
  gboolean            whole_words;
  gboolean            exclude_recursion;
  gboolean            prevent_recursion;
  int                 scan_depth;      /* < 0: the book's */
  int                 probability;     /* 0–100: the chance to fire when matched */
} Entry;

typedef struct
{
  int      scan_depth;
  gint64   token_budget;   /* <= 0: none */
  gboolean recursive;
} Book;

struct _NatterLorebook
{
  GObject  parent_instance;
  GArray  *books;     /* Book */
  GPtrArray *entries; /* Entry */
};

G_DEFINE_FINAL_TYPE (NatterLorebook, natter_lorebook, G_TYPE_OBJECT)

G_DEFINE_QUARK (natter-lorebook-error-quark, natter_lorebook_error)

NatterLoreEntry *
natter_lore_entry_copy (const NatterLoreEntry *entry)
{
  NatterLoreEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->content = g_strdup (entry->content);
  copy->comment = g_strdup (entry->comment);
  copy->matched_key = g_strdup (entry->matched_key);

  return copy;
}

void
natter_lore_entry_free (NatterLoreEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->content);
  g_free (entry->comment);
  g_free (entry->matched_key);
  g_free (entry);
}

static void
key_free (gpointer data)
{
  Key *key = data;

  g_free (key->text);
  g_free (key->written);
  g_clear_pointer (&key->regex, natter_lore_regex_unref);
  g_free (key);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_ptr_array_unref (entry->keys);
  g_ptr_array_unref (entry->secondary_keys);
  g_free (entry->out.content);
  g_free (entry->out.comment);
  g_free (entry->out.matched_key);
  g_free (entry);
}

static void
natter_lorebook_finalize (GObject *object)
{
  NatterLorebook *self = NATTER_LOREBOOK (object);

  g_clear_pointer (&self->books, g_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (natter_lorebook_parent_class)->finalize (object);
}

static void
natter_lorebook_class_init (NatterLorebookClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_lorebook_finalize;
}

static void
natter_lorebook_init (NatterLorebook *self)
{
  self->books = g_array_new (FALSE, TRUE, sizeof (Book));
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

NatterLorebook *
natter_lorebook_new (void)
{
  return g_object_new (NATTER_TYPE_LOREBOOK, NULL);
}

guint
natter_lorebook_get_n_entries (NatterLorebook *self)
{
  g_return_val_if_fail (NATTER_IS_LOREBOOK (self), 0);

  return self->entries->len;
}

/* --- Reading ------------------------------------------------------------- */

/* JSON helpers that accept only the expected type and fall back otherwise:
 * cards in the wild carry nulls and odd types in optional fields, and a
 * lorebook with one odd field must still work. */
static JsonNode *
member (JsonObject *obj,
        const char *name)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;
  node = json_object_get_member (obj, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
get_bool (JsonObject *obj,
          const char *name,
          gboolean   *value)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);

  return TRUE;
}

static gboolean
get_int (JsonObject *obj,
         const char *name,
         gint64     *value)
{
  JsonNode *node = member (obj, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = (gint64) json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

static const char *
get_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static Key *
key_new (const char *text,
         gboolean    case_sensitive)
{
  Key *key;
  gsize len = strlen (text);
  const char *last_slash;

  /* "/pattern/flags" is a regular expression. */
  last_slash = len > 2 && text[0] == '/' ? strrchr (text, '/') : NULL;
  if (last_slash != NULL && last_slash > text + 1 &&
      strspn (last_slash + 1, "gimsuyx") == strlen (last_slash + 1))
    {
      g_autofree char *pattern = g_strndup (text + 1, last_slash - text - 1);
      g_autoptr(GError) error = NULL;
      NatterLoreRegexFlags flags = 0;
      NatterLoreRegex *regex;

      if (strchr (last_slash + 1, 'i'))
        flags |= NATTER_LORE_REGEX_CASELESS;
      if (strchr (last_slash + 1, 's'))
        flags |= NATTER_LORE_REGEX_DOTALL;
      if (strchr (last_slash + 1, 'm'))
        flags |= NATTER_LORE_REGEX_MULTILINE;
      if (strchr (last_slash + 1, 'x'))
        flags |= NATTER_LORE_REGEX_EXTENDED;

      regex = natter_lore_regex_get (pattern, flags, &error);
      if (regex == NULL)
        {
          /* One broken key must not cost the user their whole book. */
          g_debug ("Ignoring lorebook key %s: %s", text, error->message);
          return NULL;
        }

      key = g_new0 (Key, 1);
      key->regex = regex;
      return key;
    }

  {
    g_autofree char *stripped = g_strstrip (g_strdup (text));

    if (stripped[0] == '\0')
      return NULL;

    key = g_new0 (Key, 1);
    key->text = case_sensitive ? g_strdup (stripped) : g_utf8_casefold (stripped, -1);
  }

  return key;
}

static GPtrArray *
read_keys (JsonObject *obj,
           const char *name,
           const char *alt_name,
           gboolean    case_sensitive)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (key_free);
  JsonNode *node = member (obj, name);
  JsonArray *array;

  if (node == NULL)
    node = member (obj, alt_name);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return keys;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      Key *key;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        continue;
      key = key_new (json_node_get_string (item), case_sensitive);
      if (key != NULL)
        {
          key->written = g_strdup (json_node_get_string (item));
          g_ptr_array_add (keys, key);
        }
    }

  return keys;
}

static Entry *
read_entry (JsonObject *obj,
            guint       book,
            guint       index)
{
  JsonObject *ext = NULL;
  JsonNode *node;
  Entry *entry = g_new0 (Entry, 1);
  const char *position;
  gboolean b;
  gint64 n;

  node = member (obj, "extensions");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    ext = json_node_get_object (node);

  entry->book = book;
  entry->index = index;
  entry->out.content = g_strdup (get_string (obj, "content") ? get_string (obj, "content") : "");
  entry->out.comment = g_strdup (get_string (obj, "name") ? get_string (obj, "name")
                                 : get_string (obj, "comment") ? get_string (obj, "comment") : "");
  entry->out.tokens = natter_tokens_estimate (entry->out.content);

  entry->enabled = TRUE;
  if (get_bool (obj, "enabled", &b))
    entry->enabled = b;
  if (get_bool (obj, "disable", &b))
    entry->enabled = !b;

  get_bool (obj, "constant", &entry->out.constant);
  get_bool (obj, "selective", &entry->selective);

  entry->whole_words = TRUE;
  if (get_bool (ext, "match_whole_words", &b) || get_bool (ext, "matchWholeWords", &b) ||
      get_bool (obj, "matchWholeWords", &b))
    entry->whole_words = b;

  if (get_bool (obj, "case_sensitive", &b) || get_bool (ext, "case_sensitive", &b) ||
      get_bool (obj, "caseSensitive", &b))
    entry->case_sensitive = b;

  if (get_int (obj, "insertion_order", &n) || get_int (obj, "order", &n))
    entry->out.insertion_order = (int) CLAMP (n, G_MININT, G_MAXINT);
  if (get_int (obj, "priority", &n))
    entry->out.priority = (int) CLAMP (n, G_MININT, G_MAXINT);

  entry->logic = LOGIC_AND_ANY;
  if ((get_int (ext, "selectiveLogic", &n) || get_int (obj, "selectiveLogic", &n)) &&
      n >= LOGIC_AND_ANY && n <= LOGIC_AND_ALL)
    entry->logic = (SelectiveLogic) n;

  entry->probability = 100;
  if (get_int (ext, "probability", &n) &&
      (!get_bool (ext, "useProbability", &b) || b))
    entry->probability = (int) CLAMP (n, 0, 100);

  entry->scan_depth = -1;
  if ((get_int (ext, "scan_depth", &n) || get_int (ext, "scanDepth", &n) ||
       get_int (obj, "scanDepth", &n)) && n >= 0)
    entry->scan_depth = (int) MIN (n, G_MAXINT);

  if (!get_bool (ext, "exclude_recursion", &entry->exclude_recursion) &&
      !get_bool (ext, "excludeRecursion", &entry->exclude_recursion))
    get_bool (obj, "excludeRecursion", &entry->exclude_recursion);
  if (!get_bool (ext, "prevent_recursion", &entry->prevent_recursion) &&
      !get_bool (ext, "preventRecursion", &entry->prevent_recursion))
    get_bool (obj, "preventRecursion", &entry->prevent_recursion);

  /* V2 writes "before_char"/"after_char"; SillyTavern numbers, where 0
   * (before the character) and 5 (before the examples) come first and
   * everything else after. */
  entry->out.position = NATTER_LORE_POSITION_BEFORE_CHAR;
  position = get_string (obj, "position");
  if (position != NULL)
    {
      if (g_str_equal (position, "after_char"))
        entry->out.position = NATTER_LORE_POSITION_AFTER_CHAR;
    }
  else if (get_int (obj, "position", &n) || get_int (ext, "position", &n))
    {
      if (n != 0 && n != 5)
        entry->out.position = NATTER_LORE_POSITION_AFTER_CHAR;
    }
  /* SillyTavern's author's note top (2) and bottom (3). */
  if (get_int (ext, "position", &n) || (position == NULL && get_int (obj, "position", &n)))
    {
      if (n == 2)
        entry->out.position = NATTER_LORE_POSITION_AN_TOP;
      else if (n == 3)
        entry->out.position = NATTER_LORE_POSITION_AN_BOTTOM;
    }
  /* SillyTavern's "in the history at a depth" (4), whatever V2 says. */
  if ((get_int (ext, "position", &n) || (position == NULL && get_int (obj, "position", &n))) && n == 4)
    {
      entry->out.position = NATTER_LORE_POSITION_AT_DEPTH;
      entry->out.depth = 4;
      if ((get_int (ext, "depth", &n) || get_int (obj, "depth", &n)) && n >= 0)
        entry->out.depth = (int) MIN (n, 10000);
    }

  entry->keys = read_keys (obj, "keys", "key", entry->case_sensitive);
  entry->secondary_keys = read_keys (obj, "secondary_keys", "keysecondary", entry->case_sensitive);

  return entry;
}

gboolean
natter_lorebook_add_book (NatterLorebook  *self,
                          JsonObject      *book_obj,
                          GError         **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GList) members = NULL;
  JsonNode *node;
  Book book = { DEFAULT_SCAN_DEPTH, 0, FALSE };
  guint book_index;
  gint64 n;

  g_return_val_if_fail (NATTER_IS_LOREBOOK (self), FALSE);
  g_return_val_if_fail (book_obj != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  book_index = self->books->len;

  if (get_int (book_obj, "scan_depth", &n) && n >= 0)
    book.scan_depth = (int) MIN (n, G_MAXINT);
  if (get_int (book_obj, "token_budget", &n) && n > 0)
    book.token_budget = n;
  get_bool (book_obj, "recursive_scanning", &book.recursive);

  node = member (book_obj, "entries");
  if (node == NULL)
    {
      g_set_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID,
                   _("This is not a lorebook: it has no entries"));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              g_set_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID,
                           _("Lorebook entry %u is not an object"), i + 1);
              return FALSE;
            }
          g_ptr_array_add (entries, read_entry (json_node_get_object (item), book_index, i));
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      guint i = 0;

      members = json_object_get_members (object);
      for (const GList *l = members; l != NULL; l = l->next, i++)
        {
          JsonNode *item = json_object_get_member (object, l->data);

          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              g_set_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID,
                           _("Lorebook entry “%s” is not an object"), (const char *) l->data);
              return FALSE;
            }
          g_ptr_array_add (entries, read_entry (json_node_get_object (item), book_index, i));
        }
    }
  else
    {
      g_set_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID,
                   _("The lorebook’s entries must be a list"));
      return FALSE;
    }

  g_array_append_val (self->books, book);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (self->entries, g_ptr_array_steal_index (entries, i--));

  return TRUE;
}

gboolean
natter_lorebook_add_book_json (NatterLorebook  *self,
                               const char      *json,
                               GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (NATTER_IS_LOREBOOK (self), FALSE);

  /* json-glib reads some escapes that are not JSON into text that is not
   * UTF-8: refused before they are read. */
  if (json == NULL || !natter_json_check_escapes (json, -1, &local_error) ||
      !natter_json_parser_load (parser, json, -1, &local_error))
    {
      g_set_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID,
                   _("The lorebook is not valid JSON: %s"),
                   local_error ? local_error->message : _("no data"));
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID,
                   _("The lorebook must be a JSON object"));
      return FALSE;
    }

  return natter_lorebook_add_book (self, json_node_get_object (root), error);
}

/* --- Matching --------------------------------------------------------------- */

/* A scan buffer in both spellings: as written, and casefolded. */
typedef struct
{
  char *text;
  char *folded;
} Buffer;

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_';
}

static gboolean
find_word (const char *haystack,
           const char *needle,
           gboolean    whole_words)
{
  gsize needle_len = strlen (needle);
  const char *p = haystack;

  if (!whole_words)
    return strstr (haystack, needle) != NULL;

  while ((p = strstr (p, needle)) != NULL)
    {
      gboolean start_ok = TRUE;
      gboolean end_ok = TRUE;
      const char *after = p + needle_len;

      /* A key that starts or ends in a non-word character ("Dr.") has
       * its own boundary there. */
      if (p > haystack && is_word_char (g_utf8_get_char (needle)))
        start_ok = !is_word_char (g_utf8_get_char (g_utf8_prev_char (p)));
      if (*after != '\0' && is_word_char (g_utf8_get_char (g_utf8_prev_char (after))))
        end_ok = !is_word_char (g_utf8_get_char (after));

      if (start_ok && end_ok)
        return TRUE;

      p = g_utf8_next_char (p);
    }

  return FALSE;
}

/* The time spent on regular expressions during one activation. */
typedef struct
{
  gint64   deadline;      /* monotonic µs; regex keys past it do not match */
  gboolean budget_hit;
} Scan;

static gboolean
key_matches (const Key    *key,
             const Entry  *entry,
             const Buffer *buffer,
             Scan         *scan)
{
  if (key->regex != NULL)
    {
      if (scan->budget_hit || g_get_monotonic_time () > scan->deadline)
        {
          scan->budget_hit = TRUE;
          return FALSE;
        }
      return natter_lore_regex_match (key->regex, buffer->text) == NATTER_LORE_MATCH_YES;
    }

  return find_word (entry->case_sensitive ? buffer->text : buffer->folded,
                    key->text, entry->whole_words);
}

static const Key *
any_key (GPtrArray    *keys,
         const Entry  *entry,
         const Buffer *buffers,
         guint         n_buffers,
         Scan         *scan)
{
  for (guint k = 0; k < keys->len; k++)
    for (guint b = 0; b < n_buffers; b++)
      if (key_matches (g_ptr_array_index (keys, k), entry, &buffers[b], scan))
        return g_ptr_array_index (keys, k);

  return NULL;
}

static gboolean
entry_matches (const Entry  *entry,
               const Buffer *buffers,
               guint         n_buffers,
               Scan         *scan,
               const Key   **primary)
{
  guint matched = 0;

  if (!(*primary = any_key (entry->keys, entry, buffers, n_buffers, scan)))
    return FALSE;

  if (!entry->selective || entry->secondary_keys->len == 0)
    return TRUE;

  for (guint k = 0; k < entry->secondary_keys->len; k++)
    for (guint b = 0; b < n_buffers; b++)
      if (key_matches (g_ptr_array_index (entry->secondary_keys, k), entry, &buffers[b], scan))
        {
          matched++;
          break;
        }

  switch (entry->logic)
    {
    case LOGIC_AND_ANY:
      return matched > 0;
    case LOGIC_NOT_ALL:
      return matched < entry->secondary_keys->len;
    case LOGIC_NOT_ANY:
      return matched == 0;
    case LOGIC_AND_ALL:
      return matched == entry->secondary_keys->len;
    default:
      g_assert_not_reached ();
    }
}

static void
buffer_set (Buffer     *buffer,
            const char *text)
{
  g_free (buffer->text);
  g_free (buffer->folded);
  /* Valid UTF-8, which the matchers rely on. */
  buffer->text = g_utf8_make_valid (text, -1);
  buffer->folded = g_utf8_casefold (buffer->text, -1);
}

static void
buffer_clear (Buffer *buffer)
{
  g_clear_pointer (&buffer->text, g_free);
  g_clear_pointer (&buffer->folded, g_free);
}

static void
buffer_free (gpointer data)
{
  buffer_clear (data);
  g_free (data);
}

static char *
join_last (const char * const *history,
           gsize               n_history,
           int                 depth)
{
  GString *s = g_string_new (NULL);
  gsize start = (gsize) depth >= n_history ? 0 : n_history - depth;

  /* \x01 between messages: no key can match across two of them. */
  for (gsize i = start; i < n_history; i++)
    {
      if (s->len > 0)
        g_string_append_c (s, '\x01');
      g_string_append (s, history[i] ? history[i] : "");
    }

  return g_string_free (s, FALSE);
}

/* Drops the least important entries until @chosen fits @budget. */
static int
cmp_importance (gconstpointer a,
                gconstpointer b)
{
  const Entry *ea = *(Entry * const *) a;
  const Entry *eb = *(Entry * const *) b;

  if (ea->out.priority != eb->out.priority)
    return ea->out.priority > eb->out.priority ? -1 : 1;
  if (ea->out.insertion_order != eb->out.insertion_order)
    return ea->out.insertion_order > eb->out.insertion_order ? -1 : 1;
  if (ea->book != eb->book)
    return ea->book < eb->book ? -1 : 1;

  return ea->index < eb->index ? -1 : ea->index > eb->index;
}

static void
trim_to_budget (GPtrArray *chosen,
                gint64     budget)
{
  gint64 total = 0;
  guint keep;

  if (budget <= 0)
    return;

  g_ptr_array_sort (chosen, cmp_importance);
  for (keep = 0; keep < chosen->len; keep++)
    {
      const Entry *entry = g_ptr_array_index (chosen, keep);

      if (total + entry->out.tokens > budget)
        break;
      total += entry->out.tokens;
    }
  g_ptr_array_set_size (chosen, keep);
}

static int
cmp_insertion (gconstpointer a,
               gconstpointer b)
{
  const Entry *ea = *(Entry * const *) a;
  const Entry *eb = *(Entry * const *) b;

  if (ea->out.insertion_order != eb->out.insertion_order)
    return ea->out.insertion_order < eb->out.insertion_order ? -1 : 1;
  if (ea->book != eb->book)
    return ea->book < eb->book ? -1 : 1;

  return ea->index < eb->index ? -1 : ea->index > eb->index;
}

GPtrArray *
natter_lorebook_activate (NatterLorebook     *self,
                          const char * const *history,
                          gsize               n_history,
                          gint64              budget)
{
  return natter_lorebook_activate_full (self, history, n_history, budget, NULL);
}

GPtrArray *
natter_lorebook_activate_full (NatterLorebook     *self,
                               const char * const *history,
                               gsize               n_history,
                               gint64              budget,
                               gboolean           *time_budget_hit)
{
  Scan regex_scan = { g_get_monotonic_time () + REGEX_TIME_BUDGET_US, FALSE };
  g_autoptr(GHashTable) by_depth = NULL;
  g_autofree gboolean *active = NULL;
  g_autofree gboolean *skipped = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GString) recursion = g_string_new (NULL);
  GPtrArray *result;
  gboolean any_recursive = FALSE;

  g_return_val_if_fail (NATTER_IS_LOREBOOK (self), NULL);
  g_return_val_if_fail (history != NULL || n_history == 0, NULL);

  by_depth = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, buffer_free);
  active = g_new0 (gboolean, self->entries->len + 1);
  skipped = g_new0 (gboolean, self->entries->len + 1);

  for (guint b = 0; b < self->books->len; b++)
    any_recursive |= g_array_index (self->books, Book, b).recursive;

  for (int pass = 0; pass < MAX_RECURSION; pass++)
    {
      gboolean added = FALSE;
      Buffer rec = { 0 };

      if (pass > 0)
        buffer_set (&rec, recursion->str);

      for (guint i = 0; i < self->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (self->entries, i);
          const Book *book = &g_array_index (self->books, Book, entry->book);
          int depth = entry->scan_depth >= 0 ? entry->scan_depth : book->scan_depth;
          Buffer buffers[2] = { { 0 } };
          guint n_buffers = 1;
          Buffer *scan;
          const Key *primary = NULL;
          gboolean hit;

          if (active[i] || !entry->enabled)
            continue;
          if (pass > 0 && (!book->recursive || entry->exclude_recursion))
            continue;

          if (entry->out.constant)
            hit = TRUE;
          else
            {
              scan = g_hash_table_lookup (by_depth, GINT_TO_POINTER (depth));
              if (scan == NULL)
                {
                  g_autofree char *text = join_last (history, n_history, depth);

                  scan = g_new0 (Buffer, 1);
                  buffer_set (scan, text);
                  g_hash_table_insert (by_depth, GINT_TO_POINTER (depth), scan);
                }
              buffers[0] = *scan;
              if (pass > 0)
                {
                  buffers[1] = rec;
                  n_buffers = 2;
                }
              hit = entry_matches (entry, buffers, n_buffers, &regex_scan, &primary);
              if (hit)
                {
                  g_free (entry->out.matched_key);
                  entry->out.matched_key = g_strdup (primary->written);
                }
            }
          /* SillyTavern's trigger chance: an entry that would fire may not. */
          if (hit && entry->probability < 100 &&
              (entry->probability <= 0 || g_random_int_range (0, 100) >= entry->probability))
            {
              active[i] = TRUE;   /* not again in a later pass */
              skipped[i] = TRUE;
              continue;
            }

          if (hit)
            {
              active[i] = TRUE;
              added = TRUE;
              if (any_recursive && !entry->prevent_recursion)
                {
                  g_string_append_c (recursion, '\x01');
                  g_string_append (recursion, entry->out.content);
                }
            }
        }

      buffer_clear (&rec);
      if (!added || !any_recursive)
        break;
    }

  /* Each book's own budget, then the caller's over all of them. */
  chosen = g_ptr_array_new ();
  for (guint b = 0; b < self->books->len; b++)
    {
      g_autoptr(GPtrArray) of_book = g_ptr_array_new ();

      for (guint i = 0; i < self->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (self->entries, i);

          if (active[i] && !skipped[i] && entry->book == b)
            g_ptr_array_add (of_book, entry);
        }
      trim_to_budget (of_book, g_array_index (self->books, Book, b).token_budget);
      for (guint i = 0; i < of_book->len; i++)
        g_ptr_array_add (chosen, g_ptr_array_index (of_book, i));
    }
  trim_to_budget (chosen, budget);
  g_ptr_array_sort (chosen, cmp_insertion);

  if (regex_scan.budget_hit)
    g_debug ("Lorebook activation ran out of time for regular expression keys");
  if (time_budget_hit != NULL)
    *time_budget_hit = regex_scan.budget_hit;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_lore_entry_free);
  for (guint i = 0; i < chosen->len; i++)
    {
      const Entry *entry = g_ptr_array_index (chosen, i);
      g_ptr_array_add (result, natter_lore_entry_copy (&entry->out));
    }

  return result;
}
