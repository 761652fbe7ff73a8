/* natter-window-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-session.h"
#include "natter-preset-dropdown.h"
#include "natter-presets-panel.h"
#include "natter-sidebar.h"
#include "natter-window.h"

G_BEGIN_DECLS

/* Shared by natter-window.c, natter-window-actions.c and
 * natter-window-import.c. */
struct _NatterWindow
{
  AdwApplicationWindow  parent_instance;

  NatterApplication    *application;
  NatterProfileStore   *profiles;
  NatterChatStore      *chats;
  NatterClient         *client;
  char                 *current_model;
  gboolean              syncing_profile;

  /* The open chats by id (gint64 * → NatterChatSession): the shown one,
   * and those still generating a reply while another chat is shown. */
  GHashTable           *sessions;
  NatterChatSession    *session;             /* the shown one */
  gint64                pending_delete_id;
  gint64                jump_to_message_id;  /* once the chat is shown */

  GCancellable         *cancellable;
  guint                 key_check_serial;
  guint                 n_import_failures;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_page;
  NatterSidebar        *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *chat_title;
  GtkMenuButton        *chat_menu_button;
  GtkDropDown          *profile_dropdown;
  NatterPresetDropdown *preset_dropdown;
  GtkEntry             *model_entry;
  GtkMenuButton        *model_button;
  GtkStack             *model_stack;
  GtkLabel             *model_status;
  GtkListBox           *model_list;
  GtkSearchEntry       *model_search;
  GtkStack             *main_stack;
  NatterWelcomePage    *welcome_page;
  NatterChatView       *chat_view;
  NatterComposer       *composer;
  NatterCharacterPage  *character_page;
  GtkWidget            *character_button;
  NatterNewChatDialog  *new_chat_dialog;     /* weak */
  AdwFlap              *generation_flap;
  GtkToggleButton      *generation_button;
  NatterPresetsPanel   *presets_panel;       /* the flap's, made when first shown */

  /* natter-window-desktop.c */
  GHashTable           *notified_chats;      /* chat ids with a notification shown */
  gboolean              close_confirmed;
  gboolean              in_background;       /* hidden, the application held */
  GtkWindow            *close_dialog;        /* weak: "Replies Are Still Being Written" */

  /* natter-window-groups.c */
  GtkMenuButton        *speaker_button;
  GtkWidget            *members_button;
  GCancellable         *impersonating;       /* while an impersonation runs */
  GtkWindow            *group_dialog;        /* weak */
};

void     _natter_window_class_actions_init (NatterWindowClass *klass);
void     _natter_window_class_groups_init  (NatterWindowClass *klass);
/* The header's group controls and the chat's characters and persona. */
void     _natter_window_groups_update      (NatterWindow      *self);
void     _natter_window_groups_dispose     (NatterWindow      *self);
/* Export: filters for the formats (the file's extension decides: .jsonl,
 * .txt, .md) and the writing, on a worker thread: a group chat in JSONL
 * gets its definition beside it (NAME.group.json). */
void     _natter_window_add_export_filters (GtkFileChooser    *chooser);
gboolean _natter_window_export_chat_file   (NatterChatStore   *store,
                                            gint64             chat_id,
                                            const char        *path,
                                            GError           **error);
/* Imports a SillyTavern group definition with its chat file when one is
 * found beside it, and opens the chat. */
void     _natter_window_import_group       (NatterWindow      *self,
                                            const char        *path);
void     _natter_window_class_import_init  (NatterWindowClass *klass);
/* natter-window-characters.c: characters, personas and lorebooks. */
void     _natter_window_class_characters_init (NatterWindowClass *klass);
void     _natter_window_import_init        (NatterWindow      *self);
/* The Generation side panel (natter-window-generation.c). */
void     _natter_window_class_generation_init (NatterWindowClass *klass);
void     _natter_window_generation_init    (NatterWindow      *self);
/* The profile dropdown and the model entry and popover. */
void     _natter_window_models_init        (NatterWindow      *self);
/* Shows @toast (transfer full) in place of the toast shown now. */
void     _natter_window_show_toast         (NatterWindow      *self,
                                            AdwToast          *toast);
void     _natter_window_toast              (NatterWindow      *self,
                                            const char        *title);
void     _natter_window_update_title       (NatterWindow      *self);
void     _natter_window_sync_active_profile (NatterWindow     *self);
/* Carries out a chat deletion whose undo toast is still shown. */
void     _natter_window_finish_pending_delete (NatterWindow   *self);
/* A new chat with the character, its greeting first; 0 with @error. */
gint64   _natter_window_new_character_chat (NatterWindow      *self,
                                            gint64             character_id,
                                            GError           **error);
void     _natter_window_start_plain_chat   (NatterWindow      *self);
/* Continue of the shown chat's last reply (win.continue, /continue). */
gboolean _natter_window_continue_reply     (NatterWindow      *self,
                                            GError           **error);

/* natter-window-desktop.c */
void     _natter_window_desktop_init       (NatterWindow      *self);
void     _natter_window_desktop_watch_session (NatterWindow   *self,
                                            NatterChatSession *session);
/* Withdraws the notification of the chat shown now, if the window is seen. */
void     _natter_window_desktop_chat_shown (NatterWindow      *self);
/* TRUE when closing waits on the person (replies are being written). */
gboolean _natter_window_desktop_close_request (NatterWindow   *self);
/* Shows chat @chat_id scrolled to @message_id (0: its end); a toast when
 * either is gone. */
void     natter_window_open_message        (NatterWindow      *self,
                                            gint64             chat_id,
                                            gint64             message_id);
/* Imports cards (PNG, JSON, CHARX) and chats (.jsonl) and opens them. */
void     natter_window_open_files          (NatterWindow      *self,
                                            GFile            **files,
                                            int                n_files);
/* Shows the sidebar's search with @text. */
void     natter_window_search              (NatterWindow      *self,
                                            const char        *text);
/* Whether the window is hidden while replies finish. */
gboolean natter_window_is_in_background    (NatterWindow      *self);

/* For tests. */
/* Sends @text as the person's message (no slash command parsing). */
void               natter_window_send_message         (NatterWindow       *self,
                                                       const char         *text);
gint64             natter_window_get_chat_id          (NatterWindow       *self);
NatterChatSession *natter_window_get_session          (NatterWindow       *self);
/* The open session of chat @chat_id, or NULL. */
NatterChatSession *natter_window_lookup_session       (NatterWindow       *self,
                                                       gint64              chat_id);
gboolean           natter_window_rename_chat          (NatterWindow       *self,
                                                       const char         *title,
                                                       GError            **error);
/* Scrolls to the message with store id @message_id; FALSE when not shown. */
gboolean           natter_window_jump_to_message      (NatterWindow       *self,
                                                       gint64              message_id);
/* Whether the shown chat generates a reply. */
gboolean           natter_window_is_streaming         (NatterWindow       *self);
/* Stores @card's character and opens a new chat with it, greeting
 * first. Returns the chat id, or 0 with @error. */
gint64             natter_window_add_character        (NatterWindow       *self,
                                                       NatterCard         *card,
                                                       GError            **error);
/* Imports that failed so far (each also gave a toast). */
guint              natter_window_get_n_import_failures (NatterWindow      *self);
/* "welcome", "character" or "chat". */
const char        *natter_window_get_visible_page     (NatterWindow       *self);
NatterChatView    *natter_window_get_chat_view        (NatterWindow       *self);
NatterComposer    *natter_window_get_composer         (NatterWindow       *self);
NatterSidebar     *natter_window_get_sidebar          (NatterWindow       *self);
GtkDropDown       *natter_window_get_profile_dropdown (NatterWindow       *self);
NatterPresetDropdown *natter_window_get_preset_dropdown (NatterWindow      *self);
NatterWelcomePage *natter_window_get_welcome_page     (NatterWindow       *self);
GtkEntry          *natter_window_get_model_entry      (NatterWindow       *self);
GtkMenuButton     *natter_window_get_chat_menu_button (NatterWindow       *self);
AdwWindowTitle    *natter_window_get_chat_title       (NatterWindow       *self);
NatterCharacterPage *natter_window_get_character_page (NatterWindow       *self);
AdwToastOverlay   *natter_window_get_toast_overlay    (NatterWindow       *self);
/* The group dialog while it is open, else NULL. */
GtkWindow         *natter_window_get_group_dialog     (NatterWindow       *self);
/* The Ctrl+N chooser while it is open, else NULL. */
NatterNewChatDialog *natter_window_get_new_chat_dialog (NatterWindow      *self);
/* The Generation side panel once it was first shown, else NULL; its
 * header bar button; the flap holding it. */
NatterPresetsPanel *natter_window_get_presets_panel   (NatterWindow       *self);
GtkToggleButton   *natter_window_get_generation_button (NatterWindow      *self);
AdwFlap           *natter_window_get_generation_flap  (NatterWindow       *self);

G_END_DECLS
