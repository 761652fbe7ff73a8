/* test-catalog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-catalog.h"
#include "natter-dialect.h"
#include "natter-request.h"

static const char * const expected_ids[] = {
  "openai", "anthropic", "google", "vertex", "openrouter", "deepseek", "xai", "mistral", "groq",
  "perplexity", "ai21", "moonshot", "fireworks", "electronhub", "siliconflow", "nanogpt",
  "infermatic", "chutes", "zai", "pollinations", "custom", "ollama", "koboldcpp", "llamacpp",
  "tabbyapi", "textgen-webui", "lmstudio", "cohere", "azure-openai", "bedrock",
};

static void
test_ids_in_order (void)
{
  NatterCatalog *catalog = natter_catalog_get_default ();
  GListModel *providers = natter_catalog_get_providers (catalog);

  g_assert_cmpuint (g_list_model_get_n_items (providers), ==, G_N_ELEMENTS (expected_ids));
  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (providers, i);

      g_assert_cmpstr (natter_provider_get_id (provider), ==, expected_ids[i]);
      g_assert_true (natter_catalog_lookup (catalog, expected_ids[i]) == provider);
      g_assert_nonnull (natter_provider_get_name (provider));
      g_assert_true (natter_provider_has_capability (provider, "streaming"));
    }
  g_assert_null (natter_catalog_lookup (catalog, "nonexistent"));
}

static void
test_dialects_exist (void)
{
  NatterCatalog *catalog = natter_catalog_get_default ();
  GListModel *providers = natter_catalog_get_providers (catalog);

  for (guint i = 0; i < g_list_model_get_n_items (providers); i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (providers, i);
      const char *id = natter_provider_get_id (provider);
      gboolean unsupported = FALSE;

      g_assert_nonnull (id);

      g_assert_cmpint (natter_provider_get_supported (provider), ==, !unsupported);
      if (natter_provider_get_supported (provider))
        {
          g_assert_nonnull (natter_dialect_lookup (natter_provider_get_dialect_id (provider)));
          /* A provider without a list endpoint must ship its own list. */
          if (!natter_provider_get_lists_models (provider))
            {
              g_assert_nonnull (natter_provider_get_builtin_models (provider)[0]);
              g_assert_nonnull (natter_provider_get_default_model (provider));
            }
        }
    }
}

static void
test_facts (void)
{
  NatterCatalog *catalog = natter_catalog_get_default ();
  NatterProvider *p;
  const char * const *env;
  const char * const *headers;

  p = natter_catalog_lookup (catalog, "openai");
  g_assert_cmpstr (natter_provider_get_dialect_id (p), ==, "openai-chat");
  g_assert_cmpstr (natter_provider_get_default_url (p), ==, "https://api.openai.com/v1");
  g_assert_cmpint (natter_provider_get_auth_style (p), ==, NATTER_AUTH_BEARER);
  g_assert_true (natter_provider_get_key_required (p));
  g_assert_cmpstr (natter_provider_get_key_env (p)[0], ==, "OPENAI_API_KEY");

  p = natter_catalog_lookup (catalog, "anthropic");
  g_assert_cmpstr (natter_provider_get_dialect_id (p), ==, "anthropic");
  g_assert_cmpstr (natter_provider_get_default_url (p), ==, "https://api.anthropic.com");
  g_assert_cmpint (natter_provider_get_auth_style (p), ==, NATTER_AUTH_X_API_KEY);

  p = natter_catalog_lookup (catalog, "google");
  g_assert_cmpint (natter_provider_get_auth_style (p), ==, NATTER_AUTH_X_GOOG_API_KEY);
  env = natter_provider_get_key_env (p);
  g_assert_cmpstr (env[0], ==, "GEMINI_API_KEY");
  g_assert_cmpstr (env[1], ==, "GOOGLE_API_KEY");
  g_assert_null (env[2]);

  p = natter_catalog_lookup (catalog, "cohere");
  env = natter_provider_get_key_env (p);
  g_assert_cmpstr (env[0], ==, "CO_API_KEY");
  g_assert_cmpstr (env[1], ==, "COHERE_API_KEY");
  g_assert_cmpstr (natter_provider_get_default_url (p), ==, "https://api.cohere.com");

  p = natter_catalog_lookup (catalog, "groq");
  g_assert_cmpstr (natter_provider_get_default_url (p), ==, "https://api.groq.com/openai/v1");

  p = natter_catalog_lookup (catalog, "zai");
  g_assert_false (natter_provider_get_lists_models (p));
  g_assert_true (g_strv_contains (natter_provider_get_builtin_models (p), "glm-4.6"));
  g_assert_true (g_strv_contains (natter_provider_get_builtin_models (p), "glm-4-32b-0414-128k"));

  p = natter_catalog_lookup (catalog, "openrouter");
  headers = natter_provider_get_extra_headers (p);
  g_assert_cmpstr (headers[0], ==, "HTTP-Referer");
  g_assert_cmpstr (headers[2], ==, "X-Title");
  g_assert_cmpstr (headers[3], ==, "Natter");

  for (guint i = 0; i < 6; i++)
    {
      const char *local[] = { "ollama", "koboldcpp", "llamacpp", "tabbyapi", "textgen-webui", "lmstudio" };

      p = natter_catalog_lookup (catalog, local[i]);
      g_assert_true (natter_provider_get_local (p));
      g_assert_false (natter_provider_get_key_required (p));
      g_assert_true (g_str_has_prefix (natter_provider_get_default_url (p), "http://127.0.0.1:"));
    }
  g_assert_cmpstr (natter_provider_get_default_url (natter_catalog_lookup (catalog, "ollama")), ==,
                   "http://127.0.0.1:11434");
  g_assert_false (natter_provider_get_local (natter_catalog_lookup (catalog, "openai")));
  g_assert_cmpint (natter_provider_get_context_size (natter_catalog_lookup (catalog, "anthropic")), ==, 200000);
}

static void
test_apply_auth (void)
{
  NatterCatalog *catalog = natter_catalog_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *headers_json = NULL;

  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://api.openai.com/v1/chat/completions");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "openai"),
                                               request, "sk-test-1234\n", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (natter_request_get_header (request, "Authorization"), ==, "Bearer sk-test-1234");
    g_assert_true (natter_request_header_is_secret (request, 0));
    headers_json = natter_request_dup_redacted_headers_json (request);
    g_assert_null (strstr (headers_json, "sk-test-1234"));
  }

  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://x");

    g_assert_false (natter_provider_apply_auth (natter_catalog_lookup (catalog, "openai"),
                                                request, NULL, &error));
    g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
    g_assert_nonnull (strstr (error->message, "OPENAI_API_KEY"));
    g_clear_error (&error);
    g_assert_false (natter_provider_apply_auth (natter_catalog_lookup (catalog, "openai"),
                                                request, "   ", &error));
    g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
    g_clear_error (&error);
    g_assert_false (natter_provider_apply_auth (natter_catalog_lookup (catalog, "openai"),
                                                request, "sk-a\r\nX-Evil: 1", &error));
    g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
    g_assert_null (strstr (error->message, "sk-a"));
    g_clear_error (&error);
    g_assert_cmpuint (natter_request_get_n_headers (request), ==, 0);
  }

  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://x");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "anthropic"),
                                               request, "sk-ant-xyz", &error));
    g_assert_cmpstr (natter_request_get_header (request, "x-api-key"), ==, "sk-ant-xyz");
    g_assert_null (natter_request_get_header (request, "Authorization"));
  }

  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://x");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "google"),
                                               request, "AIzaTest", &error));
    g_assert_cmpstr (natter_request_get_header (request, "x-goog-api-key"), ==, "AIzaTest");
  }

  /* Local servers: a key is optional; bearer only when one is set. */
  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "http://127.0.0.1:8080/completion");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "llamacpp"),
                                               request, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (natter_request_get_n_headers (request), ==, 0);
  }
  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "http://127.0.0.1:5000/v1/completions");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "tabbyapi"),
                                               request, "tabby-key", &error));
    g_assert_cmpstr (natter_request_get_header (request, "Authorization"), ==, "Bearer tabby-key");
  }
  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "http://127.0.0.1:11434/api/chat");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "ollama"),
                                               request, NULL, &error));
    g_assert_cmpuint (natter_request_get_n_headers (request), ==, 0);
  }

  /* OpenRouter attribution headers. */
  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://openrouter.ai/api/v1/chat/completions");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "openrouter"),
                                               request, "sk-or-1", &error));
    g_assert_cmpstr (natter_request_get_header (request, "X-Title"), ==, "Natter");
    g_assert_nonnull (natter_request_get_header (request, "HTTP-Referer"));
  }

  /* Azure: the key in "api-key". Vertex and Bedrock sign in through
   * NatterAuth: applying a plain key to them is refused, never guessed. */
  {
    g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://x.openai.azure.com");

    g_assert_true (natter_provider_apply_auth (natter_catalog_lookup (catalog, "azure-openai"),
                                               request, "azure-key-1", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (natter_request_get_header (request, "api-key"), ==, "azure-key-1");
  }
  for (guint i = 0; i < 2; i++)
    {
      const char *ids[] = { "vertex", "bedrock" };
      g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://x");

      g_assert_false (natter_provider_apply_auth (natter_catalog_lookup (catalog, ids[i]),
                                                  request, "some-key", &error));
      g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
      g_assert_null (natter_request_get_header (request, "Authorization"));
      g_clear_error (&error);
    }
}

static void
test_env_key (void)
{
  NatterProvider *google = natter_catalog_lookup (natter_catalog_get_default (), "google");
  char *key;

  g_unsetenv ("GEMINI_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");
  g_assert_null (natter_provider_dup_env_key (google));

  g_setenv ("GOOGLE_API_KEY", "from-google", TRUE);
  key = natter_provider_dup_env_key (google);
  g_assert_cmpstr (key, ==, "from-google");
  g_free (key);

  g_setenv ("GEMINI_API_KEY", "from-gemini", TRUE);
  key = natter_provider_dup_env_key (google);
  g_assert_cmpstr (key, ==, "from-gemini");
  g_free (key);

  g_unsetenv ("GEMINI_API_KEY");
  g_unsetenv ("GOOGLE_API_KEY");
}

static void
test_from_data (void)
{
  const char *good =
    "{\"providers\":[{\"id\":\"acme\",\"name\":\"Acme\",\"dialect\":\"openai-chat\","
    "\"default_url\":\"https://acme.example/v1\",\"auth\":\"bearer\",\"key_required\":true,"
    "\"key_env\":[\"ACME_KEY\"],\"builtin_models\":[\"acme-1\",\"acme-2\"],"
    "\"capabilities\":[\"streaming\"]}]}";
  const char *bad[] = {
    "not json",
    "{\"providers\":{}}",
    "{\"providers\":[{\"name\":\"x\",\"dialect\":\"openai-chat\",\"auth\":\"none\"}]}",
    "{\"providers\":[{\"id\":\"x\",\"name\":\"x\",\"dialect\":\"openai-chat\",\"auth\":\"magic\"}]}",
    "{\"providers\":[{\"id\":\"x\",\"name\":\"x\",\"dialect\":\"openai-chat\",\"auth\":\"none\",\"key_env\":\"A\"}]}",
    "{\"providers\":[{\"id\":\"x\",\"name\":\"x\",\"dialect\":\"d\",\"auth\":\"none\"},"
    "{\"id\":\"x\",\"name\":\"y\",\"dialect\":\"d\",\"auth\":\"none\"}]}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCatalog) catalog = natter_catalog_new_from_data (good, strlen (good), &error);
  NatterProvider *acme;

  g_assert_no_error (error);
  acme = natter_catalog_lookup (catalog, "acme");
  g_assert_nonnull (acme);
  g_assert_cmpstr (natter_provider_get_default_model (acme), ==, "acme-1");
  g_assert_true (natter_provider_get_lists_models (acme));
  g_assert_true (natter_provider_get_supported (acme));
  g_assert_null (natter_provider_get_extra_headers (acme)[0]);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(NatterCatalog) broken = natter_catalog_new_from_data (bad[i], strlen (bad[i]), &error);

      g_assert_null (broken);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/catalog/ids-in-order", test_ids_in_order);
  g_test_add_func ("/natter/catalog/dialects-exist", test_dialects_exist);
  g_test_add_func ("/natter/catalog/facts", test_facts);
  g_test_add_func ("/natter/catalog/apply-auth", test_apply_auth);
  g_test_add_func ("/natter/catalog/env-key", test_env_key);
  g_test_add_func ("/natter/catalog/from-data", test_from_data);

  return g_test_run ();
}
