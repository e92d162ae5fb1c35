/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chip's files without a reader: the LDS parsers and passive
 * authentication on the files chip-mkcard writes (a synthetic person, a
 * test CSCA and Document Signer, fixed dates), at a pinned instant. */
#include "config.h"

#include <glib/gstdio.h>

#include "chip/bhxh-chip-private.h"
#include "chip-fixtures.h"

static char *tmp_dir;

static void
test_parse (void)
{
  g_autofree char *dir = chip_fixture_card (tmp_dir, "genuine");
  g_autoptr(GBytes) com = chip_fixture_file (dir, "com.bin");
  g_autoptr(GBytes) dg1 = chip_fixture_file (dir, "dg1.bin");
  g_autoptr(GBytes) dg2 = chip_fixture_file (dir, "dg2.bin");
  g_autoptr(GBytes) dg13 = chip_fixture_file (dir, "dg13.bin");
  g_autoptr(BhxhDocument) doc = bhxh_document_new (BHXH_DOCUMENT_CCCD_CHIP);
  g_autoptr(GArray) groups = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mrz = NULL;
  const char *type = NULL;

  groups = _bhxh_chip_parse_com (com, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 3);
  g_assert_cmpuint (g_array_index (groups, guint, 2), ==, 13);

  mrz = _bhxh_chip_parse_dg1 (dg1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mrz, ==, "IDVNM1880043211079188004321<<<\n8807124F2807122VNM<<<<<<<<<<<1\n"
                            "PHAM<<THI<THU<HA<<<<<<<<<<<<<<");

  g_assert_true (_bhxh_chip_parse_dg13 (dg13, doc, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (doc->id_number, ==, "079188004321");
  g_assert_cmpstr (doc->full_name, ==, "Phạm Thị Thu Hà");
  g_assert_cmpint (doc->sex, ==, BHXH_SEX_FEMALE);
  g_assert_cmpint (doc->birth_date.year, ==, 1988);
  g_assert_cmpint (doc->expiry_date.month, ==, 7);
  g_assert_cmpstr (doc->father_name, ==, "Phạm Văn Bình");
  g_assert_cmpstr (doc->mother_name, ==, "Lê Thị Cúc");
  g_assert_cmpstr (doc->religion, ==, "Không");
  g_assert_cmpstr (doc->personal_marks, ==, "Nốt ruồi C:2cm trên trước đầu lông mày trái");

  image = _bhxh_chip_parse_dg2 (dg2, &type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/jp2");
  {
    g_autoptr(GBytes) drawn = chip_fixture_file (dir, "portrait.jp2");

    g_assert_true (g_bytes_equal (image, drawn));
  }

  /* Truncated files are refused, not read past their end. */
  {
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (dg13, 0, g_bytes_get_size (dg13) - 7);
    g_autoptr(BhxhDocument) other = bhxh_document_new (BHXH_DOCUMENT_CCCD_CHIP);

    g_assert_false (_bhxh_chip_parse_dg13 (cut, other, &error));
    g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT);
  }
}

/* @trusted: the card whose test CSCA is trusted (each run of chip-mkcard
 * makes its own CSCA key). */
static void
check (const char     *variant,
       const char     *now_text,
       const char     *trusted,
       BhxhAuthResult  expected,
       const char     *reason)
{
  g_autofree char *dir = chip_fixture_card (tmp_dir, variant);
  g_autofree char *trusted_dir = chip_fixture_card (tmp_dir, trusted);
  g_autofree char *csca = g_build_filename (trusted_dir, "csca", NULL);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (NULL, NULL, NULL,
                                                        (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) sod = chip_fixture_file (dir, "sod.bin");
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (now_text, NULL);
  BhxhChipPassiveResult result;

  g_hash_table_insert (groups, GUINT_TO_POINTER (1), chip_fixture_file (dir, "dg1.bin"));
  g_hash_table_insert (groups, GUINT_TO_POINTER (13), chip_fixture_file (dir, "dg13.bin"));
  _bhxh_chip_passive_check (sod, groups, csca, now, &result);
  g_test_message ("%s: %s %s", variant, bhxh_auth_result_to_string (result.result),
                  result.reason ? result.reason : "");
  g_assert_cmpint (result.result, ==, expected);
  g_assert_cmpstr (result.reason, ==, reason);
  g_assert_cmpstr (result.signer, ==, "CN=Test Document Signer,O=Synthetic test authority,C=VN");
  _bhxh_chip_passive_result_clear (&result);
}

#define NOW "2026-11-23T09:00:00+07:00"

static void
test_passive (void)
{
  check ("genuine", NOW, "genuine", BHXH_AUTH_VALID, NULL);
  check ("altered-dg13", NOW, "altered-dg13", BHXH_AUTH_INVALID, "dg13-hash-mismatch");
  check ("expired-ds", NOW, "expired-ds", BHXH_AUTH_INVALID, "ds-expired");
  check ("unknown-csca", NOW, "unknown-csca", BHXH_AUTH_UNTRUSTED, "no-matching-csca");
  /* A trusted CSCA of the same name but another key did not sign this DS:
   * a forgery claiming a trusted issuer, not merely an unknown one. */
  check ("genuine", NOW, "expired-ds", BHXH_AUTH_INVALID, "ds-signature");
  /* Signed (2024-06-01) after the instant of the check: refused. */
  check ("genuine", "2024-01-01T09:00:00+07:00", "genuine", BHXH_AUTH_INVALID,
         "signing-time-in-future");
  /* Years after the DS expired, a card it signed while valid still is. */
  check ("genuine", "2039-06-01T09:00:00+07:00", "genuine", BHXH_AUTH_VALID, NULL);
}

static void
test_passive_malformed (void)
{
  g_autofree char *dir = chip_fixture_card (tmp_dir, "genuine");
  g_autoptr(GHashTable) groups = g_hash_table_new_full (NULL, NULL, NULL,
                                                        (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) sod = chip_fixture_file (dir, "sod.bin");
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (sod, 0, g_bytes_get_size (sod) / 2);
  g_autofree char *csca = g_build_filename (dir, "csca", NULL);
  BhxhChipPassiveResult result;

  _bhxh_chip_passive_check (cut, groups, csca, NULL, &result);
  g_assert_cmpint (result.result, ==, BHXH_AUTH_INVALID);
  g_assert_cmpstr (result.reason, ==, "sod-malformed");
  _bhxh_chip_passive_result_clear (&result);
}

/* DG14: chip authentication with 3DES and a key with explicit domain
 * parameters (ca), with AES-128 (pace-ca), the active authentication's
 * hash (aa-ec); its hash checks against the SOD like the other groups. */
static void
test_dg14 (void)
{
  static const struct
  {
    const char     *variant;
    gboolean        has_ca;
    BhxhChipCipher  cipher;
    const char     *aa_digest;
  } cases[] = {
    { "ca", TRUE, BHXH_CHIP_CIPHER_3DES, NULL },
    { "pace-ca", TRUE, BHXH_CHIP_CIPHER_AES, NULL },
    { "aa-ec", FALSE, BHXH_CHIP_CIPHER_3DES, "SHA384" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = chip_fixture_card (tmp_dir, cases[i].variant);
      g_autofree char *csca = g_build_filename (dir, "csca", NULL);
      g_autoptr(GBytes) dg14 = chip_fixture_file (dir, "dg14.bin");
      g_autoptr(GHashTable) groups = g_hash_table_new_full (NULL, NULL, NULL,
                                                            (GDestroyNotify) g_bytes_unref);
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-23T09:00:00+07:00",
                                                               NULL);
      g_autoptr(GBytes) sod = chip_fixture_file (dir, "sod.bin");
      g_autoptr(GError) error = NULL;
      BhxhChipPassiveResult passive = { 0 };
      BhxhChipDg14 info;

      g_assert_true (_bhxh_chip_parse_dg14 (dg14, &info, &error));
      g_assert_no_error (error);
      g_assert_cmpint (info.has_ca, ==, cases[i].has_ca);
      g_assert_cmpstr (info.aa_digest, ==, cases[i].aa_digest);
      if (info.has_ca)
        {
          g_assert_cmpint (info.cipher, ==, cases[i].cipher);
          g_assert_cmpuint (info.key_len, ==, 16);
          g_assert_cmpint (EC_GROUP_get_degree (info.group), ==, 256);
          g_assert_cmpuint (g_bytes_get_size (info.chip_public), ==, 65);
        }
      _bhxh_chip_dg14_clear (&info);

      g_hash_table_insert (groups, GUINT_TO_POINTER (14), g_bytes_ref (dg14));
      _bhxh_chip_passive_check (sod, groups, csca, now, &passive);
      g_assert_cmpint (passive.result, ==, BHXH_AUTH_VALID);
      _bhxh_chip_passive_result_clear (&passive);
    }

  /* Not a DG14. */
  {
    g_autoptr(GBytes) bad = g_bytes_new_static ("\x6e\x03\x30\x01\x00", 5);
    g_autoptr(GError) error = NULL;
    BhxhChipDg14 info;

    g_assert_false (_bhxh_chip_parse_dg14 (bad, &info, &error));
    g_assert_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT);
    _bhxh_chip_dg14_clear (&info);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("bhxh-chip-files-XXXXXX", NULL);
  g_test_add_func ("/chip/files/parse", test_parse);
  g_test_add_func ("/chip/files/passive", test_passive);
  g_test_add_func ("/chip/files/passive-malformed", test_passive_malformed);
  g_test_add_func ("/chip/files/dg14", test_dg14);
  status = g_test_run ();
  chip_fixture_rmtree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
