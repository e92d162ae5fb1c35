/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "bhxh-chip-private.h"

/* Active authentication (ICAO 9303 part 11 §6.1): the chip signs the
 * terminal's random challenge with the private key whose public half is in
 * DG15 (covered by the SOD), so a copy of the files on another chip fails.
 * RSA keys sign with ISO/IEC 9796-2 scheme 1 (message recovery); EC keys
 * sign with ECDSA, the signature in the plain format of BSI TR-03111 (r || s,
 * each as long as the group's order), the hash named by DG14's
 * ActiveAuthenticationInfo. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY_CTX, EVP_PKEY_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

/* The hash an ISO/IEC 9796-2 trailer names: 0xBC alone is SHA-1; 0x??CC
 * names it by its ISO/IEC 10118-3 identifier. */
static const EVP_MD *
trailer_hash (const guint8 *f,
              gsize         len,
              gsize        *trailer_len)
{
  if (f[len - 1] == 0xbc)
    {
      *trailer_len = 1;
      return EVP_sha1 ();
    }
  if (f[len - 1] != 0xcc)
    return NULL;
  *trailer_len = 2;
  switch (f[len - 2])
    {
    case 0x33: return EVP_sha1 ();
    case 0x34: return EVP_sha256 ();
    case 0x35: return EVP_sha512 ();
    case 0x36: return EVP_sha384 ();
    case 0x38: return EVP_sha224 ();
    default:   return NULL;
    }
}

static gboolean
verify_rsa (EVP_PKEY     *key,
            const guint8  challenge[8],
            const guint8 *signature,
            gsize         signature_len)
{
  g_autoptr(EVP_PKEY_CTX) ctx = EVP_PKEY_CTX_new (key, NULL);
  g_autofree guint8 *f = g_malloc (EVP_PKEY_get_size (key));
  g_autoptr(GByteArray) message = g_byte_array_new ();
  size_t f_len = EVP_PKEY_get_size (key);
  gsize trailer_len = 0, hash_len;
  const EVP_MD *md;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  if (ctx == NULL || EVP_PKEY_verify_recover_init (ctx) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding (ctx, RSA_NO_PADDING) <= 0 ||
      EVP_PKEY_verify_recover (ctx, f, &f_len, signature, signature_len) <= 0 || f_len < 24)
    return FALSE;
  /* F = 0x6A || M1 || H || trailer (the header of a partial recovery). */
  if ((f[0] & 0xf0) != 0x60 || (md = trailer_hash (f, f_len, &trailer_len)) == NULL)
    return FALSE;
  hash_len = EVP_MD_get_size (md);
  if (f_len < 1 + hash_len + trailer_len)
    return FALSE;
  g_byte_array_append (message, f + 1, f_len - 1 - hash_len - trailer_len);
  g_byte_array_append (message, challenge, 8);
  return EVP_Digest (message->data, message->len, digest, &digest_len, md, NULL) &&
         digest_len == hash_len &&
         CRYPTO_memcmp (digest, f + f_len - trailer_len - hash_len, hash_len) == 0;
}

/* ECDSA over the challenge itself; r || s turned into DER for OpenSSL. */
static gboolean
verify_ecdsa (EVP_PKEY     *key,
              const char   *digest,
              const guint8  challenge[8],
              const guint8 *signature,
              gsize         signature_len)
{
  g_autoptr(EVP_MD_CTX) ctx = EVP_MD_CTX_new ();
  ECDSA_SIG *sig = ECDSA_SIG_new ();
  BIGNUM *r, *s;
  guint8 *der = NULL;
  int der_len = -1;
  gboolean ok = FALSE;

  if (sig == NULL || ctx == NULL || signature_len == 0 || signature_len % 2 != 0 ||
      signature_len > 2 * 66)
    {
      ECDSA_SIG_free (sig);
      return FALSE;
    }
  r = BN_bin2bn (signature, signature_len / 2, NULL);
  s = BN_bin2bn (signature + signature_len / 2, signature_len / 2, NULL);
  if (r == NULL || s == NULL || !ECDSA_SIG_set0 (sig, r, s))
    {
      BN_free (r);
      BN_free (s);
    }
  else
    der_len = i2d_ECDSA_SIG (sig, &der);
  if (der_len > 0)
    ok = EVP_DigestVerifyInit_ex (ctx, NULL, digest, NULL, NULL, key, NULL) == 1 &&
         EVP_DigestVerify (ctx, der, der_len, challenge, 8) == 1;
  OPENSSL_free (der);
  ECDSA_SIG_free (sig);
  return ok;
}

/**
 * _bhxh_chip_active_check:
 * @dg15: DG15 as read (its public key)
 * @ec_digest: (nullable): for an EC key, the hash DG14's
 *   ActiveAuthenticationInfo names; %NULL: SHA-256 (the information is
 *   mandatory with an EC key, ICAO 9303 part 11 §6.1; a DG14 without it is
 *   taken to mean the common choice, ecdsa-with-SHA256)
 * @challenge: the 8 random bytes sent with INTERNAL AUTHENTICATE
 * @signature: the chip's answer
 * @reason: (out): a code when the result is not valid
 *
 * Returns: valid, invalid, or not-checked (a key this desk does not check)
 */
BhxhAuthResult
_bhxh_chip_active_check (GBytes       *dg15,
                         const char   *ec_digest,
                         const guint8  challenge[8],
                         const guint8 *signature,
                         gsize         signature_len,
                         const char  **reason)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (dg15, &size), *p = data, *value;
  g_autoptr(EVP_PKEY) key = NULL;
  gsize len;
  guint tag;
  gboolean ok;

  if (!_bhxh_tlv_next (&p, data + size, &tag, &value, &len) || tag != 0x6f ||
      (key = d2i_PUBKEY (NULL, &value, (long) len)) == NULL)
    {
      ERR_clear_error ();
      *reason = "dg15-malformed";
      return BHXH_AUTH_INVALID;
    }
  if (EVP_PKEY_get_base_id (key) == EVP_PKEY_RSA)
    ok = verify_rsa (key, challenge, signature, signature_len);
  else if (EVP_PKEY_get_base_id (key) == EVP_PKEY_EC)
    ok = verify_ecdsa (key, ec_digest != NULL ? ec_digest : "SHA256", challenge, signature,
                       signature_len);
  else
    {
      *reason = "active-authentication-key-unsupported";
      return BHXH_AUTH_NOT_CHECKED;
    }
  ERR_clear_error ();
  *reason = ok ? NULL : "active-authentication-failed";
  return ok ? BHXH_AUTH_VALID : BHXH_AUTH_INVALID;
}
