/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "bhxh-chip-private.h"

/* ICAO 9303 part 11, §9.7 (BAC, key derivation) and §9.8 (secure
 * messaging) with its two cipher suites: two-key 3DES in CBC mode with a
 * zero IV and the retail MAC of ISO/IEC 9797-1 (MAC algorithm 3, padding
 * method 2); AES in CBC mode with IV = E(KSenc, SSC) and CMAC truncated to
 * 8 bytes. One wrapper serves both (BAC, PACE, chip authentication). */

/* The check digit of ICAO 9303 part 3 §4.9: weights 7, 3, 1; digits count
 * as themselves, letters A–Z as 10–35, the filler '<' as 0. */
int
_bhxh_chip_check_digit (const char *text)
{
  static const int weights[] = { 7, 3, 1 };
  int sum = 0;

  for (gsize i = 0; text[i] != '\0'; i++)
    {
      char c = text[i];
      int value = 0;

      if (g_ascii_isdigit (c))
        value = c - '0';
      else if (c >= 'A' && c <= 'Z')
        value = c - 'A' + 10;
      sum += value * weights[i % 3];
    }
  return sum % 10;
}

/* Document number (9 characters, '<' filled) + check digit, birth date +
 * check digit, expiry date + check digit. */
char *
_bhxh_chip_mrz_info (const BhxhChipKey *key)
{
  char number[10];
  gsize n = strlen (key->document_number);

  memset (number, '<', 9);
  memcpy (number, key->document_number, MIN (n, 9));
  number[9] = '\0';
  return g_strdup_printf ("%s%d%s%d%s%d", number, _bhxh_chip_check_digit (number),
                          key->birth, _bhxh_chip_check_digit (key->birth),
                          key->expiry, _bhxh_chip_check_digit (key->expiry));
}

static void
sha1 (const guint8 *data,
      gsize         len,
      guint8        digest[20])
{
  unsigned int digest_len = 20;

  if (!EVP_Digest (data, len, digest, &digest_len, EVP_sha1 (), NULL))
    g_error ("SHA-1 is not available");
}

void
_bhxh_chip_key_seed (const BhxhChipKey *key,
                     guint8             seed[16])
{
  g_autofree char *info = _bhxh_chip_mrz_info (key);
  guint8 digest[20];

  sha1 ((const guint8 *) info, strlen (info), digest);
  memcpy (seed, digest, 16);
}

/**
 * _bhxh_chip_kdf:
 * @secret: the shared secret (or BAC's key seed, or PACE's password)
 * @counter: 1 for the encryption key, 2 for the MAC key, 3 for PACE's
 *   password key
 * @key: (out): @key_len bytes (16 for 3DES)
 *
 * KDF (K, c) of ICAO 9303 part 11 §9.7.1: SHA-1 (K || c) for 3DES (with
 * DES parity) and AES-128, SHA-256 (K || c) for AES-192 and AES-256, cut
 * to the key's length.
 */
gboolean
_bhxh_chip_kdf (BhxhChipCipher cipher,
                guint          key_len,
                const guint8  *secret,
                gsize          secret_len,
                guint32        counter,
                guint8        *key)
{
  g_autoptr(GByteArray) d = g_byte_array_sized_new (secret_len + 4);
  guint8 c[4] = { counter >> 24, counter >> 16, counter >> 8, counter };
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gboolean sha1 = cipher == BHXH_CHIP_CIPHER_3DES || key_len == 16;

  if (cipher == BHXH_CHIP_CIPHER_3DES)
    key_len = BHXH_CHIP_KEY_LEN;
  if (key_len != 16 && key_len != 24 && key_len != 32)
    return FALSE;
  g_byte_array_append (d, secret, secret_len);
  g_byte_array_append (d, c, 4);
  if (!EVP_Digest (d->data, d->len, digest, &digest_len, sha1 ? EVP_sha1 () : EVP_sha256 (),
                   NULL))
    g_error ("SHA-1 or SHA-256 is not available");
  explicit_bzero (d->data, d->len);
  memcpy (key, digest, key_len);
  if (cipher == BHXH_CHIP_CIPHER_3DES)
    for (guint i = 0; i < key_len; i++)
      {
        guint8 b = digest[i] & 0xfe;

        /* Odd parity: the low bit makes the number of ones odd. */
        key[i] = b | ((__builtin_popcount (b) & 1) ? 0 : 1);
      }
  explicit_bzero (digest, sizeof digest);
  return TRUE;
}

/* BAC's keys: KDF with the 16-byte key seed, 3DES. */
void
_bhxh_chip_derive_key (const guint8 *seed,
                       guint32       counter,
                       guint8        key[BHXH_CHIP_KEY_LEN])
{
  _bhxh_chip_kdf (BHXH_CHIP_CIPHER_3DES, BHXH_CHIP_KEY_LEN, seed, 16, counter, key);
}

/**
 * _bhxh_chip_sm_start:
 * @secret: the secret the session keys are derived from
 *
 * Secure messaging with fresh keys KDF (@secret, 1) and KDF (@secret, 2)
 * and a zero send sequence counter (PACE, chip authentication).
 */
void
_bhxh_chip_sm_start (BhxhChipSM    *sm,
                     BhxhChipCipher cipher,
                     guint          key_len,
                     const guint8  *secret,
                     gsize          secret_len)
{
  memset (sm, 0, sizeof *sm);
  sm->cipher = cipher;
  sm->key_len = cipher == BHXH_CHIP_CIPHER_3DES ? BHXH_CHIP_KEY_LEN : key_len;
  _bhxh_chip_kdf (cipher, sm->key_len, secret, secret_len, 1, sm->ks_enc);
  _bhxh_chip_kdf (cipher, sm->key_len, secret, secret_len, 2, sm->ks_mac);
}

static gboolean
cipher_iv (const EVP_CIPHER *type,
           const guint8     *key,
           gboolean          encrypt,
           const guint8     *iv,
           const guint8     *in,
           gsize             len,
           guint8           *out)
{
  static const guint8 zero_iv[16] = { 0 };
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int out_len = 0;
  gboolean ok;

  g_return_val_if_fail (len % EVP_CIPHER_get_block_size (type) == 0 && len <= G_MAXINT, FALSE);

  ok = ctx != NULL &&
       EVP_CipherInit_ex (ctx, type, NULL, key, iv != NULL ? iv : zero_iv, encrypt ? 1 : 0) &&
       EVP_CIPHER_CTX_set_padding (ctx, 0) &&
       EVP_CipherUpdate (ctx, out, &out_len, in, (int) len) &&
       (gsize) out_len == len;
  EVP_CIPHER_CTX_free (ctx);
  return ok;
}

static gboolean
cipher (const EVP_CIPHER *type,
        const guint8     *key,
        gboolean          encrypt,
        const guint8     *in,
        gsize             len,
        guint8           *out)
{
  return cipher_iv (type, key, encrypt, NULL, in, len, out);
}

static const EVP_CIPHER *
aes_cbc (guint key_len)
{
  switch (key_len)
    {
    case 16: return EVP_aes_128_cbc ();
    case 24: return EVP_aes_192_cbc ();
    case 32: return EVP_aes_256_cbc ();
    default: return NULL;
    }
}

/* AES in CBC mode, @iv %NULL: zero (PACE's nonce). */
gboolean
_bhxh_chip_aes_cbc (const guint8 *key,
                    guint         key_len,
                    gboolean      encrypt,
                    const guint8 *iv,
                    const guint8 *in,
                    gsize         len,
                    guint8       *out)
{
  const EVP_CIPHER *type = aes_cbc (key_len);

  return type != NULL && cipher_iv (type, key, encrypt, iv, in, len, out);
}

/* CMAC with AES (NIST SP 800-38B), truncated to 8 bytes: @data is taken
 * as is (secure messaging pads it before). */
gboolean
_bhxh_chip_cmac (const guint8 *key,
                 guint         key_len,
                 const guint8 *data,
                 gsize         len,
                 guint8        mac[8])
{
  const char *name = key_len == 16 ? "AES-128-CBC" : key_len == 24 ? "AES-192-CBC" :
                     key_len == 32 ? "AES-256-CBC" : NULL;
  EVP_MAC *algorithm;
  EVP_MAC_CTX *ctx = NULL;
  OSSL_PARAM params[2];
  guint8 full[16];
  size_t full_len = 0;
  gboolean ok;

  if (name == NULL || (algorithm = EVP_MAC_fetch (NULL, "CMAC", NULL)) == NULL)
    return FALSE;
  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_CIPHER, (char *) name, 0);
  params[1] = OSSL_PARAM_construct_end ();
  ok = (ctx = EVP_MAC_CTX_new (algorithm)) != NULL &&
       EVP_MAC_init (ctx, key, key_len, params) &&
       EVP_MAC_update (ctx, data, len) &&
       EVP_MAC_final (ctx, full, &full_len, sizeof full) && full_len == 16;
  EVP_MAC_CTX_free (ctx);
  EVP_MAC_free (algorithm);
  if (ok)
    memcpy (mac, full, 8);
  return ok;
}

gboolean
_bhxh_chip_3des_cbc (const guint8 *key,
                     gboolean      encrypt,
                     const guint8 *in,
                     gsize         len,
                     guint8       *out)
{
  return cipher (EVP_des_ede_cbc (), key, encrypt, in, len, out);
}

/* ISO/IEC 9797-1 padding method 2: 0x80, then zeros to a multiple of 8.
 * Returns the padded length. */
gsize
_bhxh_chip_pad (GByteArray *data)
{
  return _bhxh_chip_pad_to (data, 8);
}

/* The same padding to a multiple of @block (16 for AES). */
gsize
_bhxh_chip_pad_to (GByteArray *data,
                   guint       block)
{
  static const guint8 one = 0x80, zero = 0x00;

  g_byte_array_append (data, &one, 1);
  while (data->len % block != 0)
    g_byte_array_append (data, &zero, 1);
  return data->len;
}

/* The retail MAC over @data padded: single DES CBC with Ka over all blocks
 * but the last, then 3DES (Ka, Kb) on the last. */
gboolean
_bhxh_chip_mac (const guint8 *key,
                const guint8 *data,
                gsize         len,
                guint8        mac[8])
{
  g_autoptr(GByteArray) padded = g_byte_array_sized_new (len + 8);
  g_autofree guint8 *chain = NULL;
  guint8 ka_ka[16];
  guint8 last[8] = { 0 };

  g_byte_array_append (padded, data, len);
  _bhxh_chip_pad (padded);
  chain = g_malloc (padded->len);

  /* DES-EDE with Ka twice is single DES with Ka. */
  memcpy (ka_ka, key, 8);
  memcpy (ka_ka + 8, key, 8);
  if (padded->len > 8 &&
      !cipher (EVP_des_ede_cbc (), ka_ka, TRUE, padded->data, padded->len - 8, chain))
    return FALSE;
  if (padded->len > 8)
    memcpy (last, chain + padded->len - 16, 8);
  for (guint i = 0; i < 8; i++)
    last[i] ^= padded->data[padded->len - 8 + i];
  return cipher (EVP_des_ede_ecb (), key, TRUE, last, 8, mac);
}

void
_bhxh_chip_bac_init (BhxhChipBac       *bac,
                     const BhxhChipKey *key)
{
  guint8 seed[16];

  memset (bac, 0, sizeof *bac);
  _bhxh_chip_key_seed (key, seed);
  _bhxh_chip_derive_key (seed, 1, bac->k_enc);
  _bhxh_chip_derive_key (seed, 2, bac->k_mac);
}

/* EXTERNAL AUTHENTICATE's data: E.IFD = 3DES (K.enc, RND.IFD || RND.ICC ||
 * K.IFD) and its MAC. The caller has set the three random values. */
gboolean
_bhxh_chip_bac_command (BhxhChipBac *bac,
                        guint8       cmd_data[40])
{
  guint8 s[32];

  memcpy (s, bac->rnd_ifd, 8);
  memcpy (s + 8, bac->rnd_icc, 8);
  memcpy (s + 16, bac->k_ifd, 16);
  return _bhxh_chip_3des_cbc (bac->k_enc, TRUE, s, 32, cmd_data) &&
         _bhxh_chip_mac (bac->k_mac, cmd_data, 32, cmd_data + 32);
}

/* The block of the session's cipher: the length of its SSC and padding. */
static guint
sm_block (const BhxhChipSM *sm)
{
  return sm->cipher == BHXH_CHIP_CIPHER_AES ? 16 : 8;
}

static guint
sm_key_len (const BhxhChipSM *sm)
{
  return sm->key_len != 0 ? sm->key_len : BHXH_CHIP_KEY_LEN;
}

static void
increment_ssc (BhxhChipSM *sm)
{
  for (int i = sm_block (sm) - 1; i >= 0; i--)
    if (++sm->ssc[i] != 0)
      break;
}

/* The retail MAC or CMAC over @data padded to the block (changes @data). */
static gboolean
sm_mac (const BhxhChipSM *sm,
        GByteArray       *data,
        guint8            mac[8])
{
  if (sm->cipher == BHXH_CHIP_CIPHER_3DES)
    return _bhxh_chip_mac (sm->ks_mac, data->data, data->len, mac);   /* pads itself */
  _bhxh_chip_pad_to (data, 16);
  return _bhxh_chip_cmac (sm->ks_mac, sm_key_len (sm), data->data, data->len, mac);
}

/* DO87's cryptogram: 3DES with a zero IV, AES with IV = E(KSenc, SSC). */
static gboolean
sm_crypt (const BhxhChipSM *sm,
          gboolean          encrypt,
          const guint8     *in,
          gsize             len,
          guint8           *out)
{
  guint8 iv[16];

  if (sm->cipher == BHXH_CHIP_CIPHER_3DES)
    return _bhxh_chip_3des_cbc (sm->ks_enc, encrypt, in, len, out);
  return _bhxh_chip_aes_cbc (sm->ks_enc, sm_key_len (sm), TRUE, NULL, sm->ssc, 16, iv) &&
         _bhxh_chip_aes_cbc (sm->ks_enc, sm_key_len (sm), encrypt, iv, in, len, out);
}

/* Checks the chip's answer (E.ICC || M.ICC), then derives the session
 * keys from K.IFD xor K.ICC and the send sequence counter from the
 * random numbers' low halves. */
gboolean
_bhxh_chip_bac_finish (const BhxhChipBac *bac,
                       const guint8      *resp,
                       gsize              resp_len,
                       BhxhChipSM        *sm,
                       GError           **error)
{
  guint8 mac[8];
  guint8 r[32];
  guint8 seed[16];

  if (resp_len != 40 || !_bhxh_chip_mac (bac->k_mac, resp, 32, mac) ||
      CRYPTO_memcmp (mac, resp + 32, 8) != 0 ||
      !_bhxh_chip_3des_cbc (bac->k_enc, FALSE, resp, 32, r) ||
      memcmp (r, bac->rnd_icc, 8) != 0 || memcmp (r + 8, bac->rnd_ifd, 8) != 0)
    {
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL,
                           _("The chip’s answer to the access control does not check out"));
      return FALSE;
    }
  for (guint i = 0; i < 16; i++)
    seed[i] = bac->k_ifd[i] ^ r[16 + i];
  memset (sm, 0, sizeof *sm);
  _bhxh_chip_derive_key (seed, 1, sm->ks_enc);
  _bhxh_chip_derive_key (seed, 2, sm->ks_mac);
  memcpy (sm->ssc, bac->rnd_icc + 4, 4);
  memcpy (sm->ssc + 4, bac->rnd_ifd + 4, 4);
  return TRUE;
}

/* A BER-TLV element: a one- or two-byte tag, a length up to 0xffff. */
void
_bhxh_tlv_append (GByteArray   *out,
                  guint         tag,
                  const guint8 *value,
                  gsize         len)
{
  guint8 head[5];
  guint n = 0;

  g_return_if_fail (len <= 0xffff);
  if (tag > 0xff)
    head[n++] = tag >> 8;
  head[n++] = tag & 0xff;
  if (len < 0x80)
    head[n++] = len;
  else if (len < 0x100)
    {
      head[n++] = 0x81;
      head[n++] = len;
    }
  else
    {
      head[n++] = 0x82;
      head[n++] = len >> 8;
      head[n++] = len;
    }
  g_byte_array_append (out, head, n);
  g_byte_array_append (out, value, len);
}

static gboolean
sm_error (GError    **error,
          const char *message)
{
  g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL, message);
  return FALSE;
}

/**
 * _bhxh_chip_sm_wrap:
 * @apdu: a short plain command APDU (cases 1–4, even INS)
 *
 * The protected APDU: masked class byte 0x0C, the data encrypted in DO87,
 * the expected length in DO97, the MAC over SSC, header and both in DO8E.
 */
GBytes *
_bhxh_chip_sm_wrap (BhxhChipSM   *sm,
                    const guint8 *apdu,
                    gsize         len,
                    GError      **error)
{
  g_autoptr(GByteArray) objects = g_byte_array_new ();
  g_autoptr(GByteArray) mac_input = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 header[4] = { 0x0c, apdu[1], apdu[2], apdu[3] };
  guint8 mac[8];
  gsize lc = 0;
  gboolean has_le = FALSE;
  gboolean ssc_done = FALSE;
  guint8 le = 0;

  g_return_val_if_fail (len >= 4, NULL);
  if (len == 5)
    has_le = TRUE, le = apdu[4];
  else if (len > 5)
    {
      lc = apdu[4];
      if (lc == 0 || (len != 5 + lc && len != 6 + lc))
        return sm_error (error, _("The command for the chip could not be protected")), NULL;
      if (len == 6 + lc)
        has_le = TRUE, le = apdu[len - 1];
    }

  if (lc > 0)
    {
      g_autoptr(GByteArray) data = g_byte_array_new ();
      g_autofree guint8 *enc = NULL;

      g_byte_array_append (data, apdu + 5, lc);
      _bhxh_chip_pad_to (data, sm_block (sm));
      enc = g_malloc (data->len + 1);
      enc[0] = 0x01;   /* padding-content indicator: ISO padding */
      increment_ssc (sm);   /* AES's IV is E(KSenc, SSC) of this command */
      ssc_done = TRUE;
      if (!sm_crypt (sm, TRUE, data->data, data->len, enc + 1))
        return sm_error (error, _("The command for the chip could not be protected")), NULL;
      _bhxh_tlv_append (objects, 0x87, enc, data->len + 1);
    }
  if (has_le)
    _bhxh_tlv_append (objects, 0x97, &le, 1);

  if (!ssc_done)
    increment_ssc (sm);
  g_byte_array_append (mac_input, sm->ssc, sm_block (sm));
  g_byte_array_append (mac_input, header, 4);
  _bhxh_chip_pad_to (mac_input, sm_block (sm));
  g_byte_array_append (mac_input, objects->data, objects->len);
  if (!sm_mac (sm, mac_input, mac))
    return sm_error (error, _("The command for the chip could not be protected")), NULL;
  _bhxh_tlv_append (objects, 0x8e, mac, 8);

  if (objects->len > 0xff)
    return sm_error (error, _("The command for the chip could not be protected")), NULL;
  g_byte_array_append (out, header, 4);
  g_byte_array_append (out, (guint8[]) { objects->len }, 1);
  g_byte_array_append (out, objects->data, objects->len);
  g_byte_array_append (out, (guint8[]) { 0x00 }, 1);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * _bhxh_chip_sm_unwrap:
 * @resp: the response APDU, status word included
 * @sw: (out): the status the chip protected in DO99, or the plain status of
 *   an unprotected error answer
 *
 * Checks DO8E over SSC, DO87 and DO99, and decrypts DO87.
 *
 * Returns: (transfer full): the plain response data (maybe empty), or %NULL
 *   with @error set when the MAC or the structure is wrong
 */
GBytes *
_bhxh_chip_sm_unwrap (BhxhChipSM   *sm,
                      const guint8 *resp,
                      gsize         len,
                      guint16      *sw,
                      GError      **error)
{
  g_autoptr(GByteArray) mac_input = g_byte_array_new ();
  const guint8 *p = resp, *end, *do87 = NULL, *do99 = NULL, *do8e = NULL;
  const guint8 *mac_end = resp;
  gsize do87_len = 0, do99_len = 0, do8e_len = 0;
  guint8 mac[8];

  if (len < 2)
    return sm_error (error, _("The chip’s answer is malformed")), NULL;
  *sw = (resp[len - 2] << 8) | resp[len - 1];
  end = resp + len - 2;
  increment_ssc (sm);
  if (end == resp)   /* an error the chip did not protect */
    return g_bytes_new (NULL, 0);

  while (p < end)
    {
      const guint8 *value;
      guint tag;
      gsize vlen;

      if (!_bhxh_tlv_next (&p, end, &tag, &value, &vlen))
        return sm_error (error, _("The chip’s answer is malformed")), NULL;
      if (tag == 0x87)
        do87 = value, do87_len = vlen, mac_end = p;
      else if (tag == 0x99)
        do99 = value, do99_len = vlen, mac_end = p;
      else if (tag == 0x8e)
        do8e = value, do8e_len = vlen;
    }
  if (do8e == NULL || do8e_len != 8 || do99 == NULL || do99_len != 2)
    return sm_error (error, _("The chip’s answer is malformed")), NULL;

  g_byte_array_append (mac_input, sm->ssc, sm_block (sm));
  g_byte_array_append (mac_input, resp, mac_end - resp);
  if (!sm_mac (sm, mac_input, mac) ||
      CRYPTO_memcmp (mac, do8e, 8) != 0)
    return sm_error (error, _("The chip’s answer failed its integrity check")), NULL;
  *sw = (do99[0] << 8) | do99[1];

  if (do87 != NULL)
    {
      g_autofree guint8 *plain = NULL;
      gsize n;

      if (do87_len < 1 + sm_block (sm) || do87[0] != 0x01 || (do87_len - 1) % sm_block (sm) != 0)
        return sm_error (error, _("The chip’s answer is malformed")), NULL;
      n = do87_len - 1;
      plain = g_malloc (n);
      if (!sm_crypt (sm, FALSE, do87 + 1, n, plain))
        return sm_error (error, _("The chip’s answer is malformed")), NULL;
      while (n > 0 && plain[n - 1] == 0x00)
        n--;
      if (n == 0 || plain[n - 1] != 0x80)
        return sm_error (error, _("The chip’s answer is malformed")), NULL;
      return g_bytes_new (plain, n - 1);
    }
  return g_bytes_new (NULL, 0);
}
