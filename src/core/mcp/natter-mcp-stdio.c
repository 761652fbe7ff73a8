/* natter-mcp-stdio.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The stdio transport: the server is a subprocess; each message is one line
 * of JSON on its standard input and output; what it writes on standard
 * error is kept (the last 16 KiB) for a note to the person. */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "natter-mcp-client-private.h"

#define READ_CHUNK (64 * 1024)
#define STDERR_TAIL (16 * 1024)
/* How long a server that closed its output may take to exit before we
 * stop waiting for its status. */
#define EOF_GRACE_MS 1000
/* How long a stopped server may take to exit after SIGTERM. */
#define KILL_GRACE_S 2

static void read_stdout (NatterMcpClient *self, GInputStream *stream);

static char *
describe_exit (GSubprocess *subprocess)
{
  if (g_subprocess_get_if_exited (subprocess))
    return g_strdup_printf (_("exited with status %d"), g_subprocess_get_exit_status (subprocess));
  if (g_subprocess_get_if_signaled (subprocess))
    return g_strdup_printf (_("was killed by signal %d"), g_subprocess_get_term_sig (subprocess));
  return g_strdup (_("ended"));
}

static GError *
closed_error (NatterMcpClient *self,
              const char      *how)
{
  g_autofree char *tail = NULL;
  const char *last;

  /* The last line of its standard error usually says why. */
  tail = g_strstrip (g_strdup (self->stderr_tail->str));
  last = strrchr (tail, '\n');
  last = last != NULL ? last + 1 : tail;
  if (*last != '\0')
    return g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                        _("Server “%s” %s: %s"), self->config->name, how, last);
  return g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                      _("Server “%s” %s."), self->config->name, how);
}

static void
close_exited (NatterMcpClient *self)
{
  g_autofree char *how = NULL;

  g_clear_handle_id (&self->eof_timer, g_source_remove);
  if (self->exited)
    how = describe_exit (self->subprocess);
  _natter_mcp_client_close (self, closed_error (self, how != NULL ? how : _("closed its output")));
}

static gboolean
on_eof_grace (gpointer data)
{
  NatterMcpClient *self = data;

  self->eof_timer = 0;
  close_exited (self);
  return G_SOURCE_REMOVE;
}

/* The process ended and its output too: the connection is over. Either may
 * come first; a server whose children keep the output open, or that closes
 * its output and keeps running, is given a moment. */
static void
on_wait (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(NatterMcpClient) self = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (object);

  if (!g_subprocess_wait_finish (subprocess, result, NULL))
    return;
  if (subprocess != self->subprocess || self->state == CLIENT_CLOSED)
    return;
  self->exited = TRUE;
  if (self->stdout_eof)
    close_exited (self);
  else if (self->eof_timer == 0)
    self->eof_timer = g_timeout_add (EOF_GRACE_MS, on_eof_grace, self);
}

static gboolean
split_lines (NatterMcpClient *self)
{
  guint8 *start = self->line->data;
  gsize left = self->line->len;
  gsize consumed = 0;
  guint8 *nl;

  while (self->state != CLIENT_CLOSED && (nl = memchr (start, '\n', left)) != NULL)
    {
      gsize len = nl - start;

      if (len > 0 && start[len - 1] == '\r')
        len--;
      if (len > 0)
        _natter_mcp_client_receive (self, (const char *) start, len);
      consumed += (nl - start) + 1;
      left -= (nl - start) + 1;
      start = nl + 1;
    }
  if (self->state == CLIENT_CLOSED)
    return FALSE;
  g_byte_array_remove_range (self->line, 0, consumed);
  if (self->line->len > NATTER_MCP_MAX_MESSAGE_SIZE)
    {
      _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                   _("Server “%s” wrote a line longer than %d MiB."),
                                                   self->config->name,
                                                   NATTER_MCP_MAX_MESSAGE_SIZE / (1024 * 1024)));
      return FALSE;
    }
  return TRUE;
}

static void
on_stdout (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NatterMcpClient) self = user_data;
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (stream, result, &error);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->state != CLIENT_CLOSED)
        _natter_mcp_client_close (self, closed_error (self, error->message));
      return;
    }
  if (self->state == CLIENT_CLOSED)
    return;
  if (g_bytes_get_size (bytes) == 0)
    {
      self->stdout_eof = TRUE;
      if (self->exited)
        close_exited (self);
      else if (self->eof_timer == 0)
        self->eof_timer = g_timeout_add (EOF_GRACE_MS, on_eof_grace, self);
      return;
    }
  g_byte_array_append (self->line, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (split_lines (self))
    read_stdout (self, stream);
}

static void
read_stdout (NatterMcpClient *self,
             GInputStream    *stream)
{
  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT, self->io_cancellable,
                                   on_stdout, g_object_ref (self));
}

static void
on_stderr (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NatterMcpClient) self = user_data;
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (stream, result, NULL);
  g_autofree char *valid = NULL;
  gsize len;

  if (bytes == NULL || (len = g_bytes_get_size (bytes)) == 0)
    return;
  valid = g_utf8_make_valid (g_bytes_get_data (bytes, NULL), len);
  g_string_append (self->stderr_tail, valid);
  if (self->stderr_tail->len > STDERR_TAIL)
    {
      const char *cut = self->stderr_tail->str + self->stderr_tail->len - STDERR_TAIL;

      cut = g_utf8_find_next_char (cut, NULL);
      g_string_erase (self->stderr_tail, 0, cut - self->stderr_tail->str);
    }
  /* Keep reading after the connection ended: the last words come late. */
  g_input_stream_read_bytes_async (stream, 4096, G_PRIORITY_DEFAULT, NULL, on_stderr, g_object_ref (self));
}

/* In the child, before exec: its own process group, so that stopping the
 * server also stops what it started (npx, uvx and the like run the real
 * server as a child). */
static void
child_setup (gpointer data)
{
  setpgid (0, 0);
}

static gint64
pid_of (GSubprocess *subprocess)
{
  const char *id = g_subprocess_get_identifier (subprocess);

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

gboolean
_natter_mcp_stdio_open (NatterMcpClient  *self,
                        GError          **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  GInputStream *out;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; i < self->config->env->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (self->config->env, i);

      if (pair->value != NULL)
        g_subprocess_launcher_setenv (launcher, pair->name, pair->value, TRUE);
      else
        g_debug ("%s: secret %s has no value", self->config->name, pair->name);
    }
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_ptr_array_add (argv, self->config->command);
  for (guint i = 0; self->config->args[i] != NULL; i++)
    g_ptr_array_add (argv, self->config->args[i]);
  g_ptr_array_add (argv, NULL);

  g_clear_object (&self->subprocess);
  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &local_error);
  if (self->subprocess == NULL)
    {
      g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_START,
                   _("Could not start server “%s” (%s): %s"),
                   self->config->name, self->config->command, local_error->message);
      return FALSE;
    }

  g_clear_object (&self->stdin_pipe);
  self->stdin_pipe = g_object_ref (g_subprocess_get_stdin_pipe (self->subprocess));
  self->pgid = pid_of (self->subprocess);
  g_clear_pointer (&self->line, g_byte_array_unref);
  self->line = g_byte_array_new ();
  self->stdout_eof = FALSE;
  self->exited = FALSE;
  self->writing = FALSE;
  g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);

  out = g_subprocess_get_stdout_pipe (self->subprocess);
  read_stdout (self, out);
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (self->subprocess), 4096,
                                   G_PRIORITY_DEFAULT, NULL, on_stderr, g_object_ref (self));
  g_subprocess_wait_async (self->subprocess, NULL, on_wait, g_object_ref (self));
  return TRUE;
}

static void write_next (NatterMcpClient *self);

static void
on_written (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NatterMcpClient) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->state != CLIENT_CLOSED)
        _natter_mcp_client_close (self, closed_error (self, _("stopped reading its input")));
      return;
    }
  write_next (self);
}

static void
write_next (NatterMcpClient *self)
{
  GBytes *bytes;

  if (self->writing || self->state == CLIENT_CLOSED || self->stdin_pipe == NULL)
    return;
  bytes = g_queue_pop_head (&self->write_queue);
  if (bytes == NULL)
    return;
  self->writing = TRUE;
  g_output_stream_write_all_async (self->stdin_pipe, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, self->io_cancellable, on_written, g_object_ref (self));
  /* write_all_async does not copy: keep the bytes until it is done. */
  g_object_set_data_full (G_OBJECT (self->stdin_pipe), "natter-mcp-writing", bytes,
                          (GDestroyNotify) g_bytes_unref);
}

void
_natter_mcp_stdio_send (NatterMcpClient *self,
                        const char      *text)
{
  gsize len = strlen (text);
  char *line = g_malloc (len + 1);

  memcpy (line, text, len);
  line[len] = '\n';
  g_queue_push_tail (&self->write_queue, g_bytes_new_take (line, len + 1));
  write_next (self);
}

/* What the server started may outlive it: its group is killed a moment
 * after it was asked to stop, whether the server itself went or not. */
static gboolean
on_kill_grace (gpointer data)
{
  gint64 pgid = *(gint64 *) data;

  kill (-(pid_t) pgid, SIGKILL);
  return G_SOURCE_REMOVE;
}

void
_natter_mcp_stdio_close (NatterMcpClient *self)
{
  g_clear_handle_id (&self->eof_timer, g_source_remove);
  g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);
  if (self->stdin_pipe != NULL)
    {
      g_output_stream_close (self->stdin_pipe, NULL, NULL);
      g_clear_object (&self->stdin_pipe);
    }
  /* Closing its input asks it to exit; SIGTERM, then SIGKILL, make sure,
   * for whatever it started too. */
  if (self->pgid > 1)
    {
      gint64 *pgid = g_new (gint64, 1);

      *pgid = self->pgid;
      kill (-(pid_t) self->pgid, SIGTERM);
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, KILL_GRACE_S, on_kill_grace, pgid, g_free);
      self->pgid = 0;
    }
  else if (self->subprocess != NULL && g_subprocess_get_identifier (self->subprocess) != NULL)
    g_subprocess_force_exit (self->subprocess);
}
