/* natter-profile-editor-cloud.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-profile.h"

G_BEGIN_DECLS

#define NATTER_TYPE_PROFILE_EDITOR_CLOUD (natter_profile_editor_cloud_get_type ())
G_DECLARE_FINAL_TYPE (NatterProfileEditorCloud, natter_profile_editor_cloud,
                      NATTER, PROFILE_EDITOR_CLOUD, AdwPreferencesGroup)

/* The connection form's rows for the cloud providers: a service account
 * key file and region for Vertex AI; API version and the /openai/v1/
 * switch for Azure OpenAI; region, access key ID and session token for
 * Bedrock. Hidden for every other provider. The secrets it takes (the
 * service account JSON, the session token) are handed to the editor at
 * Save for the keyring, never put in the profile.
 *
 * Signal "changed": a field changed (the editor re-validates). */

/* Shows the rows of @provider_id (nullable), hides the group otherwise. */
void      natter_profile_editor_cloud_set_provider   (NatterProfileEditorCloud  *self,
                                                      const char                *provider_id);
void      natter_profile_editor_cloud_load           (NatterProfileEditorCloud  *self,
                                                      NatterProfile             *profile);
/* Writes the settings of the shown provider into @profile. */
void      natter_profile_editor_cloud_fill           (NatterProfileEditorCloud  *self,
                                                      NatterProfile             *profile);
/* Inline validation; TRUE when the rows can be saved. The message is
 * shown under the rows. */
gboolean  natter_profile_editor_cloud_validate       (NatterProfileEditorCloud  *self);
/* The secrets to store at Save (transfer full, NULL when none was given):
 * the service account JSON loaded or pasted for Vertex, the AWS session
 * token. @typed_key is what the API key field holds: for Vertex it may be
 * a pasted JSON, validated here. FALSE with @error for a key file that is
 * not a service account key. */
gboolean  natter_profile_editor_cloud_take_secrets   (NatterProfileEditorCloud  *self,
                                                      NatterProfile             *profile,
                                                      const char                *typed_key,
                                                      char                     **key,
                                                      char                     **session_token,
                                                      GError                   **error);
/* After the secrets were stored: the form forgets them. */
void      natter_profile_editor_cloud_forget_secrets (NatterProfileEditorCloud  *self);
/* A whole Azure endpoint URL typed or pasted as the API URL: fills the
 * API version and returns the endpoint and the deployment (transfer full)
 * for the editor's fields. FALSE when @url is no such URL. */
gboolean  natter_profile_editor_cloud_azure_url      (NatterProfileEditorCloud  *self,
                                                      const char                *url,
                                                      char                     **endpoint,
                                                      char                     **deployment);

G_END_DECLS
