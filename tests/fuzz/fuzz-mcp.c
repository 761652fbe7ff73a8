/* fuzz-mcp.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for what MCP servers and files send: JSON-RPC messages
 * (one line over stdio, one body or event over HTTP) and {"mcpServers"}
 * files. The first byte picks which. The promises checked: a parse gives
 * messages or an error, never both or neither; every message has what its
 * kind needs; an answer built to a parsed request parses back to the same
 * id; an imported server validates and survives its stored form. Built and
 * run by run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-mcp-config.h"
#include "natter-mcp-message.h"

static void
check_messages (const char *data,
                gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = natter_mcp_message_parse (data, len, &error);

  fuzz_check ((messages == NULL) != (error == NULL), "messages or an error");
  if (messages == NULL)
    {
      fuzz_check (error->domain == NATTER_MCP_ERROR && g_utf8_validate (error->message, -1, NULL),
                  "a readable MCP error");
      return;
    }
  fuzz_check (messages->len > 0 && messages->len <= NATTER_MCP_MAX_BATCH, "a batch within bounds");
  for (guint i = 0; i < messages->len; i++)
    {
      NatterMcpMessage *m = g_ptr_array_index (messages, i);

      switch (m->kind)
        {
        case NATTER_MCP_MESSAGE_REQUEST:
          {
            g_autofree char *answer = NULL;
            g_autoptr(GPtrArray) back = NULL;
            NatterMcpMessage *r;

            fuzz_check (m->method != NULL && m->id != NULL, "a request has a method and an id");
            answer = natter_mcp_message_build_error (m->id, -32601, "Method not found");
            back = natter_mcp_message_parse (answer, strlen (answer), NULL);
            fuzz_check (back != NULL && back->len == 1, "our answer parses");
            r = g_ptr_array_index (back, 0);
            fuzz_check (r->kind == NATTER_MCP_MESSAGE_ERROR && json_node_equal (r->id, m->id),
                        "our answer keeps the id");
          }
          break;
        case NATTER_MCP_MESSAGE_NOTIFICATION:
          fuzz_check (m->method != NULL && m->id == NULL, "a notification has a method, no id");
          break;
        case NATTER_MCP_MESSAGE_RESULT:
          fuzz_check (m->result != NULL && m->id != NULL, "a result has an id and a value");
          break;
        case NATTER_MCP_MESSAGE_ERROR:
          fuzz_check (m->error_message != NULL && g_utf8_validate (m->error_message, -1, NULL),
                      "an error has a readable message");
          break;
        default:
          fuzz_check (FALSE, "a known kind");
        }
    }
}

static void
check_servers_file (const char *data,
                    gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) configs = natter_mcp_config_parse_servers_file (data, len, &error);

  fuzz_check ((configs == NULL) != (error == NULL), "servers or an error");
  if (configs == NULL)
    return;
  for (guint i = 0; i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);
      g_autoptr(JsonNode) stored = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(NatterMcpConfig) back = NULL;

      fuzz_check (natter_mcp_config_validate (config, NULL), "an imported server validates");
      stored = natter_mcp_config_to_json (config);
      back = natter_mcp_config_from_json (config->uuid, config->name, stored, NULL);
      fuzz_check (back != NULL, "the stored form reads back");
      again = natter_mcp_config_to_json (back);
      fuzz_check (json_node_equal (stored, again), "the stored form survives a round trip");
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 1)
    return 0;
  if (data[0] & 1)
    check_servers_file ((const char *) data + 1, size - 1);
  else
    check_messages ((const char *) data + 1, size - 1);
  return 0;
}
