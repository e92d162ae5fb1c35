/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-bundle.h"
#include "bhxh-sync-error.h"

G_DEFINE_QUARK (bhxh-sync-error-quark, bhxh_sync_error)

static char *
compute_mac (const char *kind,
             const char *workstation,
             const void *payload,
             gsize       len,
             GBytes     *key)
{
  gsize key_len;
  const guchar *key_data = g_bytes_get_data (key, &key_len);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_len);

  g_hmac_update (hmac, (const guchar *) kind, strlen (kind));
  g_hmac_update (hmac, (const guchar *) "\n", 1);
  g_hmac_update (hmac, (const guchar *) workstation, strlen (workstation));
  g_hmac_update (hmac, (const guchar *) "\n", 1);
  g_hmac_update (hmac, payload, len);
  return g_strdup (g_hmac_get_string (hmac));
}

static gboolean
is_token (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

GBytes *
bhxh_bundle_encode (const char *kind,
                    const char *workstation,
                    GBytes     *payload,
                    GBytes     *key)
{
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);
  g_autofree char *mac = NULL;
  GString *out;

  g_return_val_if_fail (is_token (kind), NULL);
  g_return_val_if_fail (is_token (workstation), NULL);

  mac = compute_mac (kind, workstation, data, len, key);
  out = g_string_sized_new (len + 128);
  g_string_append_printf (out, "%s %s %s hmac-sha256=%s\n", BHXH_BUNDLE_MAGIC, kind,
                          workstation, mac);
  g_string_append_len (out, data, len);
  return g_string_free_to_bytes (out);
}

static gpointer
bad_bundle (GError **error)
{
  g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                       _("This is not a bhxh-desk bundle file, or it is damaged."));
  return NULL;
}

GBytes *
bhxh_bundle_decode (GBytes  *file,
                    GBytes  *key,
                    char   **kind,
                    char   **workstation,
                    GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (file, &len);
  const char *eol = data ? memchr (data, '\n', MIN (len, 1024)) : NULL;
  g_autofree char *header = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *mac = NULL;
  gsize offset;

  if (eol == NULL)
    return bad_bundle (error);
  header = g_strndup (data, eol - data);
  fields = g_strsplit (header, " ", -1);
  if (g_strv_length (fields) != 4 || !g_str_equal (fields[0], BHXH_BUNDLE_MAGIC)
      || !is_token (fields[1]) || !is_token (fields[2])
      || !g_str_has_prefix (fields[3], "hmac-sha256="))
    return bad_bundle (error);

  offset = eol - data + 1;
  mac = compute_mac (fields[1], fields[2], data + offset, len - offset, key);
  /* Constant-time comparison: the MAC is the only secret-dependent value. */
  {
    const char *given = fields[3] + strlen ("hmac-sha256=");
    guint diff = strlen (given) ^ strlen (mac);

    for (gsize i = 0; given[i] && mac[i]; i++)
      diff |= (guchar) given[i] ^ (guchar) mac[i];
    if (diff != 0)
      {
        g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE,
                             _("The bundle's signature does not match: it was altered, or "
                               "made for another workstation."));
        return NULL;
      }
  }
  if (kind)
    *kind = g_strdup (fields[1]);
  if (workstation)
    *workstation = g_strdup (fields[2]);
  return g_bytes_new_from_bytes (file, offset, len - offset);
}
