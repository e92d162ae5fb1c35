/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "core/bhxh-clock.h"
#include "core/bhxh-date.h"
#include "core/bhxh-error.h"

static void
assert_parses (const char *text,
               const char *iso)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  BhxhDate date;

  g_assert_true (bhxh_date_parse (text, &date, &error));
  g_assert_no_error (error);
  out = bhxh_date_to_iso (&date);
  g_assert_cmpstr (out, ==, iso);
}

static void
test_parse_forms (void)
{
  assert_parses ("1990-03-15", "1990-03-15");
  assert_parses ("15/03/1990", "1990-03-15");
  assert_parses ("15031990", "1990-03-15");
  assert_parses ("1990-03", "1990-03");
  assert_parses ("03/1990", "1990-03");
  assert_parses ("031990", "1990-03");
  assert_parses ("1990", "1990");
  assert_parses (" 5/3/1990 ", "1990-03-05");
  assert_parses ("29/02/2000", "2000-02-29");
}

static void
test_parse_rejects (void)
{
  const char *bad[] = {
    "31/02/2000", "29/02/1900", "00/00/0000", "32011990", "1990-13", "13/1990",
    "", "abc", "1990-03-15x", "15/03/90", "123", "0000", "15 03 1990", "2000-02-30",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      BhxhDate date;

      g_assert_false (bhxh_date_parse (bad[i], &date, &error));
      g_assert_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_DATE);
    }
}

static void
test_compact (void)
{
  BhxhDate date;

  g_assert_true (bhxh_date_parse_compact ("02112005", &date, NULL));
  g_assert_cmpuint (date.year, ==, 2005);
  g_assert_cmpuint (date.month, ==, 11);
  g_assert_cmpuint (date.day, ==, 2);
  g_assert_false (bhxh_date_parse_compact ("02/11/2005", &date, NULL));
}

static void
test_contains_and_display (void)
{
  BhxhDate year = { 1990, 0, 0 }, month = { 1990, 3, 0 }, day = { 1990, 3, 15 };
  BhxhDate other = { 1990, 4, 15 };
  g_autofree char *shown = bhxh_date_to_display (&day);
  g_autofree char *shown_month = bhxh_date_to_display (&month);

  g_assert_true (bhxh_date_contains (&year, &day));
  g_assert_true (bhxh_date_contains (&month, &day));
  g_assert_true (bhxh_date_contains (&year, &month));
  g_assert_false (bhxh_date_contains (&month, &other));
  g_assert_false (bhxh_date_contains (&day, &month));
  g_assert_cmpstr (shown, ==, "15/03/1990");
  g_assert_cmpstr (shown_month, ==, "03/1990");
}

static void
test_today_and_age (void)
{
  BhxhDate today, birth = { 2008, 11, 24 }, year_only = { 2008, 0, 0 };
  BhxhDate from = { 2026, 11, 13 };

  g_assert_true (bhxh_clock_pin_text ("2026-11-23", NULL));
  today = bhxh_clock_today ();
  g_assert_cmpuint (today.year, ==, 2026);
  g_assert_cmpuint (today.day, ==, 23);
  g_assert_cmpint (bhxh_date_age_on (&birth, &today), ==, 17);
  g_assert_cmpint (bhxh_date_age_on (&year_only, &today), ==, 18);
  g_assert_cmpint (bhxh_date_days_between (&from, &today), ==, 10);
  bhxh_clock_pin (NULL);
}

/* The data formats' strict date: a real calendar date, bounded, no NUL. */
static void
test_iso_len (void)
{
  const struct { const char *text; gboolean ok; } cases[] = {
    { "1990", TRUE }, { "1990-03", TRUE }, { "1990-03-15", TRUE }, { "2024-02-29", TRUE },
    { "2023-02-29", FALSE }, { "0000", FALSE }, { "1990-13", FALSE }, { "1990-00", FALSE },
    { "1990-3-15", FALSE }, { "15/03/1990", FALSE }, { "1990-03-15T", FALSE }, { "", FALSE },
    { "199a", FALSE }, { "1990-04-31", FALSE },
  };
  BhxhDate d;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (bhxh_date_parse_iso_len (cases[i].text, strlen (cases[i].text), NULL),
                     ==, cases[i].ok);
  /* Bounded: the bytes after @len do not count. */
  g_assert_true (bhxh_date_parse_iso_len ("1990-03-15xyz", 10, &d));
  g_assert_cmpuint (d.year, ==, 1990);
  g_assert_cmpuint (d.month, ==, 3);
  g_assert_cmpuint (d.day, ==, 15);
  g_assert_true (bhxh_date_parse_iso_len ("1990-03-15", 7, &d));
  g_assert_cmpuint (d.day, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/parse-forms", test_parse_forms);
  g_test_add_func ("/date/parse-rejects", test_parse_rejects);
  g_test_add_func ("/date/compact", test_compact);
  g_test_add_func ("/date/contains-display", test_contains_and_display);
  g_test_add_func ("/date/today-age", test_today_and_age);
  g_test_add_func ("/date/iso-len", test_iso_len);

  return g_test_run ();
}
