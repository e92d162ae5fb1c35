/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chip-mkcard DIR VARIANT: the files of an emulated ID card for the chip
 * tests, for a synthetic person (never real data) — EF.COM, DG1 (a TD1
 * MRZ), DG2 (the demo's drawn face of the person, JPEG 2000), DG13 (Vietnam's fields),
 * EF.SOD signed by a Document Signer of a test CSCA made here — with the
 * trust directory DIR/csca, the card's QR (DIR/qr.txt) and its MRZ key
 * (DIR/mrz.txt). Every date is fixed: no output depends on today.
 *
 * VARIANT: genuine; altered-dg13 (DG13 changed after signing);
 * unknown-csca (signed under a CSCA not in DIR/csca); expired-ds (the DS
 * expired before the SOD's signing time); aa (with DG15, an RSA active
 * authentication key, its private half in DIR/aa-key.pem for the
 * emulator); aa-clone (the files of an aa card on a chip that holds
 * another private key: a copy); aa-ec, aa-ec-clone (the same with an EC
 * key, ECDSA with SHA-384 named by DG14's ActiveAuthenticationInfo);
 * pace, pace-p256 (EF.CardAccess, DIR/cardaccess.bin, offers
 * PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1, secp256r1);
 * pace-unsupported (it offers only the integrated mapping: BAC is used);
 * pace-refused (it offers PACE with AES-256, which the emulated chip then
 * refuses: BAC is used);
 * ca, ca-clone (DG14: chip authentication ECDH with 3DES, the chip's key
 * with explicit domain parameters, its private half in DIR/ca-key.pem;
 * the clone holds another); pace-ca (PACE, and chip authentication with
 * AES-128); jpeg-portrait (a genuine card whose DG2 holds a JPEG). The drawn
 * face is also left as DIR/portrait.jp2 and, for a declaration's photo,
 * DIR/portrait.jpg. */
#include "config.h"

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <openjpeg.h>

#include "demo/bhxh-demo-portrait.h"

#define ID_NUMBER   "079188004321"
#define FULL_NAME   "Phạm Thị Thu Hà"
#define ADDRESS     "Số 7 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh"
#define QR_PAYLOAD  ID_NUMBER "|025123456|" FULL_NAME "|12071988|Nữ|" ADDRESS "|05092021"
#define MRZ_KEY     "188004321:880712:280712"
#define SIGNING_TIME "20240601080000Z"

static void
check (int ok, const char *what)
{
  if (!ok)
    g_error ("chip-mkcard: %s failed", what);
}

/* A BER-TLV element. */
static void
tlv (GByteArray   *out,
     guint         tag,
     const guint8 *value,
     gsize         len)
{
  guint8 head[6];
  guint n = 0;

  if (tag > 0xff)
    head[n++] = tag >> 8;
  head[n++] = tag & 0xff;
  if (len < 0x80)
    head[n++] = len;
  else if (len < 0x100)
    head[n++] = 0x81, head[n++] = len;
  else
    head[n++] = 0x82, head[n++] = len >> 8, head[n++] = len & 0xff;
  g_byte_array_append (out, head, n);
  g_byte_array_append (out, value, len);
}

static void
tlv_array (GByteArray *out,
           guint       tag,
           GByteArray *inner)
{
  tlv (out, tag, inner->data, inner->len);
}

static void
dg13_field (GByteArray *out,
            guint8      number,
            const char *value)
{
  g_autoptr(GByteArray) seq = g_byte_array_new ();
  guint8 integer[] = { 0x02, 0x01, number };

  g_byte_array_append (seq, integer, sizeof integer);
  tlv (seq, 0x0c, (const guint8 *) value, strlen (value));
  tlv_array (out, 0x30, seq);
}

static GByteArray *
make_dg13 (const char *full_name)
{
  g_autoptr(GByteArray) fields = g_byte_array_new ();
  g_autoptr(GByteArray) parents = g_byte_array_new ();
  g_autoptr(GByteArray) father = g_byte_array_new ();
  g_autoptr(GByteArray) mother = g_byte_array_new ();
  GByteArray *dg13 = g_byte_array_new ();
  static const guint8 parents_number[] = { 0x02, 0x01, 0x0d };

  dg13_field (fields, 1, ID_NUMBER);
  dg13_field (fields, 2, full_name);
  dg13_field (fields, 3, "12/07/1988");
  dg13_field (fields, 4, "Nữ");
  dg13_field (fields, 5, "Việt Nam");
  dg13_field (fields, 6, "Kinh");
  dg13_field (fields, 7, "Không");
  dg13_field (fields, 8, "Xã Tân Phú, Huyện Đức Hòa, Long An");
  dg13_field (fields, 9, ADDRESS);
  dg13_field (fields, 10, "Nốt ruồi C:2cm trên trước đầu lông mày trái");
  dg13_field (fields, 11, "05/09/2021");
  dg13_field (fields, 12, "12/07/2028");
  /* Parents: one field, each name in its own sequence. */
  g_byte_array_append (parents, parents_number, sizeof parents_number);
  tlv (father, 0x0c, (const guint8 *) "Phạm Văn Bình", strlen ("Phạm Văn Bình"));
  tlv (mother, 0x0c, (const guint8 *) "Lê Thị Cúc", strlen ("Lê Thị Cúc"));
  tlv_array (parents, 0x30, father);
  tlv_array (parents, 0x30, mother);
  tlv_array (fields, 0x30, parents);
  dg13_field (fields, 14, "Trần Minh Đức");
  dg13_field (fields, 15, "025123456");
  tlv_array (dg13, 0x6d, fields);
  return dg13;
}

static GByteArray *
make_dg1 (void)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  GByteArray *dg1 = g_byte_array_new ();
  const char *mrz =
    "IDVNM1880043211079188004321<<<"
    "8807124F2807122VNM<<<<<<<<<<<1"
    "PHAM<<THI<THU<HA<<<<<<<<<<<<<<";

  g_assert (strlen (mrz) == 90);
  tlv (inner, 0x5f1f, (const guint8 *) mrz, 90);
  tlv_array (dg1, 0x61, inner);
  return dg1;
}

/* The face as a JP2 file, lossy, about 15 kB as on real cards. */
static GByteArray *
encode_jp2 (const guint8 *rgb,
            const char   *dir)
{
  g_autofree char *path = g_build_filename (dir, "portrait.jp2", NULL);
  opj_cparameters_t params;
  opj_image_cmptparm_t comps[3];
  opj_image_t *image;
  opj_codec_t *codec;
  opj_stream_t *stream;
  gchar *data = NULL;
  gsize len = 0;

  opj_set_default_encoder_parameters (&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = 15;
  params.cp_disto_alloc = 1;
  params.irreversible = 1;
  params.tcp_mct = 1;
  memset (comps, 0, sizeof comps);
  for (guint c = 0; c < 3; c++)
    comps[c] = (opj_image_cmptparm_t) { .dx = 1, .dy = 1, .w = BHXH_DEMO_PORTRAIT_WIDTH,
                                        .h = BHXH_DEMO_PORTRAIT_HEIGHT,
                                        .prec = 8, .sgnd = 0 };
  image = opj_image_create (3, comps, OPJ_CLRSPC_SRGB);
  check (image != NULL, "opj_image_create");
  image->x1 = BHXH_DEMO_PORTRAIT_WIDTH;
  image->y1 = BHXH_DEMO_PORTRAIT_HEIGHT;
  for (guint i = 0; i < BHXH_DEMO_PORTRAIT_WIDTH * BHXH_DEMO_PORTRAIT_HEIGHT; i++)
    for (guint c = 0; c < 3; c++)
      image->comps[c].data[i] = rgb[i * 3 + c];
  codec = opj_create_compress (OPJ_CODEC_JP2);
  stream = opj_stream_create_default_file_stream (path, OPJ_FALSE);
  check (codec != NULL && stream != NULL && opj_setup_encoder (codec, &params, image) &&
         opj_start_compress (codec, image, stream) && opj_encode (codec, stream) &&
         opj_end_compress (codec, stream), "JPEG 2000 encoding");
  opj_stream_destroy (stream);
  opj_destroy_codec (codec);
  opj_image_destroy (image);
  check (g_file_get_contents (path, &data, &len, NULL), "reading portrait.jp2");
  return g_byte_array_new_take ((guint8 *) data, len);
}

static GByteArray *
jpeg_array (void)
{
  g_autoptr(GBytes) jpeg = bhxh_demo_portrait_jpeg (ID_NUMBER, BHXH_SEX_FEMALE, FULL_NAME);

  return g_bytes_unref_to_array (g_steal_pointer (&jpeg));
}

static void
put_be (guint8 *p, guint value, guint n)
{
  for (guint i = 0; i < n; i++)
    p[i] = value >> (8 * (n - 1 - i));
}

/* DG2: the image in an ISO/IEC 19794-5 facial record (one face, no
 * feature points) in a CBEFF biometric information template. */
static GByteArray *
make_dg2 (const char *dir,
          gboolean    jpeg)
{
  g_autofree guint8 *rgb = bhxh_demo_portrait_draw (ID_NUMBER, BHXH_SEX_FEMALE, FULL_NAME);
  g_autoptr(GByteArray) image = jpeg ? jpeg_array () : encode_jp2 (rgb, dir);
  g_autoptr(GByteArray) bdb = g_byte_array_new ();
  g_autoptr(GByteArray) bit = g_byte_array_new ();
  g_autoptr(GByteArray) group = g_byte_array_new ();
  GByteArray *dg2 = g_byte_array_new ();
  static const guint8 header[] = { 0x87, 0x02, 0x01, 0x01, 0x88, 0x02, 0x05, 0x01 };
  static const guint8 count[] = { 0x02, 0x01, 0x01 };
  guint8 fac[46] = { 'F', 'A', 'C', 0, '0', '1', '0', 0 };

  put_be (fac + 8, sizeof fac + image->len, 4);    /* the record's length */
  put_be (fac + 12, 1, 2);                         /* one face */
  put_be (fac + 14, sizeof fac - 14 + image->len, 4);
  fac[20] = 2;                                     /* sex: female */
  fac[34] = 1;                                     /* full frontal */
  fac[35] = jpeg ? 0 : 1;                          /* JPEG or JPEG 2000 */
  put_be (fac + 36, BHXH_DEMO_PORTRAIT_WIDTH, 2);
  put_be (fac + 38, BHXH_DEMO_PORTRAIT_HEIGHT, 2);
  fac[40] = 1;                                     /* sRGB */
  g_byte_array_append (bdb, fac, sizeof fac);
  g_byte_array_append (bdb, image->data, image->len);
  tlv (bit, 0xa1, header, sizeof header);
  tlv_array (bit, 0x5f2e, bdb);
  g_byte_array_append (group, count, sizeof count);
  tlv_array (group, 0x7f60, bit);
  {
    g_autoptr(GByteArray) outer = g_byte_array_new ();

    tlv_array (outer, 0x7f61, group);
    tlv_array (dg2, 0x75, outer);
  }
  return dg2;
}

static GByteArray *
make_com (gboolean with_dg14,
          gboolean with_dg15)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) list = g_byte_array_new ();
  GByteArray *com = g_byte_array_new ();
  static const guint8 tags[] = { 0x61, 0x75, 0x6d };

  g_byte_array_append (list, tags, sizeof tags);
  if (with_dg14)
    g_byte_array_append (list, (const guint8 *) "\x6e", 1);
  if (with_dg15)
    g_byte_array_append (list, (const guint8 *) "\x6f", 1);
  tlv (inner, 0x5f01, (const guint8 *) "0107", 4);
  tlv (inner, 0x5f36, (const guint8 *) "040000", 6);
  tlv (inner, 0x5c, list->data, list->len);
  tlv_array (com, 0x60, inner);
  return com;
}

static void
add_hash (GByteArray *list,
          guint8      number,
          GByteArray *file)
{
  g_autoptr(GByteArray) item = g_byte_array_new ();
  guint8 integer[] = { 0x02, 0x01, number };
  guint8 digest[32];
  unsigned int n = 0;

  check (EVP_Digest (file->data, file->len, digest, &n, EVP_sha256 (), NULL), "digest");
  g_byte_array_append (item, integer, sizeof integer);
  tlv (item, 0x04, digest, n);
  tlv_array (list, 0x30, item);
}

static EVP_PKEY *
new_key (void)
{
  EVP_PKEY *key = EVP_EC_gen ("P-256");

  check (key != NULL, "key generation");
  return key;
}

static void
add_ext (X509       *cert,
         X509       *issuer,
         int         nid,
         const char *value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;

  X509V3_set_ctx (&ctx, issuer, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  check (ext != NULL && X509_add_ext (cert, ext, -1), "extension");
  X509_EXTENSION_free (ext);
}

static X509 *
new_cert (const char *cn,
          long        serial,
          const char *not_before,
          const char *not_after,
          EVP_PKEY   *key,
          X509       *issuer,
          EVP_PKEY   *issuer_key)
{
  X509 *cert = X509_new ();
  X509_NAME *name = X509_NAME_new ();

  X509_NAME_add_entry_by_txt (name, "C", MBSTRING_ASC, (const guint8 *) "VN", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_ASC,
                              (const guint8 *) "Synthetic test authority", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC, (const guint8 *) cn, -1, -1, 0);
  check (X509_set_version (cert, 2), "version");
  ASN1_INTEGER_set (X509_get_serialNumber (cert), serial);
  X509_set_subject_name (cert, name);
  X509_set_issuer_name (cert, issuer != NULL ? X509_get_subject_name (issuer) : name);
  check (ASN1_TIME_set_string_X509 (X509_getm_notBefore (cert), not_before) &&
         ASN1_TIME_set_string_X509 (X509_getm_notAfter (cert), not_after), "validity");
  X509_set_pubkey (cert, key);
  if (issuer == NULL)
    {
      add_ext (cert, cert, NID_basic_constraints, "critical,CA:TRUE");
      add_ext (cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    }
  else
    add_ext (cert, issuer, NID_key_usage, "critical,digitalSignature");
  check (X509_sign (cert, issuer_key != NULL ? issuer_key : key, EVP_sha256 ()) > 0, "sign");
  X509_NAME_free (name);
  return cert;
}

static GByteArray *
make_sod (GByteArray *lds,
          X509       *ds,
          EVP_PKEY   *ds_key)
{
  CMS_ContentInfo *cms = CMS_sign (NULL, NULL, NULL, NULL, CMS_PARTIAL | CMS_BINARY);
  ASN1_OBJECT *type = OBJ_txt2obj ("2.23.136.1.1.1", 1);
  ASN1_TIME *when = ASN1_TIME_new ();
  CMS_SignerInfo *si;
  BIO *in = BIO_new_mem_buf (lds->data, lds->len);
  guint8 *der = NULL;
  int der_len;
  GByteArray *sod = g_byte_array_new ();

  check (cms != NULL && CMS_set1_eContentType (cms, type), "content type");
  si = CMS_add1_signer (cms, ds, ds_key, EVP_sha256 (), CMS_BINARY | CMS_PARTIAL);
  check (si != NULL, "signer");
  /* A fixed signing time (CMS_final adds the current time only when absent). */
  check (ASN1_TIME_set_string_X509 (when, SIGNING_TIME) &&
         CMS_signed_add1_attr_by_NID (si, NID_pkcs9_signingTime, when->type, when, -1),
         "signing time");
  check (CMS_final (cms, in, NULL, CMS_BINARY), "final");
  der_len = i2d_CMS_ContentInfo (cms, &der);
  check (der_len > 0, "encoding");
  tlv (sod, 0x77, der, der_len);
  OPENSSL_free (der);
  BIO_free (in);
  ASN1_TIME_free (when);
  ASN1_OBJECT_free (type);
  CMS_ContentInfo_free (cms);
  return sod;
}

static void
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, data, len, &error))
    g_error ("%s", error->message);
}

/* DG15: the active authentication key's SubjectPublicKeyInfo. */
static GByteArray *
make_dg15 (EVP_PKEY *key)
{
  GByteArray *dg15 = g_byte_array_new ();
  guint8 *der = NULL;
  int len = i2d_PUBKEY (key, &der);

  check (len > 0, "DG15");
  tlv (dg15, 0x6f, der, len);
  OPENSSL_free (der);
  return dg15;
}

/* EF.CardAccess: one PACEInfo (version 2), id-PACE's @mapping and
 * cipher @suite arcs and a standardized domain parameter id. */
static GByteArray *
make_card_access (guint8 mapping,
                  guint8 suite,
                  guint8 parameter_id)
{
  g_autoptr(GByteArray) info = g_byte_array_new ();
  g_autoptr(GByteArray) set = g_byte_array_new ();
  GByteArray *file = g_byte_array_new ();
  guint8 oid[] = { 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, mapping, suite };
  guint8 numbers[] = { 0x02, 0x01, 0x02, 0x02, 0x01, parameter_id };

  tlv (info, 0x06, oid, sizeof oid);
  g_byte_array_append (info, numbers, sizeof numbers);
  tlv_array (set, 0x30, info);
  tlv_array (file, 0x31, set);
  return file;
}

/* DG14: ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo when
 * @ca_key (@ca_suite: 1 3DES, 2 AES-128), ActiveAuthenticationInfo
 * (ecdsa-with-SHA384) when @aa_info. */
static GByteArray *
make_dg14 (EVP_PKEY *ca_key,
           gboolean  explicit_parameters,
           guint8    ca_suite,
           gboolean  aa_info)
{
  g_autoptr(GByteArray) set = g_byte_array_new ();
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  GByteArray *dg14 = g_byte_array_new ();
  static const guint8 version1[] = { 0x02, 0x01, 0x01 };

  if (ca_key != NULL)
    {
      g_autoptr(GByteArray) info = g_byte_array_new ();
      g_autoptr(GByteArray) key_info = g_byte_array_new ();
      guint8 ca_oid[] = { 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, ca_suite };
      static const guint8 pk_oid[] = { 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x01, 0x02 };
      EVP_PKEY *key = EVP_PKEY_dup (ca_key);
      guint8 *der = NULL;
      int len;

      /* The chip's copy (ca-key.pem) names its curve, for the emulator. */
      check (key != NULL, "copying a key");
      if (explicit_parameters)
        check (EVP_PKEY_set_utf8_string_param (key, OSSL_PKEY_PARAM_EC_ENCODING,
                                               OSSL_PKEY_EC_ENCODING_EXPLICIT),
               "explicit parameters");
      len = i2d_PUBKEY (key, &der);
      EVP_PKEY_free (key);
      check (len > 0, "DG14's key");
      tlv (info, 0x06, ca_oid, sizeof ca_oid);
      g_byte_array_append (info, version1, sizeof version1);
      tlv_array (set, 0x30, info);
      tlv (key_info, 0x06, pk_oid, sizeof pk_oid);
      g_byte_array_append (key_info, der, len);
      tlv_array (set, 0x30, key_info);
      OPENSSL_free (der);
    }
  if (aa_info)
    {
      g_autoptr(GByteArray) info = g_byte_array_new ();
      static const guint8 aa_oid[] = { 0x67, 0x81, 0x08, 0x01, 0x01, 0x05 };
      static const guint8 sha384[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };

      tlv (info, 0x06, aa_oid, sizeof aa_oid);
      g_byte_array_append (info, version1, sizeof version1);
      tlv (info, 0x06, sha384, sizeof sha384);
      tlv_array (set, 0x30, info);
    }
  tlv_array (inner, 0x31, set);
  tlv_array (dg14, 0x6e, inner);
  return dg14;
}

static EVP_PKEY *
new_ec_key (const char *curve)
{
  EVP_PKEY *key = EVP_EC_gen (curve);

  check (key != NULL, "EC key generation");
  return key;
}

static void
write_key (const char *dir,
           const char *name,
           EVP_PKEY   *key)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "w");

  check (f != NULL && PEM_write_PrivateKey (f, key, NULL, NULL, 0, NULL, NULL),
         "writing a key");
  fclose (f);
}

static void
write_cert (const char *dir,
            const char *name,
            X509       *cert)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "w");

  check (f != NULL && PEM_write_X509 (f, cert), "writing a certificate");
  fclose (f);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GByteArray) com = NULL, dg1 = NULL, dg2 = NULL, dg13 = NULL, sod = NULL;
  g_autoptr(GByteArray) dg14 = NULL, dg15 = NULL, card_access = NULL;
  EVP_PKEY *aa_key = NULL, *chip_key = NULL, *ca_key = NULL, *ca_chip_key = NULL;
  gboolean aa, aa_ec, ca, clone;
  guint8 ca_suite = 0;
  g_autoptr(GByteArray) list = g_byte_array_new ();
  g_autoptr(GByteArray) alg = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) lds = g_byte_array_new ();
  g_autofree char *csca_dir = NULL;
  static const guint8 sha256_oid[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                                       0x02, 0x01, 0x05, 0x00 };
  static const guint8 version[] = { 0x02, 0x01, 0x00 };
  static const char *const variants[] = {
    "genuine", "altered-dg13", "unknown-csca", "expired-ds", "aa", "aa-clone", "aa-ec",
    "aa-ec-clone", "pace", "pace-p256", "pace-unsupported", "pace-refused", "ca", "ca-clone",
    "pace-ca", "jpeg-portrait", NULL
  };
  const char *variant;
  EVP_PKEY *csca_key, *other_key, *ds_key;
  X509 *csca, *other, *ds;

  if (argc != 3 || !g_strv_contains (variants, argv[2]))
    {
      g_autofree char *names = g_strjoinv ("|", (char **) variants);

      g_printerr ("usage: chip-mkcard DIR %s\n", names);
      return 2;
    }
  variant = argv[2];
  clone = g_str_has_suffix (variant, "-clone");
  aa_ec = g_str_has_prefix (variant, "aa-ec");
  aa = g_str_has_prefix (variant, "aa");
  ca = g_str_equal (variant, "ca") || g_str_equal (variant, "ca-clone") ||
       g_str_equal (variant, "pace-ca");
  ca_suite = g_str_equal (variant, "pace-ca") ? 2 : 1;
  csca_dir = g_build_filename (argv[1], "csca", NULL);
  g_mkdir_with_parents (csca_dir, 0700);

  com = make_com (ca || aa_ec, aa);
  dg1 = make_dg1 ();
  dg2 = make_dg2 (argv[1], g_str_equal (variant, "jpeg-portrait"));
  dg13 = make_dg13 (FULL_NAME);
  if (g_str_equal (variant, "pace") || g_str_equal (variant, "pace-ca"))
    card_access = make_card_access (0x02, 0x02, 13);   /* ECDH-GM-AES-128, brainpoolP256r1 */
  else if (g_str_equal (variant, "pace-p256"))
    card_access = make_card_access (0x02, 0x02, 12);   /* ECDH-GM-AES-128, secp256r1 */
  else if (g_str_equal (variant, "pace-unsupported"))
    card_access = make_card_access (0x04, 0x02, 13);   /* ECDH-IM: not supported */
  else if (g_str_equal (variant, "pace-refused"))
    card_access = make_card_access (0x02, 0x04, 13);   /* ECDH-GM-AES-256: the chip refuses */

  g_byte_array_append (alg, sha256_oid, sizeof sha256_oid);
  add_hash (list, 1, dg1);
  add_hash (list, 2, dg2);
  add_hash (list, 13, dg13);
  if (ca)
    {
      /* The 3DES card's key comes with explicit domain parameters. */
      ca_key = new_ec_key ("brainpoolP256r1");
      ca_chip_key = clone ? new_ec_key ("brainpoolP256r1") : ca_key;
    }
  if (ca || aa_ec)
    {
      dg14 = make_dg14 (ca_key, ca_suite == 1, ca_suite, aa_ec);
      add_hash (list, 14, dg14);
    }
  if (aa)
    {
      if (aa_ec)
        aa_key = new_ec_key ("P-256");
      else
        aa_key = EVP_RSA_gen (1024);
      check (aa_key != NULL, "key generation");
      /* A copy: the files of a genuine card, another key in the chip. */
      if (!clone)
        chip_key = aa_key;
      else
        chip_key = aa_ec ? new_ec_key ("P-256") : EVP_RSA_gen (1024);
      check (chip_key != NULL, "key generation");
      dg15 = make_dg15 (aa_key);
      add_hash (list, 15, dg15);
    }
  g_byte_array_append (body, version, sizeof version);
  tlv_array (body, 0x30, alg);
  tlv_array (body, 0x30, list);
  tlv_array (lds, 0x30, body);

  csca_key = new_key ();
  other_key = new_key ();
  ds_key = new_key ();
  csca = new_cert ("Test CSCA Viet Nam", 1, "20200101000000Z", "20400101000000Z",
                   csca_key, NULL, NULL);
  other = new_cert ("Unknown CSCA", 2, "20200101000000Z", "20400101000000Z",
                    other_key, NULL, NULL);
  if (g_str_equal (variant, "unknown-csca"))
    ds = new_cert ("Test Document Signer", 11, "20230101000000Z", "20330101000000Z",
                   ds_key, other, other_key);
  else if (g_str_equal (variant, "expired-ds"))
    ds = new_cert ("Test Document Signer", 12, "20190101000000Z", "20201231000000Z",
                   ds_key, csca, csca_key);
  else
    ds = new_cert ("Test Document Signer", 10, "20230101000000Z", "20330101000000Z",
                   ds_key, csca, csca_key);
  sod = make_sod (lds, ds, ds_key);

  if (g_str_equal (variant, "altered-dg13"))
    {
      g_byte_array_unref (dg13);
      dg13 = make_dg13 ("Phạm Thị Thu Hằng");
    }

  write_file (argv[1], "com.bin", com->data, com->len);
  write_file (argv[1], "dg1.bin", dg1->data, dg1->len);
  write_file (argv[1], "dg2.bin", dg2->data, dg2->len);
  write_file (argv[1], "dg13.bin", dg13->data, dg13->len);
  write_file (argv[1], "sod.bin", sod->data, sod->len);
  write_file (argv[1], "qr.txt", QR_PAYLOAD, strlen (QR_PAYLOAD));
  write_file (argv[1], "mrz.txt", MRZ_KEY, strlen (MRZ_KEY));
  {
    /* The same face as a JPEG: the photo of the person's declaration in
     * the screenshots. */
    g_autoptr(GBytes) photo = bhxh_demo_portrait_jpeg (ID_NUMBER, BHXH_SEX_FEMALE, FULL_NAME);

    write_file (argv[1], "portrait.jpg", g_bytes_get_data (photo, NULL),
                g_bytes_get_size (photo));
  }
  write_cert (csca_dir, "csca.pem", csca);
  if (card_access != NULL)
    write_file (argv[1], "cardaccess.bin", card_access->data, card_access->len);
  if (dg14 != NULL)
    write_file (argv[1], "dg14.bin", dg14->data, dg14->len);
  if (ca)
    {
      write_key (argv[1], "ca-key.pem", ca_chip_key);
      if (ca_chip_key != ca_key)
        EVP_PKEY_free (ca_chip_key);
      EVP_PKEY_free (ca_key);
    }
  if (aa)
    {
      write_file (argv[1], "dg15.bin", dg15->data, dg15->len);
      write_key (argv[1], "aa-key.pem", chip_key);
      if (aa_ec)
        write_file (argv[1], "aa-hash.txt", "sha384", 6);
      if (chip_key != aa_key)
        EVP_PKEY_free (chip_key);
      EVP_PKEY_free (aa_key);
    }

  X509_free (csca);
  X509_free (other);
  X509_free (ds);
  EVP_PKEY_free (csca_key);
  EVP_PKEY_free (other_key);
  EVP_PKEY_free (ds_key);
  return 0;
}
