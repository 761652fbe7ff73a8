/* natter-dialect-parts-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-dialect-parts.h"

G_BEGIN_DECLS

/* Each dialect's builder calls one of these to put the attachments of the
 * prompt into its body in the provider's own shape. They do nothing when
 * there are no attachments. Images are fitted to the dialect's limits
 * (natter_dialect_image_limits()); one that cannot be read is sent as a
 * short text saying so rather than failing the request. */

/* OpenAI chat (and every OpenAI-compatible server, Cohere v2): @object is
 * the JSON message made from @message; its "content" string becomes
 * [{"type":"text"},…, {"type":"image_url","image_url":{"url":"data:…"}}]. */
void _natter_parts_openai         (JsonObject                *object,
                                   const NatterPromptMessage *message,
                                   const char                *dialect_id);
/* Ollama /api/chat: message parts made by _natter_parts_openai() in
 * @messages become a "content" string and "images" (bare base64). */
void _natter_parts_ollama         (JsonArray                 *messages);
/* Gemini: @content is {"role","parts":[{"text"}]} made from @message;
 * {"inline_data":{"mime_type","data"}} and file text parts go before the
 * message's text, as Google advises. */
void _natter_parts_gemini         (JsonObject                *content,
                                   const NatterPromptMessage *message);
/* Vertex AI documents the camelCase names: "inlineData", "mimeType". */
void _natter_parts_vertex_names   (NatterRequest             *request,
                                   const NatterPrompt        *prompt);
/* Anthropic Messages: @messages were made from the prompt's non-system
 * messages, consecutive ones of a role joined into one; each gets
 * "content" blocks [{"type":"image","source":{"type":"base64",
 * "media_type","data"}}, …, {"type":"text"}]. */
void _natter_parts_anthropic      (JsonArray                 *messages,
                                   const NatterPrompt        *prompt);
/* Bedrock Converse, made like Anthropic's: {"image":{"format":"png",
 * "source":{"bytes":"<base64>"}}} blocks and {"text"} blocks. */
void _natter_parts_bedrock        (JsonArray                 *messages,
                                   const NatterPrompt        *prompt);

G_END_DECLS
