/* fuzz-charx.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for CHARX archives (zip): reading card.json and an
 * asset under their caps, and loading the archive as a card. Promises: a
 * failure says why, nothing read exceeds its cap. Built and run by
 * run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-card.h"
#include "natter-charx.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) icon = NULL;
  g_autoptr(NatterCard) card = NULL;

  if (!natter_charx_has_signature (data, size))
    return 0;

  json = natter_charx_read_card_json (bytes, &error);
  fuzz_check ((json == NULL) == (error != NULL), "charx: error set exactly on failure");
  fuzz_check (json == NULL || g_bytes_get_size (json) <= NATTER_CHARX_MAX_CARD_JSON, "charx: card.json cap");
  g_clear_error (&error);

  icon = natter_charx_read_entry (bytes, "assets/icon/images/main.png", 4096, &error);
  fuzz_check ((icon == NULL) == (error != NULL), "charx: entry error set exactly on failure");
  fuzz_check (icon == NULL || g_bytes_get_size (icon) <= 4096, "charx: entry cap");
  g_clear_error (&error);

  card = natter_card_load_bytes (bytes, NULL, &error);
  fuzz_check ((card == NULL) == (error != NULL), "card: error set exactly on failure");
  return 0;
}
