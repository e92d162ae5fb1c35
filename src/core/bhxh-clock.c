/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-clock.h"
#include "bhxh-error.h"

/* One clock for the whole desk (see bhxh-clock.h). The pinned state is
 * shared by every thread: the GUI's worker asks it as the UI thread does. */

static GMutex pin_lock;
static gboolean pinned;
static gint64 pinned_unix_us;     /* the pinned instant … */
static gint64 pinned_monotonic;   /* … read at this monotonic time */

GTimeZone *
bhxh_clock_get_time_zone (void)
{
  static gsize zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, (gsize) g_time_zone_new_offset (BHXH_CLOCK_OFFSET_SECONDS));
  return (GTimeZone *) zone;
}

static gint64
to_unix_us (GDateTime *instant)
{
  return g_date_time_to_unix (instant) * G_USEC_PER_SEC + g_date_time_get_microsecond (instant);
}

static void
pin_us (gint64 unix_us)
{
  g_mutex_lock (&pin_lock);
  pinned = TRUE;
  pinned_unix_us = unix_us;
  pinned_monotonic = g_get_monotonic_time ();
  g_mutex_unlock (&pin_lock);
}

static GDateTime *
parse_instant (const char  *text,
               GError     **error)
{
  g_autoptr(GDateTime) parsed = NULL;
  BhxhDate date;

  if (text == NULL)
    return NULL;
  parsed = g_date_time_new_from_iso8601 (text, bhxh_clock_get_time_zone ());
  if (parsed != NULL)
    return g_steal_pointer (&parsed);
  if (bhxh_date_parse (text, &date, NULL) && bhxh_date_is_full (&date))
    return g_date_time_new (bhxh_clock_get_time_zone (), date.year, date.month, date.day,
                            9, 0, 0);
  /* Tests and benchmarks only pin the clock: not a message for a clerk. */
  g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_DATE,
               "“%s” is neither a date (YYYY-MM-DD) nor a date and time (ISO 8601)", text);
  return NULL;
}

/* The test hooks: a process started with BHXH_DESK_NOW or BHXH_DESK_TODAY
 * starts pinned. Compiled out of release builds (-Dtest_hooks=false). */
static void
read_environment_once (void)
{
#if BHXH_TEST_HOOKS
  static gsize done;

  if (g_once_init_enter (&done))
    {
      const char *now = g_getenv ("BHXH_DESK_NOW");
      const char *today = g_getenv ("BHXH_DESK_TODAY");
      g_autoptr(GDateTime) instant = parse_instant (now != NULL ? now : today, NULL);

      if (instant != NULL)
        pin_us (to_unix_us (instant));
      g_once_init_leave (&done, 1);
    }
#endif
}

static gint64
now_unix_us (void)
{
  gint64 result;

  read_environment_once ();
  g_mutex_lock (&pin_lock);
  if (pinned)
    result = pinned_unix_us + (g_get_monotonic_time () - pinned_monotonic);
  else
    result = g_get_real_time ();
  g_mutex_unlock (&pin_lock);
  return result;
}

/**
 * bhxh_clock_now:
 *
 * Returns: (transfer full): now, in the office's time zone (+07:00)
 */
GDateTime *
bhxh_clock_now (void)
{
  gint64 us = now_unix_us ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = g_date_time_add (utc, us % G_USEC_PER_SEC);

  return g_date_time_to_timezone (exact, bhxh_clock_get_time_zone ());
}

/**
 * bhxh_clock_now_unix:
 *
 * Returns: now, in seconds since the epoch
 */
gint64
bhxh_clock_now_unix (void)
{
  return now_unix_us () / G_USEC_PER_SEC;
}

/**
 * bhxh_clock_to_office:
 * @instant: any instant
 *
 * Returns: (transfer full): @instant in the office's time zone
 */
GDateTime *
bhxh_clock_to_office (GDateTime *instant)
{
  g_return_val_if_fail (instant != NULL, NULL);

  return g_date_time_to_timezone (instant, bhxh_clock_get_time_zone ());
}

/**
 * bhxh_clock_day_of:
 * @instant: (nullable): any instant
 *
 * Returns: the office's day at @instant (the day in Vietnam), or
 *   %BHXH_DATE_NONE for %NULL
 */
BhxhDate
bhxh_clock_day_of (GDateTime *instant)
{
  g_autoptr(GDateTime) office = NULL;

  if (instant == NULL)
    return BHXH_DATE_NONE;
  office = bhxh_clock_to_office (instant);
  return bhxh_date_from_gdate_time (office);
}

/**
 * bhxh_clock_today:
 *
 * Returns: the office's day now
 */
BhxhDate
bhxh_clock_today (void)
{
  g_autoptr(GDateTime) now = bhxh_clock_now ();

  return bhxh_date_from_gdate_time (now);
}

/**
 * bhxh_clock_format_iso:
 * @instant: any instant
 *
 * Returns: (transfer full): @instant in the office's zone, to the second,
 *   as stored everywhere: "2026-11-23T09:15:02+07:00"
 */
char *
bhxh_clock_format_iso (GDateTime *instant)
{
  g_autoptr(GDateTime) office = bhxh_clock_to_office (instant);

  return g_date_time_format (office, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * bhxh_clock_now_iso:
 *
 * Returns: (transfer full): now, as bhxh_clock_format_iso() writes it
 */
char *
bhxh_clock_now_iso (void)
{
  g_autoptr(GDateTime) now = bhxh_clock_now ();

  return bhxh_clock_format_iso (now);
}

/**
 * bhxh_clock_pin:
 * @instant: (nullable): the instant the clock reads from now on (it then
 *   ticks on from there); %NULL returns to the machine's clock
 *
 * For tests and benchmarks in-process.
 *
 * Returns: %TRUE
 */
gboolean
bhxh_clock_pin (GDateTime *instant)
{
  read_environment_once ();
  if (instant == NULL)
    {
      g_mutex_lock (&pin_lock);
      pinned = FALSE;
      g_mutex_unlock (&pin_lock);
      return TRUE;
    }
  pin_us (to_unix_us (instant));
  return TRUE;
}

/**
 * bhxh_clock_pin_text:
 * @text: an ISO 8601 date-time ("2026-11-23T23:59:30+07:00"; without an
 *   offset it is read in the office's zone) or a date (YYYY-MM-DD: 09:00
 *   that day in the office's zone)
 *
 * Returns: %TRUE, or %FALSE with @error set when @text is neither
 */
gboolean
bhxh_clock_pin_text (const char  *text,
                     GError     **error)
{
  g_autoptr(GDateTime) instant = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  instant = parse_instant (text, error);
  return instant != NULL && bhxh_clock_pin (instant);
}

/**
 * bhxh_clock_is_pinned:
 *
 * Returns: whether the clock reads a pinned instant instead of the machine's
 */
gboolean
bhxh_clock_is_pinned (void)
{
  gboolean result;

  read_environment_once ();
  g_mutex_lock (&pin_lock);
  result = pinned;
  g_mutex_unlock (&pin_lock);
  return result;
}

/**
 * bhxh_clock_has_test_hooks:
 *
 * Returns: whether this build reads the test hooks' environment variables
 *   (BHXH_DESK_NOW, BHXH_DESK_TODAY, BHXH_DESK_TEST_FAST_HASH)
 */
gboolean
bhxh_clock_has_test_hooks (void)
{
  return BHXH_TEST_HOOKS ? TRUE : FALSE;
}
