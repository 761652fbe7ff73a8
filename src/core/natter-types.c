/* natter-types.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-types.h"

G_DEFINE_QUARK (natter-request-error-quark, natter_request_error)

static const char * const role_names[] = { "system", "user", "assistant" };

static const char * const category_names[] = {
  "none", "auth", "not_found", "rate_limited", "overloaded", "bad_request",
  "server", "network", "timeout", "tls", "protocol", "cancelled",
};

const char *
natter_role_to_string (NatterRole role)
{
  g_return_val_if_fail (role <= NATTER_ROLE_ASSISTANT, NULL);

  return role_names[role];
}

gboolean
natter_role_from_string (const char *str,
                         NatterRole *role)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (g_ascii_strcasecmp (str, role_names[i]) == 0)
        {
          *role = (NatterRole) i;
          return TRUE;
        }
    }

  /* Gemini and others call the assistant "model". */
  if (g_ascii_strcasecmp (str, "model") == 0)
    {
      *role = NATTER_ROLE_ASSISTANT;
      return TRUE;
    }

  return FALSE;
}

const char *
natter_error_category_to_string (NatterErrorCategory category)
{
  g_return_val_if_fail (category < G_N_ELEMENTS (category_names), "none");

  return category_names[category];
}

NatterErrorCategory
natter_error_category_from_string (const char *str)
{
  if (str == NULL)
    return NATTER_ERROR_CATEGORY_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    if (g_str_equal (str, category_names[i]))
      return (NatterErrorCategory) i;

  return NATTER_ERROR_CATEGORY_NONE;
}

const char *
natter_error_category_describe (NatterErrorCategory category)
{
  switch (category)
    {
    case NATTER_ERROR_CATEGORY_NONE:
      return _("No error");
    case NATTER_ERROR_CATEGORY_AUTH:
      return _("Invalid API key or not authorized");
    case NATTER_ERROR_CATEGORY_NOT_FOUND:
      return _("Model or endpoint not found");
    case NATTER_ERROR_CATEGORY_RATE_LIMITED:
      return _("Rate limited by the provider");
    case NATTER_ERROR_CATEGORY_OVERLOADED:
      return _("The provider is overloaded");
    case NATTER_ERROR_CATEGORY_BAD_REQUEST:
      return _("The provider rejected the request");
    case NATTER_ERROR_CATEGORY_SERVER:
      return _("The provider had an internal error");
    case NATTER_ERROR_CATEGORY_NETWORK:
      return _("Could not reach the server");
    case NATTER_ERROR_CATEGORY_TIMEOUT:
      return _("The server did not answer in time");
    case NATTER_ERROR_CATEGORY_TLS:
      return _("Secure connection failed");
    case NATTER_ERROR_CATEGORY_PROTOCOL:
      return _("The server sent a reply Natter could not understand");
    case NATTER_ERROR_CATEGORY_CANCELLED:
      return _("Stopped");
    default:
      g_assert_not_reached ();
    }
}

NatterErrorCategory
natter_error_category_from_status (guint status)
{
  if (status >= 200 && status < 300)
    return NATTER_ERROR_CATEGORY_NONE;
  if (status == 401 || status == 403)
    return NATTER_ERROR_CATEGORY_AUTH;
  if (status == 404)
    return NATTER_ERROR_CATEGORY_NOT_FOUND;
  if (status == 408)
    return NATTER_ERROR_CATEGORY_TIMEOUT;
  if (status == 429)
    return NATTER_ERROR_CATEGORY_RATE_LIMITED;
  if (status == 503 || status == 529)
    return NATTER_ERROR_CATEGORY_OVERLOADED;
  if (status >= 400 && status < 500)
    return NATTER_ERROR_CATEGORY_BAD_REQUEST;
  if (status >= 500)
    return NATTER_ERROR_CATEGORY_SERVER;

  return NATTER_ERROR_CATEGORY_PROTOCOL;
}
