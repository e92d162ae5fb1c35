/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bhxh-date.h"

G_BEGIN_DECLS

typedef enum
{
  BHXH_SEX_UNKNOWN,
  BHXH_SEX_MALE,
  BHXH_SEX_FEMALE,
} BhxhSex;

/* Structure warnings on a 12-digit identification number. None of them
 * blocks: numbers are re-issued and the rules changed in 2024. */
typedef enum
{
  BHXH_ID_WARNING_NONE              = 0,
  BHXH_ID_WARNING_SEX_MISMATCH      = 1 << 0,
  BHXH_ID_WARNING_BIRTH_YEAR        = 1 << 1,
  BHXH_ID_WARNING_UNKNOWN_PROVINCE  = 1 << 2,
  BHXH_ID_WARNING_OLD_ID_MALFORMED  = 1 << 3,
  BHXH_ID_WARNING_ISSUED_BEFORE_BIRTH = 1 << 4,
  BHXH_ID_WARNING_BIRTH_IN_FUTURE   = 1 << 5,
} BhxhIdWarnings;

#define BHXH_ID_WARNING_LAST BHXH_ID_WARNING_BIRTH_IN_FUTURE

const char     *bhxh_sex_to_string          (BhxhSex         sex);
const char     *bhxh_sex_to_display         (BhxhSex         sex);
gboolean        bhxh_sex_parse              (const char     *text,
                                             BhxhSex        *out);
gboolean        bhxh_sex_parse_len          (const char     *text,
                                             gsize           len,
                                             BhxhSex        *out);

gboolean        bhxh_id_number_is_valid     (const char     *id_number);
BhxhIdWarnings  bhxh_id_number_check        (const char     *id_number,
                                             const BhxhDate *birth_date,
                                             BhxhSex         sex);
const char     *bhxh_id_province_name       (const char     *id_number);
const char     *bhxh_id_warning_code        (BhxhIdWarnings  warning);
const char     *bhxh_id_warning_describe    (BhxhIdWarnings  warning);
GPtrArray      *bhxh_id_warnings_to_codes   (BhxhIdWarnings  warnings);

gboolean        bhxh_code_is_valid          (const char     *bhxh_code);
gboolean        bhxh_code_is_legacy         (const char     *bhxh_code);
char           *bhxh_code_from_card_number  (const char     *card_number);
gboolean        bhxh_cmnd_is_valid          (const char     *number);
gboolean        bhxh_passport_is_valid      (const char     *number);

G_END_DECLS
