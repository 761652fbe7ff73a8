/* natter-preset.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-sampling.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* A preset says how to talk to a model, never to which one: sampling,
 * prompt blocks in order, completion settings and reasoning. It holds no
 * connection: the connection fields a SillyTavern preset file carries
 * (chat_completion_source, *_model, custom_url, reverse_proxy,
 * proxy_password, custom headers and bodies) are kept only so that an
 * export gives back the file, and never read. */

#define NATTER_PRESET_ERROR (natter_preset_error_quark ())
GQuark natter_preset_error_quark (void);

typedef enum
{
  NATTER_PRESET_ERROR_INVALID,    /* not JSON, not a preset, too large or too deep */
  NATTER_PRESET_ERROR_BAD_VALUE,  /* natter_preset_set(): unknown key or wrong value */
} NatterPresetError;

/* Largest preset file read, and deepest nesting. */
#define NATTER_PRESET_MAX_SIZE  (4 * 1024 * 1024)
#define NATTER_PRESET_MAX_DEPTH 32

typedef enum
{
  NATTER_BLOCK_BEFORE_HISTORY,
  NATTER_BLOCK_AFTER_HISTORY,
  NATTER_BLOCK_IN_HISTORY,     /* @depth messages above the end of the history */
} NatterBlockPosition;

/* One prompt block. Well-known ids are SillyTavern's: "main",
 * "nsfw" (auxiliary), "jailbreak" (post-history instructions),
 * "enhanceDefinitions", "charDescription", "charPersonality", "scenario",
 * "personaDescription", "worldInfoBefore", "worldInfoAfter",
 * "dialogueExamples", "chatHistory", plus Natter's "summary" (where the
 * sidecar's summary of older messages goes). A marker block has no content
 * of its own: it stands for that part of the character, persona, lore or
 * chat. */
typedef struct
{
  char                *id;
  char                *name;
  NatterRole           role;
  gboolean             enabled;
  NatterBlockPosition  position;
  int                  depth;
  char                *content;   /* nullable for markers */
  gboolean             marker;
} NatterPresetBlock;

NatterPresetBlock *natter_preset_block_new  (const char        *id,
                                             const char        *name,
                                             NatterRole         role,
                                             const char        *content);
void               natter_preset_block_free (NatterPresetBlock *block);
const char        *natter_block_position_to_string (NatterBlockPosition position);

#define NATTER_TYPE_PRESET (natter_preset_get_type ())
G_DECLARE_FINAL_TYPE (NatterPreset, natter_preset, NATTER, PRESET, GObject)

/* A preset with SillyTavern's default blocks and no sampling set. */
NatterPreset *natter_preset_new                   (const char    *name);
/* Natter's own form, as natter_preset_to_json() writes it. */
NatterPreset *natter_preset_new_from_json         (const char    *text,
                                                   gssize         len,
                                                   GError       **error);
/* A SillyTavern chat-completion preset (prompts, prompt_order,
 * temperature, openai_max_tokens, …) or text-completion preset (temp,
 * rep_pen, sampler_order, …). @name NULL: "name" in the file, else
 * "Imported". Every key is kept for export. */
NatterPreset *natter_preset_new_from_sillytavern  (const char    *text,
                                                   gsize          len,
                                                   const char    *name,
                                                   GError       **error);
NatterPreset *natter_preset_copy                  (NatterPreset  *self,
                                                   const char    *name);

/* Natter's own form: {"name","sampling":{…},"prompts":[{"id","name",
 * "role","enabled","position","depth","content"}],"reasoning":{…},
 * "completion":{…}}; with @with_source also "format" and "sillytavern"
 * (the imported file). */
JsonNode     *natter_preset_to_json_node          (NatterPreset  *self,
                                                   gboolean       with_source);
char         *natter_preset_to_json               (NatterPreset  *self,
                                                   gboolean       with_source);
/* Natter's own form without the source, for people: indented, numbers in
 * their shortest form (0.7, not 0.69999999999999996). */
char         *natter_preset_to_json_text          (NatterPreset  *self);
/* The preset as a SillyTavern file: the imported file itself, with only
 * what was changed since written back; a preset made in Natter becomes a
 * chat-completion preset. 4-space indentation, as SillyTavern writes. */
char         *natter_preset_to_sillytavern        (NatterPreset  *self);

const char   *natter_preset_get_name              (NatterPreset  *self);
void          natter_preset_set_name              (NatterPreset  *self,
                                                   const char    *name);
/* "sillytavern-chat", "sillytavern-text" or NULL (made in Natter). */
const char   *natter_preset_get_format            (NatterPreset  *self);
/* Natter's names (natter_sampling_keys()); owned by the preset. */
JsonObject   *natter_preset_get_sampling          (NatterPreset  *self);
/* element-type NatterPresetBlock, in order; owned by the preset. */
GPtrArray    *natter_preset_get_blocks            (NatterPreset  *self);
NatterPresetBlock *natter_preset_find_block       (NatterPreset  *self,
                                                   const char    *id);
NatterReasoningEffort natter_preset_get_reasoning (NatterPreset  *self);
/* How many of the newest past replies keep their reasoning in the history
 * sent back (0 by default). */
int           natter_preset_get_reasoning_keep    (NatterPreset  *self);
gboolean      natter_preset_get_reasoning_show    (NatterPreset  *self);
/* Completion settings: "assistant_prefill" (text the reply starts with),
 * "continue_prefill" (boolean: continue by prefilling the reply),
 * "continue_postfix", "continue_nudge" (the instruction sent to continue
 * when prefilling is not possible), "names_behavior", "squash_system_messages",
 * "stream", "group_nudge" (who a group chat's reply speaks as) and
 * "impersonation_prompt" (asks for the person's own next message); those
 * three nudges have SillyTavern's defaults, the rest is NULL when unset. */
const char   *natter_preset_get_string            (NatterPreset  *self,
                                                   const char    *key);
gboolean      natter_preset_get_boolean           (NatterPreset  *self,
                                                   const char    *key,
                                                   gboolean       default_value);

/* How speakers' names reach the model (SillyTavern's names_behavior):
 * NONE drops them, COMPLETION sends them as the messages' "name", CONTENT
 * writes "Name: " before the text; UNSET leaves Natter's default (the
 * "name" member where the dialect has one). SillyTavern's "default" (0)
 * counts as NONE: it names only group members, and Natter has no groups. */
typedef enum
{
  NATTER_PRESET_NAMES_UNSET = -2,
  NATTER_PRESET_NAMES_NONE = -1,
  NATTER_PRESET_NAMES_DEFAULT = 0,
  NATTER_PRESET_NAMES_COMPLETION = 1,
  NATTER_PRESET_NAMES_CONTENT = 2,
} NatterPresetNames;

NatterPresetNames natter_preset_get_names_behavior (NatterPreset *self);

/* Sets one value from its text: a sampling key (temperature=0.7,
 * stop=["\n\n"], top_k= to unset), reasoning=off|auto|low|medium|high|max,
 * reasoning_keep=N, reasoning_show=true, a completion setting, or
 * "prompt.ID.content", "prompt.ID.enabled", "prompt.ID.role",
 * "prompt.ID.position" (before|after|history), "prompt.ID.depth". */
gboolean      natter_preset_set                   (NatterPreset  *self,
                                                   const char    *key,
                                                   const char    *value,
                                                   GError       **error);

G_END_DECLS
