/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-compare.h"

static void
test_names (void)
{
  g_autofree char *nfd = g_utf8_normalize ("Nguyễn Văn An", -1, G_NORMALIZE_NFD);
  const struct { const char *a, *b; BhxhLevel level; } cases[] = {
    { "Nguyễn Văn An", "Nguyễn Văn An", BHXH_LEVEL_MATCH },
    { "Nguyễn Văn An", nfd, BHXH_LEVEL_MATCH },
    { " Nguyễn Văn An ", "Nguyễn Văn An", BHXH_LEVEL_MATCH },
    { "NGUYỄN VĂN AN", "Nguyễn Văn An", BHXH_LEVEL_EQUIVALENT },
    { "Nguyễn  Văn An", "Nguyễn Văn An", BHXH_LEVEL_EQUIVALENT },
    { "Lê Thị Thủy", "Lê Thị Thuỷ", BHXH_LEVEL_EQUIVALENT },
    { "Trần Văn Hòa", "TRẦN VĂN HOÀ", BHXH_LEVEL_EQUIVALENT },
    { "Nguyễn Văn An", "Nguyen Van An", BHXH_LEVEL_DIACRITICS },
    { "Nguyễn Văn An", "Nguyễn Văn Ân", BHXH_LEVEL_DIACRITICS },
    { "Đỗ Văn Đức", "Do Van Duc", BHXH_LEVEL_DIACRITICS },
    { "Nguyễn Văn An", "Nguyễn Văn Anh", BHXH_LEVEL_MISMATCH },
    { "Nguyễn Văn An", "Trần Văn An", BHXH_LEVEL_MISMATCH },
    { "Nguyễn Văn An", "", BHXH_LEVEL_MISSING },
    { NULL, "Nguyễn Văn An", BHXH_LEVEL_MISSING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BhxhLevel level = bhxh_compare_name (cases[i].a, cases[i].b);

      if (level != cases[i].level)
        g_error ("compare_name(%s, %s) = %s, expected %s", cases[i].a, cases[i].b,
                 bhxh_level_to_string (level), bhxh_level_to_string (cases[i].level));
      /* symmetric */
      g_assert_cmpint (bhxh_compare_name (cases[i].b, cases[i].a), ==, level);
    }
}

static void
test_dates (void)
{
  BhxhDate full = { 1990, 3, 15 }, same = { 1990, 3, 15 }, other = { 1990, 3, 16 };
  BhxhDate year = { 1990, 0, 0 }, month = { 1990, 3, 0 }, wrong_year = { 1991, 0, 0 };
  BhxhDate none = BHXH_DATE_NONE;

  g_assert_cmpint (bhxh_compare_dates (&full, &same), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpint (bhxh_compare_dates (&full, &other), ==, BHXH_LEVEL_MISMATCH);
  g_assert_cmpint (bhxh_compare_dates (&year, &full), ==, BHXH_LEVEL_PARTIAL);
  g_assert_cmpint (bhxh_compare_dates (&full, &month), ==, BHXH_LEVEL_PARTIAL);
  g_assert_cmpint (bhxh_compare_dates (&month, &year), ==, BHXH_LEVEL_PARTIAL);
  g_assert_cmpint (bhxh_compare_dates (&wrong_year, &full), ==, BHXH_LEVEL_MISMATCH);
  g_assert_cmpint (bhxh_compare_dates (&none, &full), ==, BHXH_LEVEL_MISSING);
}

static void
test_exact_and_levels (void)
{
  g_assert_cmpint (bhxh_compare_exact ("001090012345", "001090012345"), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpint (bhxh_compare_exact ("001 090 012345", "001090012345"), ==,
                   BHXH_LEVEL_EQUIVALENT);
  g_assert_cmpint (bhxh_compare_exact ("001090012345", "001090012346"), ==,
                   BHXH_LEVEL_MISMATCH);
  g_assert_cmpint (bhxh_level_worst (BHXH_LEVEL_PARTIAL, BHXH_LEVEL_DIACRITICS), ==,
                   BHXH_LEVEL_DIACRITICS);
  g_assert_cmpstr (bhxh_level_to_string (BHXH_LEVEL_EQUIVALENT), ==, "equivalent");
}

/* The mã số BHXH against every code the registry knows the person by. */
static void
test_code (void)
{
  const char *old_registry[] = { "001090012345", "0112345678", NULL };
  const char *rekeyed[] = { "001090012345", "0112345678", NULL };
  const char *no_id[] = { "0112345678", NULL };
  const char *matched = NULL;

  /* A 12-digit "mã số BHXH" equal to the ID number is a match. */
  g_assert_cmpint (bhxh_compare_code ("001090012345", old_registry, &matched), ==,
                   BHXH_LEVEL_MATCH);
  g_assert_cmpstr (matched, ==, "001090012345");
  /* The 10-digit code of old declarations still is. */
  g_assert_cmpint (bhxh_compare_code ("0112345678", rekeyed, &matched), ==, BHXH_LEVEL_MATCH);
  g_assert_cmpstr (matched, ==, "0112345678");
  g_assert_cmpint (bhxh_compare_code ("01 1234 5678", rekeyed, NULL), ==,
                   BHXH_LEVEL_EQUIVALENT);
  g_assert_cmpint (bhxh_compare_code ("001090012346", old_registry, &matched), ==,
                   BHXH_LEVEL_MISMATCH);
  g_assert_cmpstr (matched, ==, "001090012345");
  /* The registry without the ID number cannot tell. */
  g_assert_cmpint (bhxh_compare_code ("001090012345", no_id, NULL), ==, BHXH_LEVEL_MISMATCH);
  g_assert_cmpint (bhxh_compare_code (NULL, no_id, NULL), ==, BHXH_LEVEL_MISSING);
  g_assert_cmpint (bhxh_compare_code ("0112345678", NULL, &matched), ==, BHXH_LEVEL_MISSING);
  g_assert_null (matched);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compare/names", test_names);
  g_test_add_func ("/compare/dates", test_dates);
  g_test_add_func ("/compare/code", test_code);
  g_test_add_func ("/compare/exact-levels", test_exact_and_levels);

  return g_test_run ();
}
