/* bench-attach.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Attachment benchmark: prints figures, never fails on wall time.
 *
 * A 12-megapixel photo (4000×3000 JPEG, made here with gdk-pixbuf: smooth
 * gradients and grain, about what a phone writes) and a 12-megapixel
 * screenshot-like PNG are attached the way the composer and `natter-cli
 * --attach` do it (read, type sniffed, decoded, downscaled to 2048 px,
 * re-encoded, hashed), then sent: the OpenAI and Anthropic request bodies
 * built with the stored picture (base64 and JSON). For each: the median
 * and best of RUNS runs, and the peak resident memory (VmHWM, reset
 * before each kind through /proc/self/clear_refs). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "natter-attachment-file.h"
#include "natter-dialect.h"
#include "natter-image-fit.h"

#define WIDTH  4000
#define HEIGHT 3000
#define RUNS   7

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return -1;
  return strtol (line + strlen (field), NULL, 10);
}

static void
reset_peak (void)
{
  /* "5" resets the peak resident set size (Linux 4.0+); written in place
   * (g_file_set_contents() would rename a temporary file over it). */
  FILE *f = fopen ("/proc/self/clear_refs", "w");

  if (f != NULL)
    {
      fputs ("5", f);
      fclose (f);
    }
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static GdkPixbuf *
make_photo (gboolean flat)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 seed = 12345;

  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guchar *p = pixels + (gsize) y * stride + x * 3;
        int grain;

        seed = seed * 1103515245 + 12345;
        grain = flat ? 0 : (int) ((seed >> 16) % 17) - 8;
        if (flat)
          {
            /* Windows and text-like stripes: what a screenshot holds. */
            gboolean ink = ((y / 18) % 3 == 0) && ((x / 7) % 5 != 0) && x % 900 < 820;

            p[0] = ink ? 40 : 246;
            p[1] = ink ? 40 : (x / 1000) % 2 ? 246 : 238;
            p[2] = ink ? 48 : 250;
            continue;
          }
        p[0] = CLAMP (x * 255 / WIDTH + grain, 0, 255);
        p[1] = CLAMP (y * 255 / HEIGHT + grain, 0, 255);
        p[2] = CLAMP (128 + (int) (60 * ((x ^ y) & 0x3f) / 64) + grain, 0, 255);
      }
  return pixbuf;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
bench_kind (const char *dir,
            const char *name,
            const char *type,
            gboolean    flat)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(NatterAttachment) attachment = NULL;
  double attach_ms[RUNS], openai_ms[RUNS], anthropic_ms[RUNS];
  gsize body_len = 0;
  long rss_before, peak;
  int w, h;

  {
    g_autoptr(GdkPixbuf) photo = make_photo (flat);
    g_autoptr(GError) error = NULL;

    if (g_str_equal (type, "jpeg"))
      gdk_pixbuf_save (photo, path, "jpeg", &error, "quality", "92", NULL);
    else
      gdk_pixbuf_save (photo, path, "png", &error, NULL);
    g_assert_no_error (error);
  }

  reset_peak ();
  rss_before = status_kb ("VmRSS:");
  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      double start = now_ms ();

      g_clear_pointer (&attachment, natter_attachment_free);
      attachment = natter_attachment_load (file, NULL, &error);
      attach_ms[run] = now_ms () - start;
      g_assert_no_error (error);
    }
  peak = status_kb ("VmHWM:");
  g_assert_true (natter_image_get_size (attachment->data, &w, &h, NULL));

  for (guint run = 0; run < RUNS; run++)
    for (guint d = 0; d < 2; d++)
      {
        const NatterDialect *dialect = natter_dialect_lookup (d == 0 ? "openai-chat" : "anthropic");
        NatterDialectContext ctx = { .base_url = "http://127.0.0.1:1" };
        NatterPrompt *prompt = natter_prompt_new ();
        g_autoptr(NatterRequest) request = NULL;
        NatterGenParams params;
        double start;

        natter_prompt_add (prompt, NATTER_ROLE_USER, "What is in this picture?");
        natter_prompt_message_add_attachment (g_ptr_array_index (prompt->messages, 0),
                                              natter_attachment_copy (attachment));
        natter_gen_params_init (&params);
        params.model = g_strdup ("m");
        start = now_ms ();
        request = dialect->build_request (&ctx, prompt, &params, NULL);
        (d == 0 ? openai_ms : anthropic_ms)[run] = now_ms () - start;
        body_len = g_bytes_get_size (natter_request_get_body (request));
        natter_gen_params_clear (&params);
        natter_prompt_free (prompt);
      }

  qsort (attach_ms, RUNS, sizeof (double), compare_double);
  qsort (openai_ms, RUNS, sizeof (double), compare_double);
  qsort (anthropic_ms, RUNS, sizeof (double), compare_double);

  {
    GStatBuf st;

    g_stat (path, &st);
    printf ("%s: %d×%d %s, %.1f MB on disk\n", name, WIDTH, HEIGHT, type, st.st_size / 1e6);
  }
  printf ("  attach (read, sniff, decode, downscale, re-encode, SHA-256): median %.0f ms, best %.0f ms\n",
          attach_ms[RUNS / 2], attach_ms[0]);
  printf ("  stored: %d×%d %s, %.0f kB\n", w, h, attachment->mime_type,
          g_bytes_get_size (attachment->data) / 1e3);
  printf ("  request body (base64 + JSON): openai-chat median %.1f ms, anthropic median %.1f ms, %.0f kB\n",
          openai_ms[RUNS / 2], anthropic_ms[RUNS / 2], body_len / 1e3);
  printf ("  resident memory: %.1f MB before, peak %.1f MB while attaching (+%.1f MB)\n",
          rss_before / 1024.0, peak / 1024.0, (peak - rss_before) / 1024.0);
  fflush (stdout);
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("natter-bench-attach-XXXXXX", NULL);

  printf ("Attaching a 12-megapixel picture (%d runs each)\n", RUNS);
  bench_kind (dir, "photo.jpg", "jpeg", FALSE);
  bench_kind (dir, "screenshot.png", "png", TRUE);
  g_rmdir (dir);
  return 0;
}
