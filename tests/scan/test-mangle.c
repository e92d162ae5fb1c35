/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "scan/bhxh-scan-error.h"
#include "scan/bhxh-scan-mangle.h"

#define GOOD "001090012345|123456789|Nguyễn Văn An|15031990|Nam|" \
             "Số 12 ngõ 34 Thái Hà, Trung Liệt, Đống Đa, Hà Nội|20042021"

static void
test_clean (void)
{
  const char *clean[] = {
    GOOD,
    "079305001234||Trần Thị Bích Ngọc|02112005|Nữ|Ấp Phước Lộc, Phước Kiển, Nhà Bè, "
    "Hồ Chí Minh|10082022",
    /* English words and "Q1" in an address are not input-method residue. */
    "001090012345||Lê Thị Hà|15031990|Nữ|Tòa Times City, Green Park, Q1, Hà Nội|20042021",
    /* Not the CCCD layout: a URL with '?' is fine. */
    "https://example.vn/verify?so=001090012345&x=ABC",
    "001090012345",
  };

  for (guint i = 0; i < G_N_ELEMENTS (clean); i++)
    {
      g_autoptr(GError) error = NULL;
      char *repaired = (char *) "unset";

      g_assert_cmpint (bhxh_scan_detect_mangling (clean[i], &repaired), ==,
                       BHXH_SCAN_MANGLE_NONE);
      g_assert_null (repaired);
      g_assert_true (bhxh_scan_check_typed (clean[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_telex (void)
{
  g_autoptr(GError) error = NULL;
  const char *telex = "001090012345|123456789|Nguyeenx Vawn An|15031990|Nam|"
                      "Soos 12 ngox 34 Thasi Haf, Haf Nooij|20042021";

  g_assert_cmpint (bhxh_scan_detect_mangling (telex, NULL) & BHXH_SCAN_MANGLE_TELEX, !=, 0);
  g_assert_cmpint (bhxh_scan_detect_mangling ("001090012345||Traanf Thij Lan|15031990|Nuwx|"
                                              "Hà Nội|20042021", NULL)
                   & BHXH_SCAN_MANGLE_TELEX, !=, 0);
  g_assert_false (bhxh_scan_check_typed (telex, &error));
  g_assert_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_MANGLED);
  /* The advice names the fix. */
  g_assert_nonnull (strstr (error->message, "English"));
}

static void
test_vni (void)
{
  const char *vni = "079305001234||Tra62n Thi5 Bi1ch Ngo5c|02112005|Nu74|"
                    "A61p Phu7o71c Lo65c, Nha2 Be2|10082022";

  g_assert_cmpint (bhxh_scan_detect_mangling (vni, NULL) & BHXH_SCAN_MANGLE_VNI, !=, 0);
  g_assert_cmpint (bhxh_scan_detect_mangling ("079305001234||Tran Thi Ngoc|02112005|Nu74|"
                                              "Nhà Bè|10082022", NULL)
                   & BHXH_SCAN_MANGLE_VNI, !=, 0);
}

static void
test_no_diacritics (void)
{
  g_autoptr(GError) error = NULL;
  const char *plain = "001090012345|123456789|Nguyen Van An|15031990|Nam|"
                      "So 12 ngo 34 Thai Ha, Trung Liet, Dong Da, Ha Noi|20042021";

  g_assert_cmpint (bhxh_scan_detect_mangling (plain, NULL), ==,
                   BHXH_SCAN_MANGLE_NO_DIACRITICS);
  /* "Nu" alone gives it away even with a diacritic-free name on a real card. */
  g_assert_cmpint (bhxh_scan_detect_mangling ("079305001234||Tran Thi Ngoc|02112005|Nu|"
                                              "Nhà Bè|10082022", NULL)
                   & BHXH_SCAN_MANGLE_NO_DIACRITICS, !=, 0);
  g_assert_false (bhxh_scan_check_typed (plain, &error));
  g_assert_nonnull (strstr (error->message, "serial"));
}

static void
test_replacement (void)
{
  g_assert_cmpint (bhxh_scan_detect_mangling ("001090012345||Nguy?n V?n An|15031990|Nam|"
                                              "H? N?i|20042021", NULL)
                   & BHXH_SCAN_MANGLE_REPLACEMENT, !=, 0);
  g_assert_cmpint (bhxh_scan_detect_mangling ("https://x.vn/\xef\xbf\xbd", NULL), ==,
                   BHXH_SCAN_MANGLE_REPLACEMENT);
}

static void
test_mojibake (void)
{
  g_autofree char *mangled = NULL;
  g_autofree char *repaired = NULL;
  GString *latin1 = g_string_new (NULL);

  /* Each byte of the UTF-8 payload read as one Latin-1/CP1252 character. */
  for (const guchar *p = (const guchar *) GOOD; *p; p++)
    {
      const gunichar cp1252[32] = {
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
      };

      g_string_append_unichar (latin1, *p >= 0x80 && *p < 0xA0 ? cp1252[*p - 0x80] : *p);
    }
  mangled = g_string_free (latin1, FALSE);
  g_assert_nonnull (strstr (mangled, "Nguyá»…n"));

  g_assert_cmpint (bhxh_scan_detect_mangling (mangled, &repaired), ==,
                   BHXH_SCAN_MANGLE_MOJIBAKE);
  g_assert_cmpstr (repaired, ==, GOOD);
  g_assert_nonnull (bhxh_scan_mangle_advice (BHXH_SCAN_MANGLE_MOJIBAKE));
  g_assert_null (bhxh_scan_mangle_advice (BHXH_SCAN_MANGLE_NONE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scan/mangle/clean", test_clean);
  g_test_add_func ("/scan/mangle/telex", test_telex);
  g_test_add_func ("/scan/mangle/vni", test_vni);
  g_test_add_func ("/scan/mangle/no-diacritics", test_no_diacritics);
  g_test_add_func ("/scan/mangle/replacement", test_replacement);
  g_test_add_func ("/scan/mangle/mojibake", test_mojibake);

  return g_test_run ();
}
