/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bhxh-chip-private.h"

/* Passive authentication (ICAO 9303 part 11 §5.1): EF.SOD is CMS
 * SignedData over an LDSSecurityObject (a hash algorithm and the hash of
 * each data group) signed by a Document Signer whose certificate the SOD
 * carries; the DS chains to a CSCA from the office's trust directory (data,
 * never compiled in) and was valid when it signed. */

#define OID_LDS_SECURITY_OBJECT "2.23.136.1.1.1"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CMS_ContentInfo, CMS_ContentInfo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE, X509_STORE_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_STORE_CTX, X509_STORE_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ASN1_OBJECT, ASN1_OBJECT_free)

static void
set_result (BhxhChipPassiveResult *out,
            BhxhAuthResult         result,
            const char            *reason)
{
  out->result = result;
  g_free (out->reason);
  out->reason = g_strdup (reason);
}

static char *
name_one_line (X509_NAME *name)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  char *data;
  long len;

  if (bio == NULL || X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253) < 0)
    return NULL;
  len = BIO_get_mem_data (bio, &data);
  return g_strndup (data, len);
}

/* Every certificate in the files of @dir, PEM (any number) or DER. */
static X509_STORE *
load_trust_store (const char *dir_path,
                  guint      *n_certs)
{
  g_autoptr(X509_STORE) store = X509_STORE_new ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (store == NULL || dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;
      g_autoptr(BIO) bio = NULL;
      X509 *cert;
      gboolean any = FALSE;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (path, &contents, &len, NULL) || len > G_MAXINT)
        continue;
      bio = BIO_new_mem_buf (contents, (int) len);
      while ((cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL)) != NULL)
        {
          any = TRUE;
          if (X509_STORE_add_cert (store, cert))
            (*n_certs)++;
          X509_free (cert);
        }
      if (!any)
        {
          const unsigned char *p = (const unsigned char *) contents;

          if ((cert = d2i_X509 (NULL, &p, (long) len)) != NULL)
            {
              if (X509_STORE_add_cert (store, cert))
                (*n_certs)++;
              X509_free (cert);
            }
        }
    }
  ERR_clear_error ();
  return g_steal_pointer (&store);
}

/* The hashes of an LDSSecurityObject: SEQUENCE { version INTEGER,
 * hashAlgorithm AlgorithmIdentifier, dataGroupHashValues SEQUENCE OF
 * SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING },
 * … }. Fills @hashes (number → GBytes). */
static const EVP_MD *
parse_lds_security_object (const guint8 *data,
                           gsize         len,
                           GHashTable   *hashes)
{
  const guint8 *p = data, *v, *seq, *alg, *list, *end;
  gsize vlen, seq_len, alg_len, list_len;
  guint tag;
  const unsigned char *oid_p;
  g_autoptr(ASN1_OBJECT) oid = NULL;

  if (!_bhxh_tlv_next (&p, data + len, &tag, &seq, &seq_len) || tag != 0x30)
    return NULL;
  p = seq, end = seq + seq_len;
  if (!_bhxh_tlv_next (&p, end, &tag, &v, &vlen) || tag != 0x02 ||
      !_bhxh_tlv_next (&p, end, &tag, &alg, &alg_len) || tag != 0x30 ||
      !_bhxh_tlv_next (&p, end, &tag, &list, &list_len) || tag != 0x30)
    return NULL;

  oid_p = alg;
  if (alg_len < 2 || alg[0] != 0x06 ||
      (oid = d2i_ASN1_OBJECT (NULL, &oid_p, (long) alg_len)) == NULL)
    return NULL;

  p = list, end = list + list_len;
  while (p < end)
    {
      const guint8 *q, *item, *num, *hash;
      gsize item_len, num_len, hash_len;

      if (!_bhxh_tlv_next (&p, end, &tag, &item, &item_len) || tag != 0x30)
        return NULL;
      q = item;
      if (!_bhxh_tlv_next (&q, item + item_len, &tag, &num, &num_len) || tag != 0x02 ||
          num_len != 1 ||
          !_bhxh_tlv_next (&q, item + item_len, &tag, &hash, &hash_len) || tag != 0x04)
        return NULL;
      g_hash_table_insert (hashes, GUINT_TO_POINTER (num[0]), g_bytes_new (hash, hash_len));
    }
  return EVP_get_digestbyobj (oid);
}

/* The read groups' hashes against the SOD's; the reason on a failure. */
static const char *
check_hashes (const guint8 *lds,
              gsize         lds_len,
              GHashTable   *groups,
              char        **reason)
{
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (NULL, NULL, NULL,
                                                        (GDestroyNotify) g_bytes_unref);
  const EVP_MD *md = parse_lds_security_object (lds, lds_len, hashes);
  GHashTableIter iter;
  gpointer key, value;

  if (md == NULL)
    return "sod-malformed";
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint number = GPOINTER_TO_UINT (key);
      GBytes *expected = g_hash_table_lookup (hashes, key);
      guint8 digest[EVP_MAX_MD_SIZE];
      unsigned int digest_len = 0;
      gsize file_len;
      const guint8 *file = g_bytes_get_data (value, &file_len);

      if (expected == NULL)
        {
          *reason = g_strdup_printf ("dg%u-hash-missing", number);
          return *reason;
        }
      if (!EVP_Digest (file, file_len, digest, &digest_len, md, NULL) ||
          digest_len != g_bytes_get_size (expected) ||
          CRYPTO_memcmp (digest, g_bytes_get_data (expected, NULL), digest_len) != 0)
        {
          *reason = g_strdup_printf ("dg%u-hash-mismatch", number);
          return *reason;
        }
    }
  return NULL;
}

/* The signing time the signer claims, else -1. */
static gint64
signing_time (CMS_ContentInfo *cms)
{
  STACK_OF (CMS_SignerInfo) *infos = CMS_get0_SignerInfos (cms);
  CMS_SignerInfo *si;
  int i;
  X509_ATTRIBUTE *attr;
  ASN1_TYPE *type;
  struct tm tm;

  if (infos == NULL || sk_CMS_SignerInfo_num (infos) != 1)
    return -1;
  si = sk_CMS_SignerInfo_value (infos, 0);
  i = CMS_signed_get_attr_by_NID (si, NID_pkcs9_signingTime, -1);
  if (i < 0 || (attr = CMS_signed_get_attr (si, i)) == NULL ||
      (type = X509_ATTRIBUTE_get0_type (attr, 0)) == NULL ||
      (type->type != V_ASN1_UTCTIME && type->type != V_ASN1_GENERALIZEDTIME) ||
      !ASN1_TIME_to_tm (type->value.utctime, &tm))
    return -1;
  return timegm (&tm);
}

/* The DS's chain to a CSCA at @when. */
static void
check_chain (X509                  *ds,
             const char            *csca_dir,
             gint64                 when,
             BhxhChipPassiveResult *out)
{
  guint n_certs = 0;
  g_autoptr(X509_STORE) store = load_trust_store (csca_dir, &n_certs);
  g_autoptr(X509_STORE_CTX) ctx = X509_STORE_CTX_new ();
  int err, depth;

  if (store == NULL || ctx == NULL || !X509_STORE_CTX_init (ctx, store, ds, NULL))
    {
      set_result (out, BHXH_AUTH_NOT_CHECKED, "trust-store-unreadable");
      return;
    }
  X509_STORE_CTX_set_time (ctx, 0, (time_t) when);
  if (X509_verify_cert (ctx) == 1)
    {
      set_result (out, BHXH_AUTH_VALID, NULL);
      return;
    }
  err = X509_STORE_CTX_get_error (ctx);
  depth = X509_STORE_CTX_get_error_depth (ctx);
  switch (err)
    {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      set_result (out, BHXH_AUTH_UNTRUSTED, "no-matching-csca");
      break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      set_result (out, BHXH_AUTH_INVALID, depth == 0 ? "ds-expired" : "csca-expired");
      break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      set_result (out, BHXH_AUTH_INVALID, depth == 0 ? "ds-not-yet-valid" : "csca-not-yet-valid");
      break;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      set_result (out, BHXH_AUTH_INVALID, "ds-signature");
      break;
    default:
      {
        g_autofree char *reason = g_strdup_printf ("ds-chain: %s",
                                                   X509_verify_cert_error_string (err));

        set_result (out, BHXH_AUTH_INVALID, reason);
      }
    }
}

/**
 * _bhxh_chip_passive_check:
 * @sod: EF.SOD as read
 * @groups: (element-type guint GBytes): the data groups read, by number
 * @csca_dir: the trust directory
 * @now: the instant of the check (the office's clock)
 *
 * Invalid when the SOD is malformed, its signature fails, a read group's
 * hash differs or is missing, the signing time is later than @now, or the
 * DS (or its CSCA) was not valid at the signing time (at @now when the SOD
 * gives none); untrusted when no CSCA in @csca_dir issued the DS.
 */
void
_bhxh_chip_passive_check (GBytes                *sod,
                          GHashTable            *groups,
                          const char            *csca_dir,
                          GDateTime             *now,
                          BhxhChipPassiveResult *out)
{
  g_autoptr(CMS_ContentInfo) cms = NULL;
  g_autoptr(BIO) content = BIO_new (BIO_s_mem ());
  g_autoptr(ASN1_OBJECT) lds_oid = OBJ_txt2obj (OID_LDS_SECURITY_OBJECT, 1);
  g_autofree char *reason = NULL;
  STACK_OF (X509) *certs = NULL;
  g_autoptr(X509) ds = NULL;
  const guint8 *value, *p;
  const guint8 *data = g_bytes_get_data (sod, NULL);
  gsize len, sod_len = g_bytes_get_size (sod);
  const char *failed;
  char *lds;
  long lds_len;
  gint64 when, now_unix;
  guint tag;

  memset (out, 0, sizeof *out);
  now_unix = now != NULL ? g_date_time_to_unix (now) : g_get_real_time () / G_USEC_PER_SEC;
  p = data;
  if (!_bhxh_tlv_next (&p, data + sod_len, &tag, &value, &len) || tag != 0x77 ||
      (cms = d2i_CMS_ContentInfo (NULL, &value, (long) len)) == NULL ||
      OBJ_cmp (CMS_get0_eContentType (cms), lds_oid) != 0 ||
      (certs = CMS_get1_certs (cms)) == NULL || sk_X509_num (certs) < 1)
    {
      if (certs != NULL)
        sk_X509_pop_free (certs, X509_free);
      set_result (out, BHXH_AUTH_INVALID, "sod-malformed");
      ERR_clear_error ();
      return;
    }
  ds = X509_dup (sk_X509_value (certs, 0));
  sk_X509_pop_free (certs, X509_free);
  out->signer = name_one_line (X509_get_subject_name (ds));

  if (CMS_verify (cms, NULL, NULL, NULL, content, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) != 1)
    {
      set_result (out, BHXH_AUTH_INVALID, "sod-signature");
      ERR_clear_error ();
      return;
    }
  /* The certificate that signed, should the SOD carry others (a link
   * certificate, the CSCA itself). */
  {
    STACK_OF (X509) *signers = CMS_get0_signers (cms);

    if (signers != NULL && sk_X509_num (signers) == 1)
      {
        X509_free (ds);
        ds = X509_dup (sk_X509_value (signers, 0));
        g_free (out->signer);
        out->signer = name_one_line (X509_get_subject_name (ds));
      }
    sk_X509_free (signers);
  }
  lds_len = BIO_get_mem_data (content, &lds);
  if ((failed = check_hashes ((const guint8 *) lds, lds_len, groups, &reason)) != NULL)
    {
      set_result (out, BHXH_AUTH_INVALID, failed);
      return;
    }
  when = signing_time (cms);
  if (when > now_unix)
    {
      set_result (out, BHXH_AUTH_INVALID, "signing-time-in-future");
      return;
    }
  check_chain (ds, csca_dir, when >= 0 ? when : now_unix, out);
  ERR_clear_error ();
}

void
_bhxh_chip_passive_result_clear (BhxhChipPassiveResult *result)
{
  g_clear_pointer (&result->reason, g_free);
  g_clear_pointer (&result->signer, g_free);
}
