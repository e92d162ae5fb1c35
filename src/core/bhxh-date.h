/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A calendar date that may be known only to the year or the month:
 * month == 0 means "year only", day == 0 means "month and year".
 * year == 0 means "no date". */
typedef struct
{
  guint16 year;
  guint8  month;
  guint8  day;
} BhxhDate;

#define BHXH_DATE_NONE ((BhxhDate) { 0, 0, 0 })

gboolean  bhxh_date_parse        (const char     *text,
                                  BhxhDate       *out,
                                  GError        **error);
gboolean  bhxh_date_parse_compact (const char    *text,
                                   BhxhDate      *out,
                                   GError       **error);
gboolean  bhxh_date_parse_iso_len (const char    *text,
                                   gsize          len,
                                   BhxhDate      *out);
gboolean  bhxh_date_is_set       (const BhxhDate *date);
gboolean  bhxh_date_is_full      (const BhxhDate *date);
gboolean  bhxh_date_is_valid     (const BhxhDate *date);
char     *bhxh_date_to_iso       (const BhxhDate *date);
char     *bhxh_date_to_display   (const BhxhDate *date);
int       bhxh_date_compare      (const BhxhDate *a,
                                  const BhxhDate *b);
gboolean  bhxh_date_contains     (const BhxhDate *range,
                                  const BhxhDate *date);
BhxhDate  bhxh_date_from_gdate_time (GDateTime   *dt);
int       bhxh_date_days_between (const BhxhDate *from,
                                  const BhxhDate *to);
int       bhxh_date_age_on       (const BhxhDate *birth,
                                  const BhxhDate *on);

G_END_DECLS
