/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-date.h"
#include "bhxh-error.h"

#define MIN_YEAR 1850
#define MAX_YEAR 2199

static gboolean
parse_number (const char *text,
              gsize       len,
              guint      *out)
{
  guint value = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

gboolean
bhxh_date_is_set (const BhxhDate *date)
{
  return date != NULL && date->year != 0;
}

gboolean
bhxh_date_is_full (const BhxhDate *date)
{
  return bhxh_date_is_set (date) && date->month != 0 && date->day != 0;
}

/* A year alone, a month of a year, or a real calendar day. */
gboolean
bhxh_date_is_valid (const BhxhDate *date)
{
  if (date == NULL || date->year < MIN_YEAR || date->year > MAX_YEAR)
    return FALSE;
  if (date->month == 0)
    return date->day == 0;
  if (date->month > 12)
    return FALSE;
  if (date->day == 0)
    return TRUE;

  return g_date_valid_dmy (date->day, date->month, date->year);
}

static gboolean
set_checked (BhxhDate   *out,
             guint       year,
             guint       month,
             guint       day,
             const char *text,
             GError    **error)
{
  BhxhDate date = { year, month, day };

  if (year > G_MAXUINT16 || month > 255 || day > 255 || !bhxh_date_is_valid (&date))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_DATE,
                   _("“%s” is not a real date."), text);
      return FALSE;
    }
  *out = date;
  return TRUE;
}

static gboolean
bad_format (const char *text,
            GError    **error)
{
  g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_DATE,
               _("“%s” is not a date. Use DD/MM/YYYY, MM/YYYY or YYYY."), text);
  return FALSE;
}

/* Splits "12/03/1990", "1990-03-12", "03.1990" into numeric parts. */
static guint
split_parts (const char *text,
             guint       parts[3],
             gsize       lens[3])
{
  guint n = 0;
  const char *p = text;

  while (n < 3)
    {
      const char *start = p;

      while (g_ascii_isdigit (*p))
        p++;
      if (!parse_number (start, p - start, &parts[n]))
        return 0;
      lens[n++] = p - start;
      if (*p == '\0')
        return n;
      if (*p != '/' && *p != '-' && *p != '.')
        return 0;
      p++;
    }

  return 0;
}

static gboolean
parse_compact_len (const char *text,
                   gsize       len,
                   BhxhDate   *out,
                   const char *shown,
                   GError    **error)
{
  guint d = 0, m = 0, y = 0;

  switch (len)
    {
    case 8:
      parse_number (text, 2, &d);
      parse_number (text + 2, 2, &m);
      parse_number (text + 4, 4, &y);
      if (d == 0 || m == 0)
        return set_checked (out, 0, 0, 0, shown, error);
      return set_checked (out, y, m, d, shown, error);
    case 6:
      parse_number (text, 2, &m);
      parse_number (text + 2, 4, &y);
      if (m == 0)
        return set_checked (out, 0, 0, 0, shown, error);
      return set_checked (out, y, m, 0, shown, error);
    case 4:
      parse_number (text, 4, &y);
      return set_checked (out, y, 0, 0, shown, error);
    default:
      return bad_format (shown, error);
    }
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/**
 * bhxh_date_parse_compact:
 * @text: digits as on a CCCD card: `ddMMyyyy`, `MMyyyy` or `yyyy`
 * @out: (out): the date
 * @error: return location for a %BHXH_CORE_ERROR_BAD_DATE
 *
 * Returns: %TRUE if @text is a real date in one of those forms
 */
gboolean
bhxh_date_parse_compact (const char  *text,
                         BhxhDate    *out,
                         GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!all_digits (text))
    return bad_format (text, error);

  return parse_compact_len (text, strlen (text), out, text, error);
}

/**
 * bhxh_date_parse:
 * @text: `YYYY-MM-DD`, `DD/MM/YYYY`, `DDMMYYYY`, `YYYY-MM`, `MM/YYYY`,
 *   `MMYYYY` or `YYYY` (`-`, `/` and `.` are all accepted as separators)
 * @out: (out): the date, partial where @text is
 * @error: return location for a %BHXH_CORE_ERROR_BAD_DATE
 *
 * Returns: %TRUE if @text is a real (possibly partial) date
 */
gboolean
bhxh_date_parse (const char  *text,
                 BhxhDate    *out,
                 GError     **error)
{
  g_autofree char *trimmed = NULL;
  guint parts[3] = { 0, 0, 0 };
  gsize lens[3] = { 0, 0, 0 };
  guint n;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  if (all_digits (trimmed))
    return parse_compact_len (trimmed, strlen (trimmed), out, trimmed, error);

  n = split_parts (trimmed, parts, lens);
  if (n == 3 && lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2 && parts[1] && parts[2])
    return set_checked (out, parts[0], parts[1], parts[2], trimmed, error);
  if (n == 3 && lens[2] == 4 && lens[0] <= 2 && lens[1] <= 2 && parts[0] && parts[1])
    return set_checked (out, parts[2], parts[1], parts[0], trimmed, error);
  if (n == 2 && lens[0] == 4 && lens[1] <= 2 && parts[1])
    return set_checked (out, parts[0], parts[1], 0, trimmed, error);
  if (n == 2 && lens[1] == 4 && lens[0] <= 2 && parts[0])
    return set_checked (out, parts[1], parts[0], 0, trimmed, error);
  if (n == 3 || n == 2)
    return set_checked (out, 0, 0, 0, trimmed, error);

  return bad_format (trimmed, error);
}

static gboolean
digits_value (const char *p,
              gsize       n,
              guint      *value)
{
  *value = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      *value = *value * 10 + (guint) (p[i] - '0');
    }
  return TRUE;
}

/**
 * bhxh_date_parse_iso_len:
 * @text: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, not NUL-terminated
 * @len: its length in bytes
 * @out: (out) (optional): the date
 *
 * The data formats' date (the mirror, the portal): strict, a real calendar
 * date, no allocation — fast enough for millions of mirror rows. The one
 * check of that format; bhxh_date_parse() reads what people type.
 */
gboolean
bhxh_date_parse_iso_len (const char *text,
                         gsize       len,
                         BhxhDate   *out)
{
  guint year, month = 0, day = 0;

  if (text == NULL || (len != 4 && len != 7 && len != 10))
    return FALSE;
  if (!digits_value (text, 4, &year) || year == 0)
    return FALSE;
  if (len >= 7 && (text[4] != '-' || !digits_value (text + 5, 2, &month) ||
                   month < 1 || month > 12))
    return FALSE;
  if (len == 10 && (text[7] != '-' || !digits_value (text + 8, 2, &day) || day < 1 ||
                    day > g_date_get_days_in_month (month, year)))
    return FALSE;
  if (out != NULL)
    *out = (BhxhDate) { year, month, day };
  return TRUE;
}

/**
 * bhxh_date_to_iso:
 * @date: a date
 *
 * Returns: (transfer full) (nullable): `YYYY-MM-DD`, `YYYY-MM` or `YYYY`,
 *   %NULL if @date is not set
 */
char *
bhxh_date_to_iso (const BhxhDate *date)
{
  if (!bhxh_date_is_set (date))
    return NULL;
  if (date->month == 0)
    return g_strdup_printf ("%04u", date->year);
  if (date->day == 0)
    return g_strdup_printf ("%04u-%02u", date->year, date->month);

  return g_strdup_printf ("%04u-%02u-%02u", date->year, date->month, date->day);
}

/**
 * bhxh_date_to_display:
 * @date: a date
 *
 * Returns: (transfer full) (nullable): the Vietnamese way, `DD/MM/YYYY`,
 *   `MM/YYYY` or `YYYY`
 */
char *
bhxh_date_to_display (const BhxhDate *date)
{
  if (!bhxh_date_is_set (date))
    return NULL;
  if (date->month == 0)
    return g_strdup_printf ("%04u", date->year);
  if (date->day == 0)
    return g_strdup_printf ("%02u/%04u", date->month, date->year);

  return g_strdup_printf ("%02u/%02u/%04u", date->day, date->month, date->year);
}

int
bhxh_date_compare (const BhxhDate *a,
                   const BhxhDate *b)
{
  if (a->year != b->year)
    return a->year < b->year ? -1 : 1;
  if (a->month != b->month)
    return a->month < b->month ? -1 : 1;
  if (a->day != b->day)
    return a->day < b->day ? -1 : 1;
  return 0;
}

/**
 * bhxh_date_contains:
 * @range: a date, possibly partial (a year, or a month)
 * @date: a date at least as precise as @range
 *
 * Returns: %TRUE if @date lies within @range: 1990-03-15 lies within
 *   1990-03 and within 1990
 */
gboolean
bhxh_date_contains (const BhxhDate *range,
                    const BhxhDate *date)
{
  if (!bhxh_date_is_set (range) || !bhxh_date_is_set (date))
    return FALSE;
  if (range->year != date->year)
    return FALSE;
  if (range->month == 0)
    return TRUE;
  if (range->month != date->month || date->month == 0)
    return FALSE;
  if (range->day == 0)
    return TRUE;

  return range->day == date->day;
}

BhxhDate
bhxh_date_from_gdate_time (GDateTime *dt)
{
  BhxhDate date = BHXH_DATE_NONE;

  if (dt != NULL)
    {
      date.year = g_date_time_get_year (dt);
      date.month = g_date_time_get_month (dt);
      date.day = g_date_time_get_day_of_month (dt);
    }
  return date;
}

static guint32
to_julian (const BhxhDate *date)
{
  GDate g;

  g_date_clear (&g, 1);
  g_date_set_dmy (&g, MAX (date->day, 1), MAX (date->month, 1), date->year);
  return g_date_get_julian (&g);
}

/**
 * bhxh_date_days_between:
 * @from: a valid date (a partial one counts from its first day)
 * @to: a valid date
 *
 * Returns: the number of days from @from to @to, negative if @to is earlier
 */
int
bhxh_date_days_between (const BhxhDate *from,
                        const BhxhDate *to)
{
  g_return_val_if_fail (bhxh_date_is_valid (from), 0);
  g_return_val_if_fail (bhxh_date_is_valid (to), 0);

  return (int) to_julian (to) - (int) to_julian (from);
}

/**
 * bhxh_date_age_on:
 * @birth: a birth date, possibly partial (then its first possible day,
 *   which gives the oldest possible age)
 * @on: the day to compute the age on
 *
 * Returns: age in completed years, or -1 if @birth is not set
 */
int
bhxh_date_age_on (const BhxhDate *birth,
                  const BhxhDate *on)
{
  int age;
  guint bm, bd;

  if (!bhxh_date_is_set (birth) || !bhxh_date_is_set (on))
    return -1;

  bm = MAX (birth->month, 1);
  bd = MAX (birth->day, 1);
  age = (int) on->year - (int) birth->year;
  if (on->month < bm || (on->month == bm && on->day < bd))
    age--;

  return age;
}
