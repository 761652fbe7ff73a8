/* test-types.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-types.h"

static void
test_categories_round_trip (void)
{
  const char *names[] = { "auth", "not_found", "rate_limited", "overloaded", "bad_request",
                          "server", "network", "timeout", "tls", "protocol", "cancelled" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      NatterErrorCategory c = natter_error_category_from_string (names[i]);

      g_assert_cmpint (c, !=, NATTER_ERROR_CATEGORY_NONE);
      g_assert_cmpstr (natter_error_category_to_string (c), ==, names[i]);
      g_assert_nonnull (natter_error_category_describe (c));
    }
  g_assert_cmpint (natter_error_category_from_string ("bogus"), ==, NATTER_ERROR_CATEGORY_NONE);
}

static void
test_categories_from_status (void)
{
  g_assert_cmpint (natter_error_category_from_status (200), ==, NATTER_ERROR_CATEGORY_NONE);
  g_assert_cmpint (natter_error_category_from_status (401), ==, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_cmpint (natter_error_category_from_status (403), ==, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_cmpint (natter_error_category_from_status (404), ==, NATTER_ERROR_CATEGORY_NOT_FOUND);
  g_assert_cmpint (natter_error_category_from_status (429), ==, NATTER_ERROR_CATEGORY_RATE_LIMITED);
  g_assert_cmpint (natter_error_category_from_status (529), ==, NATTER_ERROR_CATEGORY_OVERLOADED);
  g_assert_cmpint (natter_error_category_from_status (503), ==, NATTER_ERROR_CATEGORY_OVERLOADED);
  g_assert_cmpint (natter_error_category_from_status (400), ==, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_assert_cmpint (natter_error_category_from_status (500), ==, NATTER_ERROR_CATEGORY_SERVER);
}

static void
test_roles (void)
{
  NatterRole role;

  g_assert_true (natter_role_from_string ("assistant", &role));
  g_assert_cmpint (role, ==, NATTER_ROLE_ASSISTANT);
  g_assert_true (natter_role_from_string ("model", &role));
  g_assert_cmpint (role, ==, NATTER_ROLE_ASSISTANT);
  g_assert_true (natter_role_from_string ("system", &role));
  g_assert_cmpint (role, ==, NATTER_ROLE_SYSTEM);
  g_assert_false (natter_role_from_string ("narrator", &role));
  g_assert_cmpstr (natter_role_to_string (NATTER_ROLE_USER), ==, "user");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/types/categories-round-trip", test_categories_round_trip);
  g_test_add_func ("/natter/types/categories-from-status", test_categories_from_status);
  g_test_add_func ("/natter/types/roles", test_roles);

  return g_test_run ();
}
