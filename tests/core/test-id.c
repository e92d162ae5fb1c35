/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-id.h"

static void
test_structure (void)
{
  BhxhDate born_1990 = { 1990, 3, 15 }, born_2005 = { 2005, 11, 2 };

  g_assert_true (bhxh_id_number_is_valid ("001090012345"));
  g_assert_false (bhxh_id_number_is_valid ("00109001234"));
  g_assert_false (bhxh_id_number_is_valid ("00109001234X"));

  /* G = 0: 1900s, male; G = 3: 2000s, female */
  g_assert_cmpint (bhxh_id_number_check ("001090012345", &born_1990, BHXH_SEX_MALE), ==,
                   BHXH_ID_WARNING_NONE);
  g_assert_cmpint (bhxh_id_number_check ("079305001234", &born_2005, BHXH_SEX_FEMALE), ==,
                   BHXH_ID_WARNING_NONE);
  g_assert_cmpint (bhxh_id_number_check ("001090012345", &born_1990, BHXH_SEX_FEMALE), ==,
                   BHXH_ID_WARNING_SEX_MISMATCH);
  g_assert_cmpint (bhxh_id_number_check ("001091012345", &born_1990, BHXH_SEX_MALE), ==,
                   BHXH_ID_WARNING_BIRTH_YEAR);
  g_assert_cmpint (bhxh_id_number_check ("001290012345", &born_1990, BHXH_SEX_MALE), ==,
                   BHXH_ID_WARNING_BIRTH_YEAR);
  g_assert_cmpint (bhxh_id_number_check ("003090012345", &born_1990, BHXH_SEX_MALE), ==,
                   BHXH_ID_WARNING_UNKNOWN_PROVINCE);
  /* a prefix not starting with 0 is a country: no warning */
  g_assert_cmpint (bhxh_id_number_check ("840090012345", &born_1990, BHXH_SEX_UNKNOWN), ==,
                   BHXH_ID_WARNING_NONE);
}

static void
test_provinces (void)
{
  g_assert_cmpstr (bhxh_id_province_name ("001090012345"), ==, "Hà Nội");
  g_assert_cmpstr (bhxh_id_province_name ("079305001234"), ==, "TP Hồ Chí Minh");
  g_assert_cmpstr (bhxh_id_province_name ("096000000000"), ==, "Cà Mau");
  g_assert_null (bhxh_id_province_name ("003000000000"));
}

static void
test_warning_codes (void)
{
  g_autoptr(GPtrArray) codes =
    bhxh_id_warnings_to_codes (BHXH_ID_WARNING_SEX_MISMATCH | BHXH_ID_WARNING_UNKNOWN_PROVINCE);

  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, "id-sex-mismatch");
  g_assert_cmpstr (g_ptr_array_index (codes, 1), ==, "id-unknown-province");
  g_assert_cmpstr (bhxh_id_warning_code (BHXH_ID_WARNING_BIRTH_YEAR), ==,
                   "id-birth-year-mismatch");
  for (BhxhIdWarnings w = 1; w <= BHXH_ID_WARNING_LAST; w <<= 1)
    g_assert_nonnull (bhxh_id_warning_describe (w));
}

static void
test_codes (void)
{
  g_autofree char *code = bhxh_code_from_card_number ("DN4010112345678");
  g_autofree char *bad = bhxh_code_from_card_number ("DN9010112345678");
  BhxhSex sex;

  g_assert_cmpstr (code, ==, "0112345678");
  g_assert_null (bad);
  g_assert_true (bhxh_code_is_valid ("0112345678"));
  g_assert_false (bhxh_code_is_valid ("011234567"));
  /* Since 1 July 2025 the 12-digit ID number is the mã số BHXH. */
  g_assert_true (bhxh_code_is_valid ("001090012345"));
  g_assert_false (bhxh_code_is_valid ("00109001234"));
  g_assert_false (bhxh_code_is_valid ("0010900123456"));
  g_assert_true (bhxh_code_is_legacy ("0112345678"));
  g_assert_false (bhxh_code_is_legacy ("001090012345"));
  g_assert_true (bhxh_cmnd_is_valid ("123456789"));
  g_assert_false (bhxh_cmnd_is_valid ("12345678"));
  g_assert_true (bhxh_passport_is_valid ("C1234567"));
  g_assert_false (bhxh_passport_is_valid ("12345678"));

  g_assert_true (bhxh_sex_parse ("NỮ", &sex));
  g_assert_cmpint (sex, ==, BHXH_SEX_FEMALE);
  g_assert_true (bhxh_sex_parse ("nam", &sex));
  g_assert_cmpint (sex, ==, BHXH_SEX_MALE);
  g_assert_false (bhxh_sex_parse ("Khác", &sex));
}

/* The bounded sex check gives bhxh_sex_parse()'s answers. */
static void
test_sex_len (void)
{
  const char *texts[] = { "male", "Nam", "nam", "NAM", "M", "m", "female", "Nữ", "nữ", "NỮ",
                          "Nu\xCC\x9B\xCC\x83", "F", "f", "nu", "x", "", "Nam giới",
                          "a very long text that is no sex at all" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      BhxhSex a = BHXH_SEX_UNKNOWN, b = BHXH_SEX_UNKNOWN;
      gboolean ok_a = bhxh_sex_parse (texts[i], &a);
      gboolean ok_b = bhxh_sex_parse_len (texts[i], strlen (texts[i]), &b);

      g_assert_cmpint (ok_a, ==, ok_b);
      g_assert_cmpint (a, ==, b);
    }
  {
    BhxhSex sex;

    g_assert_true (bhxh_sex_parse_len ("Nam|rest", 3, &sex));
    g_assert_cmpint (sex, ==, BHXH_SEX_MALE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/id/structure", test_structure);
  g_test_add_func ("/id/provinces", test_provinces);
  g_test_add_func ("/id/warning-codes", test_warning_codes);
  g_test_add_func ("/id/codes", test_codes);
  g_test_add_func ("/id/sex-len", test_sex_len);

  return g_test_run ();
}
