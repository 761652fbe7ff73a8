/* natter-avatar-crop-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NATTER_TYPE_AVATAR_CROP_DIALOG (natter_avatar_crop_dialog_get_type ())

G_DECLARE_FINAL_TYPE (NatterAvatarCropDialog, natter_avatar_crop_dialog, NATTER, AVATAR_CROP_DIALOG, AdwWindow)

/* Shows @image with the 2:3 frame of an avatar, which the person drags,
 * moves with a slider or puts at either edge or the middle. "chosen"
 * (double position, as natter_avatar_crop() takes it) is emitted when they
 * press Use Image; the window then closes. */
NatterAvatarCropDialog *natter_avatar_crop_dialog_new          (GtkWindow *parent,
                                                                GdkPixbuf *image);
GdkPixbuf              *natter_avatar_crop_dialog_get_image    (NatterAvatarCropDialog *self);
double                  natter_avatar_crop_dialog_get_position (NatterAvatarCropDialog *self);

G_END_DECLS

G_BEGIN_DECLS

/* Reads the image at @path (in a thread), lets the person crop it in a
 * NatterAvatarCropDialog over @parent and gives the avatar PNG;
 * G_IO_ERROR_CANCELLED when they close the dialog. */
void    natter_avatar_crop_dialog_choose_async  (GtkWindow           *parent,
                                                 const char          *path,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GBytes *natter_avatar_crop_dialog_choose_finish (GtkWindow           *parent,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
