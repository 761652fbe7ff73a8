/* natter-window-desktop.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window and the rest of the desktop: notifications when a reply ends
 * while the window is not focused, replies that go on in the background
 * after the window is closed, files opened from the file manager, and
 * results activated in the Shell's search. */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-sidebar-private.h"
#include "natter-window-private.h"

#define PREVIEW_CHARS 200

static char *
notification_id (gint64 chat_id)
{
  return g_strdup_printf ("reply-%" G_GINT64_FORMAT, chat_id);
}

/* @text on one notification's worth of characters. */
static char *
preview (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= PREVIEW_CHARS)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, PREVIEW_CHARS);
  return g_strconcat (start, "…", NULL);
}

static gboolean
is_seen (NatterWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self)) && gtk_window_is_active (GTK_WINDOW (self));
}

/* ---- notifications ---------------------------------------------------- */

static void
withdraw (NatterWindow *self,
          gint64        chat_id)
{
  g_autofree char *id = notification_id (chat_id);

  if (self->notified_chats != NULL && g_hash_table_remove (self->notified_chats, &chat_id))
    g_application_withdraw_notification (G_APPLICATION (self->application), id);
}

void
_natter_window_desktop_chat_shown (NatterWindow *self)
{
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id != 0 && is_seen (self))
    withdraw (self, chat_id);
}

static void
on_active_changed (NatterWindow *self)
{
  _natter_window_desktop_chat_shown (self);
}

static void
on_reply_ended (NatterWindow      *self,
                gint64             chat_id,
                gint64             message_id,
                const char        *error_message,
                NatterChatSession *session)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (self->chats == NULL || self->notified_chats == NULL || chat_id == 0 || is_seen (self))
    return;
  if ((chat = natter_chat_store_get_chat (self->chats, chat_id, NULL)) == NULL)
    return;

  if (error_message != NULL)
    {
      /* Translators: a notification's title; %s is the chat's title */
      title = g_strdup_printf (_("No Reply in “%s”"), natter_chat_get_title (chat));
      body = preview (error_message);
    }
  else
    {
      g_autoptr(NatterChatMessage) message = natter_chat_store_get_message (self->chats, message_id, NULL);
      const char *content = message != NULL ? natter_chat_message_get_content (message) : "";

      title = g_strdup (natter_chat_get_title (chat));
      body = *content != '\0' ? preview (content) : g_strdup (_("The reply is ready"));
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target_value (notification, "app.open-chat",
                                                      g_variant_new_int64 (chat_id));
  id = notification_id (chat_id);
  g_hash_table_add (self->notified_chats, g_memdup2 (&chat_id, sizeof chat_id));
  g_application_send_notification (G_APPLICATION (self->application), id, notification);
}

/* ---- replies in the background ------------------------------------------ */

static gboolean
any_generating (NatterWindow *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->session != NULL && natter_chat_session_is_generating (self->session))
    return TRUE;
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (natter_chat_session_is_generating (value))
      return TRUE;
  return FALSE;
}

static void
leave_background (NatterWindow *self)
{
  if (!self->in_background)
    return;
  self->in_background = FALSE;
  g_application_release (G_APPLICATION (self->application));
}

/* The last reply written in the background: the window closes for good. */
static gboolean
finish_background (gpointer data)
{
  NatterWindow *self = data;

  if (self->in_background && !any_generating (self))
    {
      self->close_confirmed = TRUE;
      gtk_window_destroy (GTK_WINDOW (self));
      leave_background (self);
    }
  return G_SOURCE_REMOVE;
}

static void
on_session_streaming (NatterWindow      *self,
                      GParamSpec        *pspec,
                      NatterChatSession *session)
{
  if (self->in_background && !natter_chat_session_is_generating (session))
    g_idle_add_full (G_PRIORITY_DEFAULT, finish_background, g_object_ref (self), g_object_unref);
}

static void
on_visible_changed (NatterWindow *self)
{
  /* Shown again (Natter launched while it worked in the background). */
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    leave_background (self);
}

/* Under Flatpak, or when portals are asked for outside it (GTK_USE_PORTAL=1,
 * as GTK and GLib read it). */
static gboolean
uses_portals (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0;
}

static void
on_background_requested (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    g_debug ("The background portal said no: %s", error->message);
}

/* Under Flatpak the portal is asked to let Natter run without a window
 * (the answer comes on a Request object; the replies go on either way,
 * as long as the session lets the process live). */
static void
request_background (NatterWindow *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self->application));
  GVariantBuilder options;

  if (bus == NULL || !uses_portals ())
    return;
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Replies are being written in the background")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_background_requested, NULL);
}

static gboolean
close_now (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* Once the dialog, transient for the window, has gone. */
static void
close_confirmed (NatterWindow *self)
{
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, close_now, g_object_ref (self), g_object_unref);
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   NatterWindow     *self)
{
  /* The dialog goes away after this; a later close asks again. */
  g_clear_weak_pointer (&self->close_dialog);
  if (g_strcmp0 (response, "stop") == 0)
    close_confirmed (self);
  else if (g_strcmp0 (response, "background") == 0)
    {
      if (!any_generating (self))
        {
          close_confirmed (self);
          return;
        }
      /* The application is held so it outlives the hidden window. */
      self->in_background = TRUE;
      g_application_hold (G_APPLICATION (self->application));
      request_background (self);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
    }
}

gboolean
_natter_window_desktop_close_request (NatterWindow *self)
{
  AdwMessageDialog *dialog;

  if (self->close_confirmed || !any_generating (self))
    return FALSE;
  if (self->close_dialog != NULL)
    {
      gtk_window_present (self->close_dialog);
      return TRUE;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Replies Are Still Being Written"),
                                                       _("Stop them now, or let them finish in the background? "
                                                         "What arrives is saved either way.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop Replies"),
                                    "background", _("_Keep in Background"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "background", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "background");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response), self, 0);
  g_set_weak_pointer (&self->close_dialog, GTK_WINDOW (dialog));
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

gboolean
natter_window_is_in_background (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);
  return self->in_background;
}

/* ---- sessions ----------------------------------------------------------- */

void
_natter_window_desktop_watch_session (NatterWindow      *self,
                                      NatterChatSession *session)
{
  g_signal_connect_object (session, "reply-ended", G_CALLBACK (on_reply_ended), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::streaming-item", G_CALLBACK (on_session_streaming),
                           self, G_CONNECT_SWAPPED);
}

/* ---- opening ------------------------------------------------------------ */

void
natter_window_open_message (NatterWindow *self,
                            gint64        chat_id,
                            gint64        message_id)
{
  g_autoptr(NatterChat) chat = NULL;

  g_return_if_fail (NATTER_IS_WINDOW (self));

  if (self->chats == NULL || (chat = natter_chat_store_get_chat (self->chats, chat_id, NULL)) == NULL)
    {
      _natter_window_toast (self, _("That chat no longer exists"));
      return;
    }

  if (chat_id != natter_window_get_chat_id (self))
    natter_window_open_chat (self, chat_id);
  if (message_id != 0 && !natter_window_jump_to_message (self, message_id))
    _natter_window_toast (self, _("The message is no longer in this chat"));
}

void
natter_window_search (NatterWindow *self,
                      const char   *text)
{
  GtkSearchEntry *entry;

  g_return_if_fail (NATTER_IS_WINDOW (self));

  entry = natter_sidebar_get_search_entry (self->sidebar);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar_page);
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_widget_grab_focus (GTK_WIDGET (entry));
}

static void
on_chat_file_imported (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = natter_chat_store_import_st_chat_finish (NATTER_CHAT_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id <= 0)
    {
      _natter_window_toast (self, error->message);
      self->n_import_failures++;
    }
  else
    natter_window_open_chat (self, id);
}

void
natter_window_open_files (NatterWindow  *self,
                          GFile        **files,
                          int            n_files)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  g_return_if_fail (NATTER_IS_WINDOW (self));

  /* Chats (SillyTavern .jsonl) are imported as chats, the rest as cards. */
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path != NULL && g_str_has_suffix (path, ".jsonl") && self->chats != NULL)
        natter_chat_store_import_st_chat_async (self->chats, path, 0, NULL, self->cancellable,
                                                on_chat_file_imported, g_object_ref (self));
      else
        g_ptr_array_add (cards, files[i]);
    }
  if (cards->len > 0)
    natter_window_import_files (self, (GFile **) cards->pdata, cards->len);
}

void
_natter_window_desktop_init (NatterWindow *self)
{
  self->notified_chats = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

#if DEVELOPMENT_BUILD
  /* The striped header bar of development builds. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
  g_signal_connect (self, "notify::visible", G_CALLBACK (on_visible_changed), NULL);
}
