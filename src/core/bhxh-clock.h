/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bhxh-date.h"

G_BEGIN_DECLS

/* The office's clock: every "now" and "today" in bhxh-desk comes from here.
 *
 * The office's day is the day in Vietnam (Asia/Ho_Chi_Minh, UTC+07:00, no
 * daylight saving since 1975) whatever the machine's time zone. Instants
 * are returned in that zone, so formatting one with "%:z" gives "+07:00".
 *
 * Tests pin the clock with bhxh_clock_pin(); in builds with the test_hooks
 * option, a process also starts pinned when BHXH_DESK_NOW (an ISO 8601
 * date-time with its offset) or BHXH_DESK_TODAY (YYYY-MM-DD: that day at
 * 09:00 in Vietnam) is set. A pinned clock still ticks: it reads the pinned
 * instant plus the time elapsed since it was pinned. Release builds ignore
 * both variables. */

#define BHXH_CLOCK_OFFSET_SECONDS (7 * 60 * 60)

GTimeZone *bhxh_clock_get_time_zone (void);
GDateTime *bhxh_clock_now           (void);
gint64     bhxh_clock_now_unix      (void);
BhxhDate   bhxh_clock_today         (void);
BhxhDate   bhxh_clock_day_of        (GDateTime   *instant);
GDateTime *bhxh_clock_to_office     (GDateTime   *instant);
char      *bhxh_clock_format_iso    (GDateTime   *instant);
char      *bhxh_clock_now_iso       (void);

gboolean   bhxh_clock_pin           (GDateTime   *instant);
gboolean   bhxh_clock_pin_text      (const char  *text,
                                     GError     **error);
gboolean   bhxh_clock_is_pinned     (void);
gboolean   bhxh_clock_has_test_hooks (void);

G_END_DECLS
