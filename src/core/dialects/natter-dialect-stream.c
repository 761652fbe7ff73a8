/* natter-dialect-stream.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-dialect"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect.h"
#include "natter-dialects-private.h"
#include "natter-json-writer.h"
#include "natter-json.h"

/* Hot path */

cJSON *
_natter_cjson_parse (const char  *data,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  cJSON *json;

  if (data != NULL && !natter_json_check_depth (data, (gssize) MIN (len, (gsize) G_MAXSSIZE),
                                                NATTER_JSON_MAX_DEPTH, &local_error))
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The server sent a reply that is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  json = data != NULL ? cJSON_ParseWithLength (data, len) : NULL;
  if (json == NULL)
    {
      g_autofree char *excerpt = g_utf8_make_valid (data != NULL ? data : "",
                                                    data != NULL ? (gssize) MIN (len, 80) : 0);

      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The server sent a stream event that is not valid JSON: “%s”"),
                   excerpt);
      return NULL;
    }

  return json;
}

const char *
_natter_cjson_string (const cJSON *object,
                      const char  *name)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  return cJSON_IsString (item) ? item->valuestring : NULL;
}

gint64
_natter_cjson_int (const cJSON *object,
                   const char  *name)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  return cJSON_IsNumber (item) ? natter_json_clamp_int (item->valuedouble, G_MININT64, G_MAXINT64) : -1;
}

NatterErrorCategory
_natter_error_category_from_word (const char *word)
{
  static const struct {
    const char *needle;
    NatterErrorCategory category;
  } words[] = {
    { "overloaded", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "unavailable", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "rate_limit", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "rate-limit", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "resource_exhausted", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "insufficient_quota", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "too_many_requests", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "authentication", NATTER_ERROR_CATEGORY_AUTH },
    { "unauthenticated", NATTER_ERROR_CATEGORY_AUTH },
    { "permission", NATTER_ERROR_CATEGORY_AUTH },
    { "invalid_api_key", NATTER_ERROR_CATEGORY_AUTH },
    { "unauthorized", NATTER_ERROR_CATEGORY_AUTH },
    { "not_found", NATTER_ERROR_CATEGORY_NOT_FOUND },
    { "invalid_request", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "invalid_argument", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "failed_precondition", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "bad_request", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "context_length", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "deadline_exceeded", NATTER_ERROR_CATEGORY_TIMEOUT },
    { "timeout", NATTER_ERROR_CATEGORY_TIMEOUT },
    { "api_error", NATTER_ERROR_CATEGORY_SERVER },
    { "server_error", NATTER_ERROR_CATEGORY_SERVER },
    { "internal", NATTER_ERROR_CATEGORY_SERVER },
  };

  if (word == NULL)
    return NATTER_ERROR_CATEGORY_SERVER;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize nlen = strlen (words[i].needle);

      for (const char *p = word; *p != '\0'; p++)
        if (g_ascii_strncasecmp (p, words[i].needle, nlen) == 0)
          return words[i].category;
    }

  return NATTER_ERROR_CATEGORY_SERVER;
}

void
_natter_emit_error_json (const cJSON     *error,
                         NatterDeltaFunc  emit,
                         gpointer         user_data)
{
  NatterErrorCategory category = NATTER_ERROR_CATEGORY_SERVER;
  const char *message = NULL;

  if (cJSON_IsString (error))
    message = error->valuestring;
  else if (cJSON_IsObject (error))
    {
      const cJSON *code = cJSON_GetObjectItemCaseSensitive (error, "code");
      const char *word;

      message = _natter_cjson_string (error, "message");
      if ((word = _natter_cjson_string (error, "type")) != NULL ||
          (word = _natter_cjson_string (error, "status")) != NULL ||
          (word = _natter_cjson_string (error, "code")) != NULL)
        category = _natter_error_category_from_word (word);
      else if (cJSON_IsNumber (code) && code->valuedouble >= 400)
        category = natter_error_category_from_status ((guint) natter_json_clamp_int (code->valuedouble, 0, G_MAXUINT));

      /* A specific code beats a generic type ("invalid_request_error" with
       * code "model_not_found"). */
      if (cJSON_IsString (code))
        {
          NatterErrorCategory from_code = _natter_error_category_from_word (code->valuestring);

          if (from_code != NATTER_ERROR_CATEGORY_SERVER)
            category = from_code;
        }
      else if (cJSON_IsNumber (code) && code->valuedouble >= 400 &&
               category == NATTER_ERROR_CATEGORY_SERVER)
        category = natter_error_category_from_status ((guint) natter_json_clamp_int (code->valuedouble, 0, G_MAXUINT));
    }

  _natter_emit_error (category, message ? message : _("The provider reported an error"),
                      emit, user_data);
}

void
_natter_emit_text (NatterDeltaKind  kind,
                   const char      *text,
                   NatterDeltaFunc  emit,
                   gpointer         user_data)
{
  NatterDelta delta;

  if (text == NULL || text[0] == '\0')
    return;

  natter_delta_init (&delta, kind);
  delta.text = text;
  delta.len = strlen (text);
  emit (&delta, user_data);
}

void
_natter_emit_usage (gint64           input_tokens,
                    gint64           output_tokens,
                    NatterDeltaFunc  emit,
                    gpointer         user_data)
{
  NatterDelta delta;

  if (input_tokens < 0 && output_tokens < 0)
    return;

  natter_delta_init (&delta, NATTER_DELTA_USAGE);
  delta.input_tokens = input_tokens;
  delta.output_tokens = output_tokens;
  emit (&delta, user_data);
}

void
_natter_emit_usage_full (gint64           input_tokens,
                         gint64           output_tokens,
                         gint64           cache_read_tokens,
                         gint64           cache_write_tokens,
                         double           cost,
                         NatterDeltaFunc  emit,
                         gpointer         user_data)
{
  NatterDelta delta;

  if (input_tokens < 0 && output_tokens < 0 && cache_read_tokens < 0 &&
      cache_write_tokens < 0 && cost < 0)
    return;

  natter_delta_init (&delta, NATTER_DELTA_USAGE);
  delta.input_tokens = input_tokens;
  delta.output_tokens = output_tokens;
  delta.cache_read_tokens = cache_read_tokens;
  delta.cache_write_tokens = cache_write_tokens;
  delta.cost = cost;
  emit (&delta, user_data);
}

void
_natter_emit_finish (const char      *reason,
                     NatterDeltaFunc  emit,
                     gpointer         user_data)
{
  NatterDelta delta;

  if (reason == NULL || reason[0] == '\0')
    return;

  natter_delta_init (&delta, NATTER_DELTA_FINISH);
  delta.finish_reason = reason;
  emit (&delta, user_data);
}

void
_natter_emit_done (NatterDeltaFunc emit,
                   gpointer        user_data)
{
  NatterDelta delta;

  natter_delta_init (&delta, NATTER_DELTA_DONE);
  emit (&delta, user_data);
}

void
_natter_emit_error (NatterErrorCategory  category,
                    const char          *message,
                    NatterDeltaFunc      emit,
                    gpointer             user_data)
{
  NatterDelta delta;

  natter_delta_init (&delta, NATTER_DELTA_ERROR);
  delta.error_category = category;
  delta.error_message = message;
  emit (&delta, user_data);
}
