/* natter-attachment-tray.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-conversation-attachments.h"

G_BEGIN_DECLS

#define NATTER_TYPE_ATTACHMENT_TRAY (natter_attachment_tray_get_type ())
G_DECLARE_FINAL_TYPE (NatterAttachmentTray, natter_attachment_tray, NATTER, ATTACHMENT_TRAY, GtkWidget)

/* Whether the model the next message goes to takes images. */
typedef NatterVisionSupport (*NatterVisionFunc) (gpointer user_data);

/* The files waiting to go with the next message, as chips (a thumbnail
 * or a file icon, the name, a remove button), and a note when one could
 * not be attached. Files are read off the main thread; a file that
 * cannot be attached leaves a note and nothing else. */
void        natter_attachment_tray_add_file      (NatterAttachmentTray *self,
                                                  GFile                *file);
void        natter_attachment_tray_add_bytes     (NatterAttachmentTray *self,
                                                  GBytes               *bytes,
                                                  const char           *filename);
void        natter_attachment_tray_add_texture   (NatterAttachmentTray *self,
                                                  GdkTexture           *texture);
/* Opens the file chooser (several files at once). */
void        natter_attachment_tray_choose_files  (NatterAttachmentTray *self);
/* Drag and drop of files and pictures onto @target, and pasting them
 * into @view (Ctrl+V). */
void        natter_attachment_tray_accept_from   (NatterAttachmentTray *self,
                                                  GtkWidget            *target,
                                                  GtkTextView          *view);
/* Shows @attachments (transfer full, nullable) again, e.g. those of a
 * send that was refused. */
void        natter_attachment_tray_put_back      (NatterAttachmentTray *self,
                                                  GPtrArray            *attachments);
/* The attachments (element-type NatterAttachment), the tray emptied. */
GPtrArray  *natter_attachment_tray_take          (NatterAttachmentTray *self);
guint       natter_attachment_tray_get_n_items   (NatterAttachmentTray *self);
/* Files still being read. */
guint       natter_attachment_tray_get_n_loading (NatterAttachmentTray *self);
/* The note shown now, or NULL. */
const char *natter_attachment_tray_get_note      (NatterAttachmentTray *self);
void        natter_attachment_tray_set_vision_func (NatterAttachmentTray *self,
                                                    NatterVisionFunc      func,
                                                    gpointer              user_data);

G_END_DECLS
