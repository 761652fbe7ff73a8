/* natter-tool-assembler.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-assembler"

#include "config.h"

#include "natter-tool-assembler.h"

typedef struct
{
  int      index;
  char    *id;
  char    *name;
  char    *signature;
  GString *arguments;
} Slot;

struct _NatterToolAssembler
{
  GPtrArray *slots;   /* element-type Slot, in order of arrival */
  gboolean   truncated;
};

static void
slot_free (Slot *slot)
{
  g_free (slot->id);
  g_free (slot->name);
  g_free (slot->signature);
  g_string_free (slot->arguments, TRUE);
  g_free (slot);
}

NatterToolAssembler *
natter_tool_assembler_new (void)
{
  NatterToolAssembler *self = g_new0 (NatterToolAssembler, 1);

  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  return self;
}

void
natter_tool_assembler_free (NatterToolAssembler *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->slots);
  g_free (self);
}

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

void
natter_tool_assembler_add (NatterToolAssembler *self,
                           const NatterDelta   *delta)
{
  Slot *slot = NULL;
  int index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (delta->kind == NATTER_DELTA_TOOL_CALL);

  index = MAX (delta->tool_index, 0);
  /* The latest call at this index, unless the piece names another call. */
  for (guint i = self->slots->len; i > 0 && slot == NULL; i--)
    {
      Slot *candidate = g_ptr_array_index (self->slots, i - 1);

      if (candidate->index == index)
        slot = candidate;
    }
  if (slot != NULL && is_set (delta->tool_id) && is_set (slot->id) &&
      g_strcmp0 (delta->tool_id, slot->id) != 0)
    slot = NULL;

  if (slot == NULL)
    {
      if (self->slots->len >= NATTER_TOOL_ASSEMBLER_MAX_CALLS)
        {
          self->truncated = TRUE;
          return;
        }
      slot = g_new0 (Slot, 1);
      slot->index = index;
      slot->arguments = g_string_new (NULL);
      g_ptr_array_add (self->slots, slot);
    }

  if (slot->id == NULL && is_set (delta->tool_id))
    slot->id = g_strdup (delta->tool_id);
  if (slot->name == NULL && is_set (delta->tool_name))
    slot->name = g_strndup (delta->tool_name, 256);
  if (slot->signature == NULL && is_set (delta->tool_signature))
    slot->signature = g_strdup (delta->tool_signature);
  if (delta->text != NULL && delta->len > 0)
    {
      if (slot->arguments->len + delta->len > NATTER_TOOL_ASSEMBLER_MAX_ARGS)
        self->truncated = TRUE;
      else
        g_string_append_len (slot->arguments, delta->text, delta->len);
    }
}

gboolean
natter_tool_assembler_is_empty (NatterToolAssembler *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->slots->len == 0;
}

gboolean
natter_tool_assembler_truncated (NatterToolAssembler *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->truncated;
}

GPtrArray *
natter_tool_assembler_finish (NatterToolAssembler *self)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_call_free);

  g_return_val_if_fail (self != NULL, calls);

  const char *pending_signature = NULL;

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      g_autofree char *id = NULL;
      g_autofree char *arguments = NULL;
      NatterToolCall *call;

      /* A signature without a call (Anthropic's thinking block) goes with
       * the call that follows it. */
      if (slot->name == NULL)
        {
          if (slot->signature != NULL)
            pending_signature = slot->signature;
          continue;
        }
      id = slot->id != NULL ? g_strdup (slot->id) : g_strdup_printf ("call_natter_%u", i);
      arguments = g_utf8_make_valid (slot->arguments->str, slot->arguments->len);
      g_strstrip (arguments);
      call = natter_tool_call_new (id, slot->name, *arguments != '\0' ? arguments : "{}");
      call->signature = g_strdup (slot->signature != NULL ? slot->signature : pending_signature);
      pending_signature = NULL;
      g_ptr_array_add (calls, call);
    }
  return calls;
}
