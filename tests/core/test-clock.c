/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-clock.h"

/* The first test runs before anything reads the clock: main() set
 * BHXH_DESK_NOW, which a build with test hooks obeys and a release build
 * ignores. */
static void
test_hooks (void)
{
  g_autoptr(GDateTime) machine = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) now = bhxh_clock_now ();

  if (BHXH_TEST_HOOKS)
    {
      g_assert_true (bhxh_clock_has_test_hooks ());
      g_assert_true (bhxh_clock_is_pinned ());
      g_assert_cmpint (g_date_time_get_year (now), ==, 2001);
    }
  else
    {
      g_assert_false (bhxh_clock_has_test_hooks ());
      g_assert_false (bhxh_clock_is_pinned ());
      g_assert_cmpint (ABS (g_date_time_difference (now, machine)), <, 60 * G_TIME_SPAN_SECOND);
    }
  bhxh_clock_pin (NULL);
  g_assert_false (bhxh_clock_is_pinned ());
}

/* The office's day is the day in Vietnam, whatever the machine's zone. */
static void
test_office_day (void)
{
  BhxhDate day;
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 11, 23, 16, 59, 59);
  g_autoptr(GDateTime) utc_midnight = g_date_time_new_utc (2026, 11, 23, 17, 0, 0);
  g_autoptr(GDateTime) now = NULL;

  g_assert_true (bhxh_clock_pin_text ("2026-11-23T23:59:30+07:00", NULL));
  day = bhxh_clock_today ();
  g_assert_cmpuint (day.year, ==, 2026);
  g_assert_cmpuint (day.month, ==, 11);
  g_assert_cmpuint (day.day, ==, 23);
  now = bhxh_clock_now ();
  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 7 * G_TIME_SPAN_HOUR);
  iso = bhxh_clock_now_iso ();
  g_assert_true (g_str_has_prefix (iso, "2026-11-23T23:59:3"));
  g_assert_true (g_str_has_suffix (iso, "+07:00"));

  /* 17:00 UTC is midnight in Vietnam. */
  g_assert_true (bhxh_clock_pin_text ("2026-11-23T17:00:00Z", NULL));
  day = bhxh_clock_today ();
  g_assert_cmpuint (day.day, ==, 24);
  day = bhxh_clock_day_of (utc);
  g_assert_cmpuint (day.day, ==, 23);
  day = bhxh_clock_day_of (utc_midnight);
  g_assert_cmpuint (day.day, ==, 24);
  day = bhxh_clock_day_of (NULL);
  g_assert_cmpuint (day.year, ==, 0);

  /* A date alone: 09:00 that day in Vietnam. */
  g_assert_true (bhxh_clock_pin_text ("2026-12-31", NULL));
  g_clear_pointer (&now, g_date_time_unref);
  now = bhxh_clock_now ();
  g_assert_cmpint (g_date_time_get_hour (now), ==, 9);
  g_assert_cmpint (g_date_time_get_day_of_month (now), ==, 31);
  bhxh_clock_pin (NULL);
}

/* A pinned clock ticks on, so it crosses midnight as a real one does. */
static void
test_ticks (void)
{
  BhxhDate day;
  gint64 before, after;

  g_assert_true (bhxh_clock_pin_text ("2026-11-23T23:59:59.950+07:00", NULL));
  before = bhxh_clock_now_unix ();
  day = bhxh_clock_today ();
  g_assert_cmpuint (day.day, ==, 23);
  g_usleep (120 * 1000);
  after = bhxh_clock_now_unix ();
  day = bhxh_clock_today ();
  g_assert_cmpuint (day.day, ==, 24);
  g_assert_cmpint (after, ==, before + 1);
  bhxh_clock_pin (NULL);
}

static void
test_bad_pin (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bhxh_clock_pin_text ("tomorrow", &error));
  g_assert_nonnull (error);
  g_assert_false (bhxh_clock_is_pinned ());
}

/* The real clock, in the office's zone. */
static void
test_real (void)
{
  g_autoptr(GDateTime) machine = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) office = NULL;
  BhxhDate today, expected;

  bhxh_clock_pin (NULL);
  now = bhxh_clock_now ();
  g_assert_cmpint (ABS (g_date_time_difference (now, machine)), <, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 7 * G_TIME_SPAN_HOUR);
  office = g_date_time_to_timezone (machine, bhxh_clock_get_time_zone ());
  expected = bhxh_date_from_gdate_time (office);
  today = bhxh_clock_today ();
  /* Unless midnight passed between the two reads. */
  g_assert_true (bhxh_date_compare (&today, &expected) >= 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("BHXH_DESK_NOW", "2001-02-03T04:05:06+07:00", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clock/hooks", test_hooks);
  g_test_add_func ("/clock/office-day", test_office_day);
  g_test_add_func ("/clock/ticks", test_ticks);
  g_test_add_func ("/clock/bad-pin", test_bad_pin);
  g_test_add_func ("/clock/real", test_real);

  return g_test_run ();
}
