/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bhxh-date.h"

G_BEGIN_DECLS

/* Ordered from best to worst, so the worse of two levels is the larger. */
typedef enum
{
  BHXH_LEVEL_MATCH,
  BHXH_LEVEL_EQUIVALENT,
  BHXH_LEVEL_PARTIAL,
  BHXH_LEVEL_DIACRITICS,
  BHXH_LEVEL_MISSING,
  BHXH_LEVEL_MISMATCH,
} BhxhLevel;

const char *bhxh_level_to_string   (BhxhLevel       level);
const char *bhxh_level_describe    (BhxhLevel       level);
BhxhLevel   bhxh_level_worst       (BhxhLevel       a,
                                    BhxhLevel       b);
BhxhLevel   bhxh_compare_name      (const char     *a,
                                    const char     *b);
BhxhLevel   bhxh_compare_dates     (const BhxhDate *a,
                                    const BhxhDate *b);
BhxhLevel   bhxh_compare_exact     (const char     *a,
                                    const char     *b);
BhxhLevel   bhxh_compare_code      (const char     *declared,
                                    const char * const *known,
                                    const char    **matched);

G_END_DECLS
