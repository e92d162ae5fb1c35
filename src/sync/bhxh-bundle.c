/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-json.h"
#include "core/bhxh-secret-file.h"
#include "bhxh-bundle.h"
#include "bhxh-sync-error.h"

G_DEFINE_QUARK (bhxh-sync-error-quark, bhxh_sync_error)

#define HEADER_MAX 1024
#define SIGNATURE_FIELD " ed25519="

static gboolean
sodium_ok (void)
{
  return sodium_init () >= 0;
}

/* ---- keys ---------------------------------------------------------------- */

gboolean
bhxh_bundle_keypair_new (GBytes **public_key,
                         GBytes **secret_key)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  g_return_val_if_fail (public_key != NULL && secret_key != NULL, FALSE);

  if (!sodium_ok () || crypto_sign_keypair (pk, sk) != 0)
    return FALSE;
  *public_key = g_bytes_new (pk, sizeof pk);
  *secret_key = bhxh_secret_bytes_new (sk, sizeof sk);
  sodium_memzero (sk, sizeof sk);
  return TRUE;
}

GBytes *
bhxh_bundle_public_of_secret (GBytes *secret_key)
{
  g_return_val_if_fail (secret_key != NULL, NULL);
  g_return_val_if_fail (g_bytes_get_size (secret_key) == crypto_sign_SECRETKEYBYTES, NULL);

  /* libsodium's secret key is the seed followed by the public key. */
  return g_bytes_new_from_bytes (secret_key, crypto_sign_SEEDBYTES,
                                 crypto_sign_PUBLICKEYBYTES);
}

char *
bhxh_bundle_key_id (GBytes *public_key)
{
  g_autofree char *sha = NULL;

  g_return_val_if_fail (public_key != NULL, NULL);

  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, public_key);
  return g_strndup (sha, 16);
}

char *
bhxh_bundle_key_to_text (GBytes *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_base64_encode (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
}

static gboolean
is_hex (const char *text,
        gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

GBytes *
bhxh_bundle_key_from_text (const char  *text,
                           gsize        length,
                           GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *key = copy;
  g_autofree guchar *raw = NULL;
  gsize key_len, raw_len = 0;

  if (g_str_has_prefix (key, "ed25519:"))
    key += strlen ("ed25519:");
  key_len = strlen (key);
  if (key_len == 2 * length && is_hex (key, key_len))
    {
      raw = g_malloc (length);
      raw_len = sodium_ok ()
                && sodium_hex2bin (raw, length, key, key_len, NULL, &raw_len, NULL) == 0
                ? raw_len : 0;
    }
  else if (key_len > 0)
    {
      raw = g_malloc (length + 3);
      raw_len = sodium_ok () && sodium_base642bin (raw, length + 3, key, key_len, NULL, &raw_len,
                                                   NULL, sodium_base64_VARIANT_ORIGINAL) == 0
                ? raw_len : 0;
    }
  if (raw_len != length)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE,
                   _("This is not an Ed25519 public key (%u bytes in base64 or hex)."),
                   (guint) length);
      return NULL;
    }
  return g_bytes_new (raw, raw_len);
}

/* ---- encoding ------------------------------------------------------------ */

static gboolean
is_token (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static char *
format_expiry (gint64 expires)
{
  g_autoptr(GDateTime) instant = g_date_time_new_from_unix_utc (expires);

  return instant != NULL ? bhxh_clock_format_iso (instant) : NULL;
}

GBytes *
bhxh_bundle_encode (const char *kind,
                    const char *workstation,
                    guint64     seq,
                    gint64      expires,
                    GBytes     *payload,
                    GBytes     *secret_key)
{
  g_autoptr(GBytes) public_key = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *expiry = format_expiry (expires);
  g_autofree char *sha = NULL;
  g_autofree char *signature = NULL;
  guint8 sig[crypto_sign_BYTES];
  GString *out;

  g_return_val_if_fail (is_token (kind), NULL);
  g_return_val_if_fail (seq > 0 && expiry != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL
                        && g_bytes_get_size (secret_key) == crypto_sign_SECRETKEYBYTES, NULL);

  /* A workstation given by a person may not fit in the header. */
  if (!is_token (workstation) || !sodium_ok ())
    return NULL;
  public_key = bhxh_bundle_public_of_secret (secret_key);
  key_id = bhxh_bundle_key_id (public_key);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, payload);
  out = g_string_sized_new (g_bytes_get_size (payload) + 320);
  g_string_append_printf (out, "%s %s %s seq=%" G_GUINT64_FORMAT " expires=%s key=%s sha256=%s",
                          BHXH_BUNDLE_MAGIC, kind, workstation, seq, expiry, key_id, sha);
  crypto_sign_detached (sig, NULL, (const guchar *) out->str, out->len,
                        g_bytes_get_data (secret_key, NULL));
  signature = g_base64_encode (sig, sizeof sig);
  g_string_append_printf (out, "%s%s\n", SIGNATURE_FIELD, signature);
  g_string_append_len (out, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
  return g_string_free_to_bytes (out);
}

/* ---- decoding ------------------------------------------------------------ */

gboolean
bhxh_bundle_size_ok (guint64   size,
                     GError  **error)
{
  if (size <= BHXH_BUNDLE_MAX_BYTES)
    return TRUE;
  g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
               _("The bundle is too big (%u MiB; at most %u MiB)."),
               (guint) MIN (size >> 20, G_MAXUINT), (guint) (BHXH_BUNDLE_MAX_BYTES >> 20));
  return FALSE;
}

static gpointer
bad_bundle (GError **error)
{
  g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                       _("This is not a bhxh-desk bundle file, or it is damaged."));
  return NULL;
}

/* "name=value" → value, or NULL. */
static const char *
field_value (const char *field,
             const char *name)
{
  gsize len = strlen (name);

  return strncmp (field, name, len) == 0 && field[len] == '=' ? field + len + 1 : NULL;
}

static gboolean
parse_header (const char  *header,
              BhxhBundle  *bundle,
              char       **sha,
              char       **signature,
              GError     **error)
{
  g_auto(GStrv) fields = g_strsplit (header, " ", -1);
  const char *seq, *expires, *key, *digest, *sig;
  g_autoptr(GDateTime) expiry = NULL;
  char *end = NULL;

  if (g_strv_length (fields) != 8 || !g_str_equal (fields[0], BHXH_BUNDLE_MAGIC)
      || !is_token (fields[1]) || !is_token (fields[2])
      || (seq = field_value (fields[3], "seq")) == NULL
      || (expires = field_value (fields[4], "expires")) == NULL
      || (key = field_value (fields[5], "key")) == NULL
      || (digest = field_value (fields[6], "sha256")) == NULL
      || (sig = field_value (fields[7], "ed25519")) == NULL
      || strlen (digest) != 64 || !is_hex (digest, 64) || !is_token (key)
      || !g_ascii_isdigit (*seq))
    {
      bad_bundle (error);
      return FALSE;
    }
  bundle->seq = g_ascii_strtoull (seq, &end, 10);
  expiry = g_date_time_new_from_iso8601 (expires, NULL);
  if (*end != '\0' || bundle->seq == 0 || expiry == NULL)
    {
      bad_bundle (error);
      return FALSE;
    }
  bundle->kind = g_strdup (fields[1]);
  bundle->workstation = g_strdup (fields[2]);
  bundle->expires = g_date_time_to_unix (expiry);
  bundle->key_id = g_strdup (key);
  *sha = g_ascii_strdown (digest, -1);
  *signature = g_strdup (sig);
  return TRUE;
}

static gboolean
verify_signature (const char  *header,
                  const char  *signature,
                  BhxhBundle  *bundle,
                  GBytes      *public_key,
                  GError     **error)
{
  g_autofree char *trusted = bhxh_bundle_key_id (public_key);
  const char *signed_end = strstr (header, SIGNATURE_FIELD);
  guint8 sig[crypto_sign_BYTES];
  gsize sig_len = 0;

  if (!g_str_equal (trusted, bundle->key_id))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE,
                   _("The bundle is signed with key %s, not with the key this counter trusts "
                     "(%s): it was not made by the portal it is enrolled with."),
                   bundle->key_id, trusted);
      return FALSE;
    }
  if (sodium_base642bin (sig, sizeof sig, signature, strlen (signature), NULL, &sig_len, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || sig_len != sizeof sig
      || crypto_sign_verify_detached (sig, (const guchar *) header, signed_end - header,
                                      g_bytes_get_data (public_key, NULL)) != 0)
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE,
                           _("The bundle's signature does not match: it was altered, or not "
                             "signed by the key this counter trusts."));
      return FALSE;
    }
  return TRUE;
}

BhxhBundle *
bhxh_bundle_decode (GBytes  *file,
                    GBytes  *public_key,
                    GError **error)
{
  g_autoptr(BhxhBundle) bundle = g_new0 (BhxhBundle, 1);
  gsize len;
  const char *data = file != NULL ? g_bytes_get_data (file, &len) : NULL;
  const char *eol = data != NULL ? memchr (data, '\n', MIN (len, HEADER_MAX)) : NULL;
  g_autofree char *header = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *computed = NULL;
  gsize offset;

  g_return_val_if_fail (public_key != NULL
                        && g_bytes_get_size (public_key) == crypto_sign_PUBLICKEYBYTES, NULL);

  if (data != NULL && !bhxh_bundle_size_ok (len, error))
    return NULL;
  if (data != NULL && len > 14 && memcmp (data, "BHXH-BUNDLE/1 ", 14) == 0)
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE,
                           _("This bundle is in the old format, signed with the workstation's "
                             "token, which no longer proves where it comes from: ask for a new "
                             "one."));
      return NULL;
    }
  if (eol == NULL || !sodium_ok ())
    return bad_bundle (error);
  header = g_strndup (data, eol - data);
  if (strlen (header) != (gsize) (eol - data))
    return bad_bundle (error);
  if (!parse_header (header, bundle, &sha, &signature, error))
    return NULL;
  offset = eol - data + 1;
  bundle->payload = g_bytes_new_from_bytes (file, offset, len - offset);
  computed = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bundle->payload);
  if (!g_str_equal (computed, sha))
    {
      g_set_error_literal (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_SIGNATURE,
                           _("The bundle's contents do not match its signed digest: it was "
                             "altered or cut short."));
      return NULL;
    }
  if (!verify_signature (header, signature, bundle, public_key, error))
    return NULL;
  /* json-glib parses recursively: a signed bundle nested 300 000 deep must
   * not exhaust the stack. */
  if (!bhxh_json_depth_ok (g_bytes_get_data (bundle->payload, NULL),
                           g_bytes_get_size (bundle->payload), BHXH_BUNDLE_MAX_DEPTH))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                   _("The bundle's contents nest deeper than %u levels: it is refused."),
                   (guint) BHXH_BUNDLE_MAX_DEPTH);
      return NULL;
    }
  return g_steal_pointer (&bundle);
}

char *
bhxh_bundle_peek_key_id (GBytes *file)
{
  g_autoptr(BhxhBundle) bundle = g_new0 (BhxhBundle, 1);
  g_autofree char *header = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *signature = NULL;
  gsize len;
  const char *data = file != NULL ? g_bytes_get_data (file, &len) : NULL;
  const char *eol = data != NULL ? memchr (data, '\n', MIN (len, HEADER_MAX)) : NULL;

  if (eol == NULL)
    return NULL;
  header = g_strndup (data, eol - data);
  if (!parse_header (header, bundle, &sha, &signature, NULL))
    return NULL;
  return g_steal_pointer (&bundle->key_id);
}

gboolean
bhxh_bundle_check (const BhxhBundle  *bundle,
                   const char        *kind,
                   const char        *workstation,
                   gint64             now,
                   GError           **error)
{
  g_return_val_if_fail (bundle != NULL && kind != NULL && workstation != NULL, FALSE);

  if (!g_str_equal (bundle->kind, kind))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                   _("This bundle holds “%s”, not “%s”: it is not meant for this use."),
                   bundle->kind, kind);
      return FALSE;
    }
  if (!g_str_equal (bundle->workstation, workstation))
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_ELSEWHERE,
                   _("This bundle was made for workstation %s, not for this one (%s)."),
                   bundle->workstation, workstation);
      return FALSE;
    }
  if (bundle->expires <= now)
    {
      g_autofree char *when = format_expiry (bundle->expires);

      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BUNDLE_EXPIRED,
                   _("This bundle expired on %s: ask for a new one."), when);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
bhxh_bundle_parse_payload (const BhxhBundle  *bundle,
                           const char        *format,
                           GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_return_val_if_fail (bundle != NULL && format != NULL, NULL);

  /* decode() checked the depth already: json-glib may recurse. */
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bundle->payload, NULL),
                                   g_bytes_get_size (bundle->payload), NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
      || g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                "format", NULL), format) != 0)
    {
      g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_BAD_BUNDLE,
                   _("The bundle's contents are not a “%s” document."), format);
      return NULL;
    }
  return json_node_copy (root);
}

void
bhxh_bundle_free (BhxhBundle *bundle)
{
  if (bundle == NULL)
    return;
  g_free (bundle->kind);
  g_free (bundle->workstation);
  g_free (bundle->key_id);
  g_clear_pointer (&bundle->payload, g_bytes_unref);
  g_free (bundle);
}
