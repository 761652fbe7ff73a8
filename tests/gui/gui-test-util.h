/* gui-test-util.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-application.h"
#include "natter-character-page-private.h"
#include "natter-chat-session.h"
#include "natter-composer-private.h"
#include "natter-fake-provider.h"
#include "natter-message-model-private.h"
#include "natter-message-row-private.h"
#include "natter-new-chat-dialog-private.h"
#include "natter-sidebar-private.h"
#include "natter-welcome-page-private.h"
#include "natter-window-private.h"

G_BEGIN_DECLS

/* The window tests share one application (see gui_test_init()). */
extern NatterApplication *gui_test_app;

#define GUI_CHUNK(text) "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" text "\"},\"finish_reason\":null}]}\n\n"

void                gui_test_init             (int          *argc,
                                               char       ***argv);
int                 gui_test_run              (void);
/* Iterates the main loop until @cond (data) holds or @timeout_ms passed;
 * FALSE on timeout. @cond NULL: just iterate for @timeout_ms. */
gboolean            gui_test_wait_until       (gboolean    (*cond) (gpointer),
                                               gpointer      data,
                                               guint         timeout_ms);
void                gui_test_spin             (guint         ms);
NatterWindow       *gui_test_open_window      (void);
/* Destroys the window and asserts it is finalized. */
void                gui_test_close_window     (NatterWindow *window);
void                gui_test_remove_all_profiles (void);
NatterProfile      *gui_test_add_profile      (const char   *name,
                                               const char   *provider,
                                               const char   *model);
/* A fake OpenAI-compatible server and an active profile using it. */
NatterFakeProvider *gui_test_fake_with_profile (void);
/* One chunk, then [DONE]. */
NatterFakeResponse *gui_test_simple_reply     (const char   *chunk);
NatterMessageItem  *gui_test_last_item        (NatterWindow *window);
guint               gui_test_n_messages       (NatterWindow *window);
NatterMessageRow   *gui_test_find_row         (NatterWindow *window,
                                               NatterMessageItem *item);
/* The first GtkActionable under @root with @action (and @target, when not
 * NULL; floating refs are sunk), or NULL. */
GtkWidget          *gui_test_find_actionable  (GtkWidget    *root,
                                               const char   *action,
                                               GVariant     *target);
/* Clicks it (as a person would); asserts it is there and sensitive. */
void                gui_test_click            (GtkWidget    *root,
                                               const char   *action,
                                               GVariant     *target);
/* Waits (generously) until @item has a row in the chat view; the row, or
 * NULL. */
NatterMessageRow   *gui_test_wait_for_row     (NatterWindow *window,
                                               NatterMessageItem *item);
/* Presses @action's button ("message.regenerate", …) on @item's row. */
void                gui_test_press_row_action (NatterWindow *window,
                                               NatterMessageItem *item,
                                               const char   *action);
/* Emits what a key press does on @widget's key controllers; TRUE when
 * one handled it. */
gboolean            gui_test_press_key        (GtkWidget    *widget,
                                               guint         keyval,
                                               GdkModifierType state);
/* Presses @keyval (Control and Shift from @state) through the X server,
 * the pointer over @widget's window (the keyboard goes there). */
void                gui_test_press_x_key      (GtkWidget    *widget,
                                               guint         keyval,
                                               GdkModifierType state);
/* A click of mouse @button (1 left, 3 right) in the middle of @widget,
 * through the X server. */
void                gui_test_x_click          (GtkWidget    *widget,
                                               guint         button);
/* Types @text (ASCII) on the keyboard into @widget's window, through the
 * X server. */
void                gui_test_x_type           (GtkWidget    *widget,
                                               const char   *text);
/* Types @text in the composer and presses Enter. */
void                gui_test_type_and_send    (NatterWindow *window,
                                               const char   *text);
/* Clicks the button of the toast shown now ("Undo"). */
void                gui_test_click_toast_button (NatterWindow *window,
                                               const char   *label);
/* Clicks @dialog's response button labelled @label ("_Delete"), as a
 * person does, and asserts the dialog closes. */
void                gui_test_answer_dialog    (AdwMessageDialog *dialog,
                                               const char   *label);
/* Opens chat @chat_id by clicking its row in the sidebar. */
void                gui_test_click_chat       (NatterWindow *window,
                                               gint64        chat_id);
/* Clicks the item labelled @label ("_Delete") of the open @popover. */
void                gui_test_activate_menu_item (GtkPopover *popover,
                                               const char   *label);
/* Opens @menu_button's menu and clicks that item. */
void                gui_test_open_menu_item   (GtkWidget    *menu_button,
                                               const char   *label);
void                gui_test_save_screenshot  (GtkWidget    *widget,
                                               const char   *name);

G_END_DECLS
