/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "bhxh-chip-private.h"

/* PACE (ICAO 9303 part 11 §4.4, BSI TR-03110) as the terminal: EF.CardAccess
 * names the protocol and its standardized domain parameters; the chip's
 * nonce, encrypted with a key derived from the MRZ, maps the curve's
 * generator (the generic mapping: G' = s·G + H, H the ECDH product of two
 * ephemeral mapping keys); a second ECDH on G' gives the session keys for
 * AES secure messaging, and each side proves them with a CMAC token over
 * the other's public key. Supported: PACE-ECDH-GM with AES-128/192/256 on
 * the standardized curves 8–18; anything else is reported unsupported and
 * BAC is used. Chip authentication (bhxh-chip-ca.c) shares the curve code
 * below. */

/* id-PACE-ECDH-GM: 0.4.0.127.0.7.2.2.4.2, then the cipher suite. */
static const guint8 pace_ecdh_gm[] = { 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02 };

/* ICAO 9303 part 11 §9.5.1, the standardized domain parameters 8–18 (the
 * elliptic curves; 0–2 are DH groups). */
int
_bhxh_chip_curve_of_parameter (guint id)
{
  switch (id)
    {
    case 8:  return NID_X9_62_prime192v1;
    case 9:  return NID_brainpoolP192r1;
    case 10: return NID_secp224r1;
    case 11: return NID_brainpoolP224r1;
    case 12: return NID_X9_62_prime256v1;
    case 13: return NID_brainpoolP256r1;
    case 14: return NID_brainpoolP320r1;
    case 15: return NID_secp384r1;
    case 16: return NID_brainpoolP384r1;
    case 17: return NID_brainpoolP512r1;
    case 18: return NID_secp521r1;
    default: return NID_undef;
    }
}

/* ---- DER ---- */

/* A small non-negative INTEGER at *@p. */
gboolean
_bhxh_chip_der_uint (const guint8 **p,
                     const guint8  *end,
                     guint         *value)
{
  const guint8 *v;
  gsize len;
  guint tag;

  if (!_bhxh_tlv_next (p, end, &tag, &v, &len) || tag != 0x02 || len == 0 || len > 4 ||
      (v[0] & 0x80) != 0)
    return FALSE;
  *value = 0;
  for (gsize i = 0; i < len; i++)
    *value = (*value << 8) | v[i];
  return TRUE;
}

/**
 * _bhxh_chip_security_infos:
 * @data: a SET OF SecurityInfo (tag 0x31) and what follows
 *
 * Returns: (transfer full) (element-type BhxhChipSecurityInfo): its
 *   elements pointing into @data (skipped: those without an OID), or %NULL
 *   when it is not a SET
 */
GArray *
_bhxh_chip_security_infos (const guint8 *data,
                           gsize         len)
{
  g_autoptr(GArray) infos = g_array_new (FALSE, TRUE, sizeof (BhxhChipSecurityInfo));
  const guint8 *p = data, *set, *end;
  gsize set_len;
  guint tag;

  if (!_bhxh_tlv_next (&p, data + len, &tag, &set, &set_len) || tag != 0x31)
    return NULL;
  p = set;
  end = set + set_len;
  while (p < end)
    {
      BhxhChipSecurityInfo info = { 0 };
      const guint8 *seq, *q;
      gsize seq_len;

      if (!_bhxh_tlv_next (&p, end, &tag, &seq, &seq_len))
        return NULL;
      q = seq;
      if (tag != 0x30 ||
          !_bhxh_tlv_next (&q, seq + seq_len, &tag, &info.oid, &info.oid_len) || tag != 0x06)
        continue;
      info.rest = q;
      info.rest_len = seq + seq_len - q;
      g_array_append_val (infos, info);
    }
  return g_steal_pointer (&infos);
}

/**
 * _bhxh_chip_parse_card_access:
 * @card_access: (nullable): EF.CardAccess, or %NULL when the chip has none
 * @out: (out): the first PACEInfo this desk supports
 *
 * Returns: whether PACE is offered, and whether with parameters supported
 */
BhxhChipPaceOffer
_bhxh_chip_parse_card_access (GBytes           *card_access,
                              BhxhChipPaceInfo *out)
{
  g_autoptr(GArray) infos = NULL;
  gboolean offered = FALSE;
  const guint8 *data;
  gsize len;

  memset (out, 0, sizeof *out);
  if (card_access == NULL)
    return BHXH_CHIP_PACE_NONE;
  data = g_bytes_get_data (card_access, &len);
  if ((infos = _bhxh_chip_security_infos (data, len)) == NULL)
    return BHXH_CHIP_PACE_NONE;
  for (guint i = 0; i < infos->len; i++)
    {
      BhxhChipSecurityInfo *info = &g_array_index (infos, BhxhChipSecurityInfo, i);
      const guint8 *p = info->rest, *end = info->rest + info->rest_len;
      guint version = 0, parameter = G_MAXUINT;
      guint suite;

      /* id-PACE itself is 0.4.0.127.0.7.2.2.4: the protocols are below. */
      if (info->oid_len != 10 || memcmp (info->oid, pace_ecdh_gm, 8) != 0)
        continue;
      offered = TRUE;
      if (memcmp (info->oid, pace_ecdh_gm, sizeof pace_ecdh_gm) != 0 ||
          !_bhxh_chip_der_uint (&p, end, &version) || version != 2 ||
          (p < end && !_bhxh_chip_der_uint (&p, end, &parameter)))
        continue;
      suite = info->oid[9];
      /* Without a parameter id the domain parameters are proprietary
       * (PACEDomainParameterInfo): not supported. */
      if (suite < 2 || suite > 4 || _bhxh_chip_curve_of_parameter (parameter) == NID_undef)
        continue;
      memcpy (out->oid, info->oid, info->oid_len);
      out->oid_len = info->oid_len;
      out->cipher = BHXH_CHIP_CIPHER_AES;
      out->key_len = suite == 2 ? 16 : suite == 3 ? 24 : 32;
      out->parameter_id = parameter;
      out->nid = _bhxh_chip_curve_of_parameter (parameter);
      return BHXH_CHIP_PACE_SUPPORTED;
    }
  return offered ? BHXH_CHIP_PACE_UNSUPPORTED : BHXH_CHIP_PACE_NONE;
}

/* ---- elliptic curves ---- */

BIGNUM *
_bhxh_chip_ec_random_key (const EC_GROUP *group)
{
  BIGNUM *key = BN_new ();

  if (key == NULL)
    return NULL;
  do
    {
      if (!BN_priv_rand_range (key, EC_GROUP_get0_order (group)))
        {
          BN_clear_free (key);
          return NULL;
        }
    }
  while (BN_is_zero (key));
  return key;
}

GBytes *
_bhxh_chip_ec_encode (const EC_GROUP *group,
                      const EC_POINT *point)
{
  guint8 *buf = NULL;
  size_t len = EC_POINT_point2buf (group, point, POINT_CONVERSION_UNCOMPRESSED, &buf, NULL);
  GBytes *out;

  if (len == 0)
    return NULL;
  out = g_bytes_new (buf, len);
  OPENSSL_free (buf);
  return out;
}

/* A point the chip sent (uncompressed), checked to lie on the curve. */
EC_POINT *
_bhxh_chip_ec_point (const EC_GROUP *group,
                     const guint8   *data,
                     gsize           len)
{
  EC_POINT *point = EC_POINT_new (group);

  if (point == NULL || len == 0 || data[0] != 0x04 ||
      !EC_POINT_oct2point (group, point, data, len, NULL) ||
      EC_POINT_is_at_infinity (group, point))
    {
      EC_POINT_free (point);
      return NULL;
    }
  return point;
}

/* @key · @generator (%NULL: the curve's own), encoded uncompressed. */
GBytes *
_bhxh_chip_ec_public (const EC_GROUP *group,
                      const EC_POINT *generator,
                      const BIGNUM   *key)
{
  EC_POINT *point = EC_POINT_new (group);
  GBytes *out = NULL;
  gboolean ok;

  if (point == NULL)
    return NULL;
  ok = generator != NULL ? EC_POINT_mul (group, point, NULL, generator, key, NULL)
                         : EC_POINT_mul (group, point, key, NULL, NULL, NULL);
  if (ok)
    out = _bhxh_chip_ec_encode (group, point);
  EC_POINT_free (point);
  return out;
}

/* ECDH: the x coordinate of @key · @peer, as long as the field. */
GBytes *
_bhxh_chip_ec_shared_x (const EC_GROUP *group,
                        const BIGNUM   *key,
                        const guint8   *peer,
                        gsize           peer_len)
{
  EC_POINT *point = _bhxh_chip_ec_point (group, peer, peer_len);
  EC_POINT *product = point != NULL ? EC_POINT_new (group) : NULL;
  BIGNUM *x = BN_new ();
  int field = (EC_GROUP_get_degree (group) + 7) / 8;
  guint8 buf[66];
  GBytes *out = NULL;

  if (product != NULL && x != NULL && field <= (int) sizeof buf &&
      EC_POINT_mul (group, product, NULL, point, key, NULL) &&
      !EC_POINT_is_at_infinity (group, product) &&
      EC_POINT_get_affine_coordinates (group, product, x, NULL, NULL) &&
      BN_bn2binpad (x, buf, field) == field)
    out = g_bytes_new (buf, field);
  explicit_bzero (buf, sizeof buf);
  BN_clear_free (x);
  EC_POINT_clear_free (product);
  EC_POINT_free (point);
  return out;
}

/* ---- PACE ---- */

gboolean
_bhxh_chip_pace_init (BhxhChipPace           *pace,
                      const BhxhChipPaceInfo *info,
                      const BhxhChipKey      *key)
{
  g_autofree char *mrz = _bhxh_chip_mrz_info (key);
  guint8 seed[20];
  unsigned int seed_len = 0;
  gboolean ok;

  memset (pace, 0, sizeof *pace);
  pace->info = *info;
  if ((pace->group = EC_GROUP_new_by_curve_name (info->nid)) == NULL)
    return FALSE;
  /* The password: K = SHA-1 (MRZ information), all 20 bytes; K.pi = KDF (K, 3). */
  ok = EVP_Digest (mrz, strlen (mrz), seed, &seed_len, EVP_sha1 (), NULL) &&
       _bhxh_chip_kdf (info->cipher, info->key_len, seed, seed_len, 3, pace->k_pi);
  explicit_bzero (seed, sizeof seed);
  explicit_bzero (mrz, strlen (mrz));
  return ok;
}

/* s = D (K.pi, z): AES in CBC mode with a zero IV. */
gboolean
_bhxh_chip_pace_nonce (BhxhChipPace *pace,
                       const guint8 *encrypted,
                       gsize         len)
{
  guint8 s[32];
  gboolean ok;

  if (len == 0 || len > sizeof s || len % 16 != 0)
    return FALSE;
  ok = _bhxh_chip_aes_cbc (pace->k_pi, pace->info.key_len, FALSE, NULL, encrypted, len, s);
  if (ok)
    {
      BN_clear_free (pace->nonce);
      pace->nonce = BN_bin2bn (s, len, NULL);
      ok = pace->nonce != NULL;
    }
  explicit_bzero (s, sizeof s);
  return ok;
}

/* PK.Map.IFD = SK.Map.IFD · G, a fresh key unless the tests set one. */
GBytes *
_bhxh_chip_pace_map_public (BhxhChipPace *pace)
{
  if (pace->map_key == NULL && (pace->map_key = _bhxh_chip_ec_random_key (pace->group)) == NULL)
    return NULL;
  return _bhxh_chip_ec_public (pace->group, NULL, pace->map_key);
}

/* The generic mapping: H = SK.Map.IFD · PK.Map.IC, G' = s · G + H. */
gboolean
_bhxh_chip_pace_map (BhxhChipPace *pace,
                     const guint8 *chip_map_public,
                     gsize         len)
{
  EC_POINT *chip = _bhxh_chip_ec_point (pace->group, chip_map_public, len);
  gboolean ok;

  if (chip == NULL || pace->nonce == NULL || pace->map_key == NULL)
    {
      EC_POINT_free (chip);
      return FALSE;
    }
  EC_POINT_clear_free (pace->h);
  EC_POINT_clear_free (pace->generator);
  pace->h = EC_POINT_new (pace->group);
  pace->generator = EC_POINT_new (pace->group);
  ok = pace->h != NULL && pace->generator != NULL &&
       EC_POINT_mul (pace->group, pace->h, NULL, chip, pace->map_key, NULL) &&
       !EC_POINT_is_at_infinity (pace->group, pace->h) &&
       EC_POINT_mul (pace->group, pace->generator, pace->nonce, NULL, NULL, NULL) &&
       EC_POINT_add (pace->group, pace->generator, pace->generator, pace->h, NULL) &&
       !EC_POINT_is_at_infinity (pace->group, pace->generator);
  EC_POINT_free (chip);
  return ok;
}

/* PK.IFD = SK.IFD · G'. */
GBytes *
_bhxh_chip_pace_eph_public (BhxhChipPace *pace)
{
  if (pace->generator == NULL)
    return NULL;
  if (pace->eph_key == NULL && (pace->eph_key = _bhxh_chip_ec_random_key (pace->group)) == NULL)
    return NULL;
  g_clear_pointer (&pace->eph_public, g_bytes_unref);
  pace->eph_public = _bhxh_chip_ec_public (pace->group, pace->generator, pace->eph_key);
  return pace->eph_public != NULL ? g_bytes_ref (pace->eph_public) : NULL;
}

/* K = x (SK.IFD · PK.IC); secure messaging with KDF (K, 1), KDF (K, 2). The
 * chip's key must differ from ours (a reflection). */
gboolean
_bhxh_chip_pace_agree (BhxhChipPace *pace,
                       const guint8 *chip_public,
                       gsize         len,
                       BhxhChipSM   *sm)
{
  const guint8 *own;
  gsize own_len;

  if (pace->eph_public == NULL || pace->eph_key == NULL)
    return FALSE;
  own = g_bytes_get_data (pace->eph_public, &own_len);
  if (len == own_len && memcmp (own, chip_public, len) == 0)
    return FALSE;
  g_clear_pointer (&pace->secret, g_bytes_unref);
  g_clear_pointer (&pace->chip_public, g_bytes_unref);
  if ((pace->secret = _bhxh_chip_ec_shared_x (pace->group, pace->eph_key, chip_public,
                                              len)) == NULL)
    return FALSE;
  pace->chip_public = g_bytes_new (chip_public, len);
  _bhxh_chip_sm_start (sm, pace->info.cipher, pace->info.key_len,
                       g_bytes_get_data (pace->secret, NULL), g_bytes_get_size (pace->secret));
  return TRUE;
}

/**
 * _bhxh_chip_pace_token:
 * @public_key: the other side's ephemeral public key
 *
 * The authentication token: CMAC (KSmac, 7F49 { 06 protocol, 86 point })
 * cut to 8 bytes (ICAO 9303 part 11 §4.4.3.4).
 */
gboolean
_bhxh_chip_pace_token (const BhxhChipPaceInfo *info,
                       const BhxhChipSM       *sm,
                       GBytes                 *public_key,
                       guint8                  token[8])
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) data = g_byte_array_new ();
  const guint8 *point;
  gsize len;

  point = g_bytes_get_data (public_key, &len);
  if (len > 0xff - 4 - info->oid_len)
    return FALSE;
  _bhxh_tlv_append (inner, 0x06, info->oid, info->oid_len);
  _bhxh_tlv_append (inner, 0x86, point, len);
  _bhxh_tlv_append (data, 0x7f49, inner->data, inner->len);
  return _bhxh_chip_cmac (sm->ks_mac, sm->key_len, data->data, data->len, token);
}

void
_bhxh_chip_pace_clear (BhxhChipPace *pace)
{
  BN_clear_free (pace->nonce);
  BN_clear_free (pace->map_key);
  BN_clear_free (pace->eph_key);
  EC_POINT_clear_free (pace->h);
  EC_POINT_clear_free (pace->generator);
  EC_GROUP_free (pace->group);
  g_clear_pointer (&pace->eph_public, g_bytes_unref);
  g_clear_pointer (&pace->chip_public, g_bytes_unref);
  g_clear_pointer (&pace->secret, g_bytes_unref);
  explicit_bzero (pace, sizeof *pace);
}
