/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-collate.h"
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

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  g_autofree char *ka = bhxh_collate_key (*(const char * const *) a);
  g_autofree char *kb = bhxh_collate_key (*(const char * const *) b);

  return strcmp (ka, kb);
}

static int
compare_name_keys (gconstpointer a,
                   gconstpointer b)
{
  return bhxh_collate_compare_names (*(const char * const *) a, *(const char * const *) b);
}

static void
assert_sorts (const char  *const *expected,
              guint               n,
              GCompareFunc        compare)
{
  g_autoptr(GPtrArray) shuffled = g_ptr_array_new ();

  /* Reversed, then every rotation: the order never depends on the input's. */
  for (guint r = 0; r < n; r++)
    {
      g_ptr_array_set_size (shuffled, 0);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (shuffled, (gpointer) expected[(n - 1 - i + r) % n]);
      g_ptr_array_sort (shuffled, compare);
      for (guint i = 0; i < n; i++)
        if (!g_str_equal (g_ptr_array_index (shuffled, i), expected[i]))
          g_error ("position %u: %s, expected %s", i,
                   (const char *) g_ptr_array_index (shuffled, i), expected[i]);
    }
}

/* DOMAIN.md §9: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
 * tones only break ties; byte order puts Phan before Phạm, Nguyễn before Ngô. */
static void
test_collate (void)
{
  const char *letters[] = { "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k",
                            "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư",
                            "v", "x", "y" };
  const char *words[] = { "An", "Anh", "Ánh", "Ân", "Bình", "Chi", "Dung", "Dương", "Đào",
                          "Đặng", "Giang", "Hà", "Hạ", "Hải", "Ngô", "Nguyễn", "Phạm", "Phan",
                          "Phương", "Thu", "Thư", "Trần", "Ư", "Vũ", "Ý", "Yến" };
  const char *tones[] = { "ma", "mà", "mả", "mã", "má", "mạ" };
  g_autofree char *a = bhxh_collate_key ("Lê Thị Thủy");
  g_autofree char *b = bhxh_collate_key ("Lê  Thị Thuỷ");
  g_autofree char *nfd = g_utf8_normalize ("Nguyễn Văn An", -1, G_NORMALIZE_NFD);
  g_autofree char *c = bhxh_collate_key (nfd);
  g_autofree char *d = bhxh_collate_key ("Nguyễn Văn An");
  g_autofree char *empty = bhxh_collate_key (NULL);

  assert_sorts (letters, G_N_ELEMENTS (letters), compare_keys);
  assert_sorts (words, G_N_ELEMENTS (words), compare_keys);
  assert_sorts (tones, G_N_ELEMENTS (tones), compare_keys);
  g_assert_cmpint (strcmp ("Phan", "Phạm"), <, 0);     /* what bytes would do */
  g_assert_cmpint (strcmp ("Nguyễn", "Ngô"), <, 0);
  /* Where the tone mark sits is no difference until the last level. */
  g_assert_cmpint (strncmp (a, b, strlen (a) - strlen ("Lê Thị Thuỷ")), ==, 0);
  g_assert_cmpstr (c, ==, d);
  g_assert_cmpstr (empty, ==, "");
}

/* Lists of people: by given name, then family and middle names. */
static void
test_collate_names (void)
{
  const char *people[] = {
    "Trần Văn An", "Nguyễn Văn Anh", "Lê Thị Ánh", "Phạm Thị Ân", "Vũ Đức Bình",
    "Nguyễn Thị Hà", "Trần Thị Hà", "Nguyễn Thị Hạ", "Đỗ Văn Hải", "Ngô Thị Hằng",
    "Nguyễn Thị Hằng", "Phạm Minh", "Phan Minh", "Nguyễn Văn Thắng", "Hoàng Văn Ý",
  };

  assert_sorts (people, G_N_ELEMENTS (people), compare_name_keys);
  g_assert_cmpint (bhxh_collate_compare_names ("An", "Trần Văn An"), <, 0);
  g_assert_cmpint (bhxh_collate_compare_names (" Trần  Văn An ", "Trần Văn An"), ==, 0);
}

/* Search by words of the folded name: "Hằng" must not find "Thắng". */
static void
test_word_prefix (void)
{
  g_autofree char *thang = bhxh_text_fold ("Nguyễn Văn Thắng");
  g_autofree char *hang = bhxh_text_fold ("Nguyễn Thị Hằng");
  g_autofree char *query = bhxh_text_fold ("Hằng");

  g_assert_true (bhxh_text_has_word_prefix (hang, query));
  g_assert_false (bhxh_text_has_word_prefix (thang, query));
  g_assert_true (bhxh_text_has_word_prefix (hang, "ng"));     /* Nguyễn */
  g_assert_true (bhxh_text_has_word_prefix (hang, "thi ha"));
  g_assert_false (bhxh_text_has_word_prefix (hang, "hi hang"));
  g_assert_true (bhxh_text_has_word_prefix ("nguyen thang\x1f" "0112345678", "01123"));
  g_assert_false (bhxh_text_has_word_prefix ("nguyen thang\x1f" "0112345678", "2345"));
  g_assert_true (bhxh_text_has_word_prefix (thang, ""));
  g_assert_false (bhxh_text_has_word_prefix (NULL, "a"));
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
  g_test_add_func ("/text/collate", test_collate);
  g_test_add_func ("/text/collate-names", test_collate_names);
  g_test_add_func ("/text/word-prefix", test_word_prefix);

  return g_test_run ();
}
