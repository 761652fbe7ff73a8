/* natter-tail-model-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The end of a list: the items of @base from a start position on, which
 * moves toward the beginning only when asked (the chat view asks as the
 * person scrolls up). GTK 4.8's list view makes a row widget for up to 200
 * items around where it is anchored, and destroys them all when its model
 * is replaced: opening a chat of 10,000 messages made and unmade 200 rows
 * (tens of milliseconds). A chat opens with a few dozen of its newest
 * messages and takes in older ones in pieces. Changes of @base at or after the start pass
 * through; a change of @base as a whole (another chat's messages) starts
 * again from its end. */
#define NATTER_TYPE_TAIL_MODEL (natter_tail_model_get_type ())
G_DECLARE_FINAL_TYPE (NatterTailModel, natter_tail_model, NATTER, TAIL_MODEL, GObject)

/* Shows the last @keep items of @base at first. */
NatterTailModel *natter_tail_model_new       (GListModel      *base,
                                              guint            keep);
/* The position in @base of this model's first item. */
guint            natter_tail_model_get_start (NatterTailModel *self);
/* Takes in up to @count older items at the front; returns how many. */
guint            natter_tail_model_grow      (NatterTailModel *self,
                                              guint            count);
/* Takes in every item up to @base_position; returns its position here. */
guint            natter_tail_model_reach     (NatterTailModel *self,
                                              guint            base_position);

G_END_DECLS
