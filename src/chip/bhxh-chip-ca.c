/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "bhxh-chip-private.h"

/* DG14 (ICAO 9303 part 10 §4.7.14, part 11 §6.2, §9.2): the SecurityInfos
 * of chip authentication — ChipAuthenticationInfo (the protocol: ECDH with
 * 3DES or AES-128/192/256 secure messaging) and
 * ChipAuthenticationPublicKeyInfo (the chip's static key, its domain
 * parameters named or explicit) — and the ActiveAuthenticationInfo (the
 * signature algorithm of an ECDSA active authentication). DH chip
 * authentication is not supported (reported not checked). */

/* id-CA-ECDH: 0.4.0.127.0.7.2.2.3.2, then the cipher suite. */
static const guint8 ca_ecdh[] = { 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02 };
/* id-PK-ECDH: 0.4.0.127.0.7.2.2.1.2. */
static const guint8 pk_ecdh[] = { 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02 };
/* id-AA: 2.23.136.1.1.5. */
static const guint8 id_aa[] = { 0x67, 0x81, 0x08, 0x01, 0x01, 0x05 };
/* ecdsa-with-SHA1 1.2.840.10045.4.1 and ecdsa-with-SHA2 1.2.840.10045.4.3.x. */
static const guint8 ecdsa_sha1[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01 };
static const guint8 ecdsa_sha2[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03 };

static gboolean
oid_is (const BhxhChipSecurityInfo *info,
        const guint8               *oid,
        gsize                       len)
{
  return info->oid_len == len && memcmp (info->oid, oid, len) == 0;
}

static const char *
ecdsa_digest (const guint8 *oid,
              gsize         len)
{
  static const char *const sha2[] = { NULL, "SHA224", "SHA256", "SHA384", "SHA512" };

  if (len == sizeof ecdsa_sha1 && memcmp (oid, ecdsa_sha1, len) == 0)
    return "SHA1";
  if (len == sizeof ecdsa_sha2 + 1 && memcmp (oid, ecdsa_sha2, sizeof ecdsa_sha2) == 0 &&
      oid[len - 1] >= 1 && oid[len - 1] <= 4)
    return sha2[oid[len - 1]];
  return NULL;
}

/* SubjectPublicKeyInfo { AlgorithmIdentifier { OID, parameters }, BIT
 * STRING }: the parameters (a named curve, explicit ECParameters or a
 * standardized domain parameter id) and the point. */
static gboolean
parse_public_key (const guint8 *p,
                  const guint8 *end,
                  EC_GROUP    **group,
                  GBytes      **point)
{
  const guint8 *spki, *alg, *q, *params, *bits;
  gsize spki_len, alg_len, len, bits_len;
  guint tag;

  if (!_bhxh_tlv_next (&p, end, &tag, &spki, &spki_len) || tag != 0x30)
    return FALSE;
  q = spki;
  if (!_bhxh_tlv_next (&q, spki + spki_len, &tag, &alg, &alg_len) || tag != 0x30 ||
      !_bhxh_tlv_next (&q, spki + spki_len, &tag, &bits, &bits_len) || tag != 0x03 ||
      bits_len < 2 || bits[0] != 0x00)
    return FALSE;
  p = alg;
  if (!_bhxh_tlv_next (&p, alg + alg_len, &tag, &params, &len) || tag != 0x06 ||
      p >= alg + alg_len)
    return FALSE;
  params = p;
  if (*params == 0x02)
    {
      guint id;

      if (!_bhxh_chip_der_uint (&p, alg + alg_len, &id) ||
          _bhxh_chip_curve_of_parameter (id) == NID_undef)
        return FALSE;
      *group = EC_GROUP_new_by_curve_name (_bhxh_chip_curve_of_parameter (id));
    }
  else
    *group = d2i_ECPKParameters (NULL, &params, alg + alg_len - params);
  ERR_clear_error ();
  if (*group == NULL)
    return FALSE;
  *point = g_bytes_new (bits + 1, bits_len - 1);
  return TRUE;
}

/**
 * _bhxh_chip_parse_dg14:
 * @out: (out caller-allocates): the chip authentication offered (has_ca)
 *   and the active authentication's hash; clear with
 *   _bhxh_chip_dg14_clear()
 *
 * Returns: %FALSE with a %BHXH_CHIP_ERROR_FORMAT when DG14 is malformed
 */
gboolean
_bhxh_chip_parse_dg14 (GBytes        *dg14,
                       BhxhChipDg14  *out,
                       GError       **error)
{
  g_autoptr(GArray) infos = NULL;
  const BhxhChipSecurityInfo *ca = NULL;
  const guint8 *data, *p, *value;
  gsize size, len;
  guint tag, ca_key_id = 0;
  gboolean ca_has_key_id = FALSE;

  memset (out, 0, sizeof *out);
  data = g_bytes_get_data (dg14, &size);
  p = data;
  if (!_bhxh_tlv_next (&p, data + size, &tag, &value, &len) || tag != 0x6e ||
      (infos = _bhxh_chip_security_infos (value, len)) == NULL)
    {
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
                           _("The chip’s security information (DG14) is malformed"));
      return FALSE;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      const BhxhChipSecurityInfo *info = &g_array_index (infos, BhxhChipSecurityInfo, i);
      const guint8 *q = info->rest, *end = info->rest + info->rest_len;
      guint version;

      if (ca == NULL && info->oid_len == sizeof ca_ecdh + 1 &&
          memcmp (info->oid, ca_ecdh, sizeof ca_ecdh) == 0 &&
          info->oid[sizeof ca_ecdh] >= 1 && info->oid[sizeof ca_ecdh] <= 4 &&
          _bhxh_chip_der_uint (&q, end, &version) && (version == 1 || version == 2))
        {
          ca = info;
          ca_has_key_id = q < end && _bhxh_chip_der_uint (&q, end, &ca_key_id);
        }
      else if (oid_is (info, id_aa, sizeof id_aa) && _bhxh_chip_der_uint (&q, end, &version) &&
               _bhxh_tlv_next (&q, end, &tag, &value, &len) && tag == 0x06)
        out->aa_digest = ecdsa_digest (value, len);
    }

  /* The chip's key: the one the ChipAuthenticationInfo's keyId names, or
   * the first. */
  for (guint i = 0; ca != NULL && i < infos->len && !out->has_ca; i++)
    {
      const BhxhChipSecurityInfo *info = &g_array_index (infos, BhxhChipSecurityInfo, i);
      const guint8 *q = info->rest, *end = info->rest + info->rest_len, *key_end;
      EC_GROUP *group = NULL;
      GBytes *point = NULL;
      guint key_id = 0;
      gboolean has_key_id;

      if (!oid_is (info, pk_ecdh, sizeof pk_ecdh) ||
          !_bhxh_tlv_next (&q, end, &tag, &value, &len))
        continue;
      key_end = q;
      has_key_id = q < end && _bhxh_chip_der_uint (&q, end, &key_id);
      if (ca_has_key_id && (!has_key_id || key_id != ca_key_id))
        continue;
      if (!parse_public_key (info->rest, key_end, &group, &point))
        continue;
      out->has_ca = TRUE;
      memcpy (out->ca_oid, ca->oid, ca->oid_len);
      out->ca_oid_len = ca->oid_len;
      switch (ca->oid[sizeof ca_ecdh])
        {
        case 1:  out->cipher = BHXH_CHIP_CIPHER_3DES, out->key_len = 16; break;
        case 2:  out->cipher = BHXH_CHIP_CIPHER_AES, out->key_len = 16; break;
        case 3:  out->cipher = BHXH_CHIP_CIPHER_AES, out->key_len = 24; break;
        default: out->cipher = BHXH_CHIP_CIPHER_AES, out->key_len = 32; break;
        }
      out->has_key_id = has_key_id;
      out->key_id = key_id;
      out->group = group;
      out->chip_public = point;
    }
  return TRUE;
}

void
_bhxh_chip_dg14_clear (BhxhChipDg14 *dg14)
{
  EC_GROUP_free (dg14->group);
  g_clear_pointer (&dg14->chip_public, g_bytes_unref);
  memset (dg14, 0, sizeof *dg14);
}
