/* natter-dialect-tools-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cjson/cJSON.h>
#include <json-glib/json-glib.h>

#include "natter-dialect.h"

G_BEGIN_DECLS

/* The tool through which dialects without a native JSON-schema answer
 * (Anthropic, Bedrock) are made to answer in a shape: its arguments are
 * the answer. */
#define NATTER_SCHEMA_TOOL_NAME "json_response"

/* Messages that carry tool calls or results are not plain text: the chat
 * builders put _natter_tools_placeholder (its index in prompt->messages)
 * in their place, and the hooks below replace it with the message in the
 * dialect's own shape. A message with both calls and results is an earlier
 * reply: its calls, their results, then its text. */
gboolean    _natter_prompt_message_has_tools (const NatterPromptMessage *message);
JsonObject *_natter_tools_placeholder        (guint                      index);

/* One hook per wire shape, called by each builder once its body is made:
 * tool definitions, the tool choice, the answer's schema, and the trailing
 * tool call / result messages. Nothing is added when the prompt has none. */
void     _natter_tools_openai    (const NatterPrompt *prompt,
                                  JsonObject         *body);
void     _natter_tools_anthropic (const NatterPrompt *prompt,
                                  JsonObject         *body);
void     _natter_tools_gemini    (const NatterPrompt *prompt,
                                  JsonObject         *body);
void     _natter_tools_cohere    (const NatterPrompt *prompt,
                                  JsonObject         *body);
void     _natter_tools_ollama    (const NatterPrompt *prompt,
                                  JsonObject         *body);
void     _natter_tools_bedrock   (const NatterPrompt *prompt,
                                  JsonObject         *body);

/* Ollama's whole calls in message.tool_calls ({"function":{"name",
 * "arguments":{…}}}): one TOOL_CALL delta each, numbered by @counter
 * (the stream's, kept by the parser). */
void     _natter_tools_emit_ollama_calls (const cJSON     *message,
                                          int             *counter,
                                          NatterDeltaFunc  emit,
                                          gpointer         user_data);

/* Anthropic wants the thinking block that led to a tool call back, with
 * its signature, in the assistant turn that carries the call: a thinking
 * block's text and signature become one TOOL_CALL delta without a name at
 * the block's @index whose signature is the block as JSON; the tool
 * assembler gives it to the call that follows. Nothing when @signature is
 * NULL. */
void     _natter_tools_emit_thinking_signature (int              index,
                                                const char      *thinking,
                                                const char      *signature,
                                                NatterDeltaFunc  emit,
                                                gpointer         user_data);

G_END_DECLS
