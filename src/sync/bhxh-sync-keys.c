/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-secret-file.h"
#include "bhxh-bundle.h"
#include "bhxh-sync-log.h"
#include "bhxh-sync-private.h"

/* The keys that sign the USB bundles (docs/security.md): the portal's,
 * whose public half an admin pins at enrolment (inbound bundles), and the
 * counter's own (decision bundles), made on first use, kept in the store
 * (encrypted by default) and registered with the portal at each sync until
 * it took it — as the audit key is. The workstation token signs nothing. */

#define META_DESK_KEY            "bundle.signing_key"     /* secret key, base64 */
#define META_DESK_KEY_REGISTERED "portal.bundle_key_id"

gboolean
bhxh_sync_pin_portal_key (BhxhStore   *store,
                          const char  *key,
                          GError     **error)
{
  g_autoptr(GBytes) raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (store), FALSE);

  raw = bhxh_bundle_key_from_text (key, BHXH_BUNDLE_PUBLIC_KEY_BYTES, error);
  if (raw == NULL)
    return FALSE;
  text = bhxh_bundle_key_to_text (raw);
  id = bhxh_bundle_key_id (raw);
  return bhxh_store_set_portal_key (store, text, id, error);
}

GBytes *
_bhxh_sync_dup_portal_key (BhxhStore  *store,
                           GError    **error)
{
  g_autofree char *text = bhxh_store_dup_portal_key (store);

  if (text == NULL)
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_NOT_ENROLLED,
                           _("This counter trusts no portal key yet: an administrator pins it "
                             "with “bhxh-deskctl portal set DB --portal-key FILE”."));
      return NULL;
    }
  return bhxh_bundle_key_from_text (text, BHXH_BUNDLE_PUBLIC_KEY_BYTES, error);
}

static GBytes *
secret_from_text (const char *text)
{
  gsize len = 0;
  guchar *raw = text != NULL ? g_base64_decode (text, &len) : NULL;
  GBytes *secret = NULL;

  if (raw != NULL && len == BHXH_BUNDLE_SECRET_KEY_BYTES)
    secret = bhxh_secret_bytes_new (raw, len);
  if (raw != NULL)
    memset (raw, 0, len);
  g_free (raw);
  return secret;
}

gboolean
_bhxh_sync_desk_key (BhxhStore  *store,
                     GBytes    **public_key,
                     GBytes    **secret_key,
                     GError    **error)
{
  g_autofree char *text = bhxh_store_dup_meta (store, META_DESK_KEY);
  g_autoptr(GBytes) secret = secret_from_text (text);

  if (text != NULL)
    memset (text, 0, strlen (text));
  if (secret == NULL)
    {
      g_autoptr(GBytes) made_public = NULL;
      g_autoptr(GBytes) made = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *stored = NULL;
      gboolean ok;

      if (!bhxh_bundle_keypair_new (&made_public, &made))
        {
          g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO,
                               _("Cannot make this counter's signing key."));
          return FALSE;
        }
      encoded = g_base64_encode (g_bytes_get_data (made, NULL), g_bytes_get_size (made));
      ok = bhxh_store_set_meta (store, META_DESK_KEY, encoded, error);
      memset (encoded, 0, strlen (encoded));
      if (!ok)
        return FALSE;
      /* Read back: of two processes making it at once, one key stays. */
      stored = bhxh_store_dup_meta (store, META_DESK_KEY);
      secret = secret_from_text (stored);
      if (stored != NULL)
        memset (stored, 0, strlen (stored));
      if (secret == NULL)
        {
          g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO,
                               _("Cannot make this counter's signing key."));
          return FALSE;
        }
    }
  if (public_key != NULL)
    *public_key = bhxh_bundle_public_of_secret (secret);
  if (secret_key != NULL)
    *secret_key = g_steal_pointer (&secret);
  return TRUE;
}

char *
bhxh_sync_dup_desk_key (BhxhStore  *store,
                        char      **key_id,
                        GError    **error)
{
  g_autoptr(GBytes) public_key = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (store), NULL);

  if (!_bhxh_sync_desk_key (store, &public_key, NULL, error))
    return NULL;
  if (key_id != NULL)
    *key_id = bhxh_bundle_key_id (public_key);
  return bhxh_bundle_key_to_text (public_key);
}

/* Once per key: PUT /v1/workstation/bundle-key. A portal without the
 * endpoint cannot check the bundles this counter exports; nothing else
 * changes, so a refusal is logged, not an error of the sync. */
void
_bhxh_sync_register_desk_key (BhxhStore    *store,
                              BhxhPortal   *portal,
                              GCancellable *cancellable)
{
  const char *db_path = bhxh_store_get_path (store);
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *registered = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  guint status = 0;

  if (!_bhxh_sync_desk_key (store, &public_key, NULL, &error))
    {
      bhxh_sync_log_append (db_path, BHXH_SYNC_LOG_WARNING, "bundle-key", "%s", error->message);
      return;
    }
  id = bhxh_bundle_key_id (public_key);
  registered = bhxh_store_dup_meta (store, META_DESK_KEY_REGISTERED);
  if (g_strcmp0 (registered, id) == 0)
    return;
  text = bhxh_bundle_key_to_text (public_key);
  object = json_object_new ();
  json_object_set_string_member (object, "key_id", id);
  json_object_set_string_member (object, "algorithm", "ed25519");
  json_object_set_string_member (object, "public_key", text);
  body = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  answer = bhxh_portal_call (portal, "PUT", "/v1/workstation/bundle-key", body, &status,
                             cancellable, &error);
  if (answer == NULL)
    bhxh_sync_log_append (db_path, BHXH_SYNC_LOG_WARNING, "bundle-key", "%s", error->message);
  else if (status == 200 || status == 204)
    bhxh_store_set_meta (store, META_DESK_KEY_REGISTERED, id, NULL);
  else
    bhxh_sync_log_append (db_path, BHXH_SYNC_LOG_WARNING, "bundle-key",
                          _("The portal did not take this counter's signing key (HTTP %u)."),
                          status);
}
