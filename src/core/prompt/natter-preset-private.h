/* natter-preset-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-preset.h"

G_BEGIN_DECLS

struct _NatterPreset
{
  GObject                parent_instance;

  char                  *name;
  char                  *format;       /* nullable */
  JsonObject            *source;       /* the imported file, nullable */
  JsonObject            *sampling;
  GPtrArray             *blocks;       /* NatterPresetBlock */
  JsonObject            *completion;
  NatterReasoningEffort  reasoning;
  int                    reasoning_keep;
  gboolean               reasoning_show;
};

NatterPreset *_natter_preset_new_empty          (const char    *name);
void          _natter_preset_add_default_blocks (GPtrArray     *blocks);
/* The root object of a preset file, size, UTF-8 and depth checked. */
JsonObject   *_natter_preset_parse_object       (const char    *text,
                                                 gssize         len,
                                                 GError       **error);
const char   *_natter_preset_member_string      (JsonObject    *object,
                                                 const char    *name);
gboolean      _natter_preset_member_boolean     (JsonObject    *object,
                                                 const char    *name,
                                                 gboolean       default_value);
gboolean      _natter_preset_member_number      (JsonObject    *object,
                                                 const char    *name,
                                                 double        *value);
/* A sampling value from a file (numbers, booleans, the lists), or NULL. */
JsonNode     *_natter_preset_sampling_value     (const char    *key,
                                                 JsonNode      *node);
NatterRole    _natter_preset_role_from_string   (const char    *str);
void          _natter_preset_read_reasoning     (NatterPreset  *self,
                                                 JsonObject    *object,
                                                 const char    *effort_member,
                                                 const char    *show_member,
                                                 const char    *keep_member);
JsonNode     *_natter_preset_blocks_to_json     (GPtrArray     *blocks);

G_END_DECLS
