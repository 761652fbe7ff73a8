/* natter-profile-editor-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-generation-rows.h"
#include "natter-profile-editor.h"
#include "natter-provider-chooser.h"
#include "natter-provider-features.h"
#include "natter-profile-editor-cloud.h"
#include "natter-secrets.h"

G_BEGIN_DECLS

/* Shared by the files of the connection form: natter-profile-editor.c (the
 * form, saving, changes made elsewhere) and natter-profile-editor-test.c
 * (Test and Fetch models). */
struct _NatterProfileEditor
{
  AdwBin              parent_instance;

  NatterClient       *client;
  NatterProfileStore *store;
  NatterProfile      *profile;        /* the stored one, NULL until saved */
  NatterProfile      *original;       /* its values when the form took them */
  GCancellable       *cancellable;    /* key state, saving */
  GCancellable       *test_cancellable;
  gboolean            saving;
  gboolean            writing;        /* inside our own store call */
  gboolean            tried_save;     /* validate live once Save was pressed */
  gboolean            disposed;
  /* Secrets taken from the form at Save, until stored (wiped then). */
  char               *pending_key;
  char               *pending_proxy_password;
  char               *pending_session_token;  /* Bedrock */
  NatterSecretKind    pending_kind;   /* the one being stored */
  NatterKeySource     key_source;     /* of the saved key, as last shown */
  gboolean            key_source_known;

  AdwEntryRow        *name_row;
  GtkLabel           *name_error;
  NatterProviderChooser *provider_chooser;
  AdwEntryRow        *model_row;
  AdwComboRow        *instruct_row;
  AdwActionRow       *key_state_row;
  GtkButton          *set_key_button;
  AdwPasswordEntryRow *key_row;
  GtkLabel           *key_error;
  GtkEntry           *url_entry;
  GtkEntry           *proxy_entry;
  AdwPasswordEntryRow *proxy_password_row;
  GtkSpinButton      *timeout_spin;
  GtkLabel           *url_error;
  GtkLabel           *url_warning;
  GtkEntry           *input_price_entry;
  GtkEntry           *output_price_entry;
  GtkLabel           *price_error;
  GtkSwitch          *default_switch;
  AdwActionRow       *test_row;
  GtkStack           *test_icon_stack;
  GtkSpinner         *test_spinner;
  GtkLabel           *save_error;
  AdwWindowTitle     *title_widget;
  GtkButton          *save_button;
  GtkButton          *cancel_button;
  GtkButton          *fetch_models_button;
  GtkButton          *test_button;
  GtkWidget          *conflict_box;
  GtkLabel           *conflict_label;
  GtkButton          *reload_button;
  GtkButton          *keep_mine_button;
  NatterProviderFeatures *provider_features;
  NatterProfilePresetGroup *preset_group;
  char               *pending_headers;   /* secret header values, until stored */
  /* Vertex AI, Azure OpenAI and Bedrock rows (their own file). */
  NatterProfileEditorCloud *cloud;
};

NatterProvider *_natter_profile_editor_selected_provider     (NatterProfileEditor *self);
char           *_natter_profile_editor_entry_text            (GtkEditable         *editable);
void            _natter_profile_editor_show_error            (GtkLabel            *label,
                                                              const char          *message);
gboolean        _natter_profile_editor_validate_form         (NatterProfileEditor *self,
                                                              gboolean             check_name);
gboolean        _natter_profile_editor_form_has_typed_key    (NatterProfileEditor *self);
/* A detached profile with the form's values and the key typed (unsaved). */
NatterProfile  *_natter_profile_editor_form_profile          (NatterProfileEditor *self);

void            _natter_profile_editor_test_activated        (GtkWidget           *widget,
                                                              const char          *action_name,
                                                              GVariant            *parameter);
void            _natter_profile_editor_fetch_models_activated (GtkWidget          *widget,
                                                               const char         *action_name,
                                                               GVariant           *parameter);

G_END_DECLS
