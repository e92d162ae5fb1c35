/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-error.h"
#include "core/bhxh-text.h"

static void
test_from_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nfd = g_utf8_normalize ("Nguyễn Thị Nữ", -1, G_NORMALIZE_NFD);
  g_autofree char *with_bom = g_strconcat ("\xEF\xBB\xBF", nfd, NULL);
  g_autofree char *text = NULL;

  text = bhxh_text_from_bytes (with_bom, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Nguyễn Thị Nữ");

  g_clear_pointer (&text, g_free);
  text = bhxh_text_from_bytes ("N\xE1\xBB", -1, &error);
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_INVALID_UTF8);
  g_assert_null (text);
  g_clear_error (&error);

  text = bhxh_text_from_bytes ("abc\0def", 7, &error);
  g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_NUL_BYTE);
  g_assert_null (text);
}

static void
test_normalize (void)
{
  g_autofree char *a = bhxh_text_normalize ("  Trần \t Thị\u00A0 Bích   Ngọc \r\n");
  g_autofree char *b = bhxh_text_collapse ("");
  g_autofree char *c = bhxh_text_normalize (NULL);

  g_assert_cmpstr (a, ==, "Trần Thị Bích Ngọc");
  {
    g_autofree char *zw = bhxh_text_collapse ("Ng\u200Bọc \uFEFFAnh");

    g_assert_cmpstr (zw, ==, "Ngọc Anh");
  }
  g_assert_cmpstr (b, ==, "");
  g_assert_null (c);
}

static void
test_equivalence_key (void)
{
  const char *pairs[][2] = {
    { "Thủy", "Thuỷ" },
    { "Hòa", "Hoà" },
    { "Khỏe", "Khoẻ" },
    { "NGUYỄN VĂN AN", "nguyễn văn an" },
    { "Lê  Thị Thúy", "lê thị thuý" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *a = bhxh_text_equivalence_key (pairs[i][0]);
      g_autofree char *b = bhxh_text_equivalence_key (pairs[i][1]);

      g_assert_cmpstr (a, ==, b);
    }

  {
    g_autofree char *a = bhxh_text_equivalence_key ("An");
    g_autofree char *b = bhxh_text_equivalence_key ("Ân");
    g_autofree char *c = bhxh_text_equivalence_key ("Hòa");
    g_autofree char *d = bhxh_text_equivalence_key ("Hóa");

    g_assert_cmpstr (a, !=, b);
    g_assert_cmpstr (c, !=, d);
  }
}

static void
test_fold (void)
{
  g_autofree char *a = bhxh_text_fold ("Đặng Thị Ngọc Ánh");
  g_autofree char *b = bhxh_text_fold ("ĐỖ  ĐỨC  ƯỚC");
  g_autofree char *nfd = g_utf8_normalize ("Nguyễn", -1, G_NORMALIZE_NFD);
  g_autofree char *c = bhxh_text_fold (nfd);

  g_assert_cmpstr (a, ==, "dang thi ngoc anh");
  g_assert_cmpstr (b, ==, "do duc uoc");
  g_assert_cmpstr (c, ==, "nguyen");
}

static void
test_digits (void)
{
  g_autofree char *found = bhxh_text_find_digits ("so: 1234567890123 / ID 079305001234.", 12);
  g_autofree char *none = bhxh_text_find_digits ("0123456789", 12);

  g_assert_cmpstr (found, ==, "079305001234");
  g_assert_null (none);
  g_assert_true (bhxh_text_is_digits ("001090012345", 12));
  g_assert_false (bhxh_text_is_digits ("00109001234", 12));
  g_assert_false (bhxh_text_is_digits ("00109001234a", 0));
  g_assert_false (bhxh_text_is_digits ("", 0));
}

static void
test_mask (void)
{
  g_autofree char *a = bhxh_text_mask_id ("001090012345");
  g_autofree char *b = bhxh_text_mask_id ("0112345678");
  g_autofree char *c = bhxh_text_mask_id ("1234");

  g_assert_cmpstr (a, ==, "001******345");
  g_assert_cmpstr (b, ==, "011****678");
  g_assert_cmpstr (c, ==, "***4");
}

static void
test_blank (void)
{
  g_assert_true (bhxh_text_is_blank (NULL));
  g_assert_true (bhxh_text_is_blank (""));
  g_assert_true (bhxh_text_is_blank (" \t\n"));
  g_assert_true (bhxh_text_is_blank ("\xC2\xA0\xE3\x80\x80"));   /* NBSP, ideographic space */
  g_assert_false (bhxh_text_is_blank (" ghi chú "));
  g_assert_false (bhxh_text_is_blank ("\xE0"));   /* not UTF-8: something, and no overread */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/from-bytes", test_from_bytes);
  g_test_add_func ("/text/normalize", test_normalize);
  g_test_add_func ("/text/equivalence-key", test_equivalence_key);
  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/digits", test_digits);
  g_test_add_func ("/text/blank", test_blank);
  g_test_add_func ("/text/mask", test_mask);

  return g_test_run ();
}
