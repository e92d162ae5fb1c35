/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-id.h"
#include "bhxh-text.h"

/* Province codes of birth registration, the first three digits of a
 * personal identification number (DOMAIN.md §2). Sorted for bsearch. */
static const struct
{
  const char *code;
  const char *name;
} provinces[] = {
  { "001", "Hà Nội" }, { "002", "Hà Giang" }, { "004", "Cao Bằng" },
  { "006", "Bắc Kạn" }, { "008", "Tuyên Quang" }, { "010", "Lào Cai" },
  { "011", "Điện Biên" }, { "012", "Lai Châu" }, { "014", "Sơn La" },
  { "015", "Yên Bái" }, { "017", "Hòa Bình" }, { "019", "Thái Nguyên" },
  { "020", "Lạng Sơn" }, { "022", "Quảng Ninh" }, { "024", "Bắc Giang" },
  { "025", "Phú Thọ" }, { "026", "Vĩnh Phúc" }, { "027", "Bắc Ninh" },
  { "030", "Hải Dương" }, { "031", "Hải Phòng" }, { "033", "Hưng Yên" },
  { "034", "Thái Bình" }, { "035", "Hà Nam" }, { "036", "Nam Định" },
  { "037", "Ninh Bình" }, { "038", "Thanh Hóa" }, { "040", "Nghệ An" },
  { "042", "Hà Tĩnh" }, { "044", "Quảng Bình" }, { "045", "Quảng Trị" },
  { "046", "Thừa Thiên Huế" }, { "048", "Đà Nẵng" }, { "049", "Quảng Nam" },
  { "051", "Quảng Ngãi" }, { "052", "Bình Định" }, { "054", "Phú Yên" },
  { "056", "Khánh Hòa" }, { "058", "Ninh Thuận" }, { "060", "Bình Thuận" },
  { "062", "Kon Tum" }, { "064", "Gia Lai" }, { "066", "Đắk Lắk" },
  { "067", "Đắk Nông" }, { "068", "Lâm Đồng" }, { "070", "Bình Phước" },
  { "072", "Tây Ninh" }, { "074", "Bình Dương" }, { "075", "Đồng Nai" },
  { "077", "Bà Rịa–Vũng Tàu" }, { "079", "TP Hồ Chí Minh" }, { "080", "Long An" },
  { "082", "Tiền Giang" }, { "083", "Bến Tre" }, { "084", "Trà Vinh" },
  { "086", "Vĩnh Long" }, { "087", "Đồng Tháp" }, { "089", "An Giang" },
  { "091", "Kiên Giang" }, { "092", "Cần Thơ" }, { "093", "Hậu Giang" },
  { "094", "Sóc Trăng" }, { "095", "Bạc Liêu" }, { "096", "Cà Mau" },
};

static const struct
{
  BhxhIdWarnings  flag;
  const char     *code;
  const char     *message;
} warnings[] = {
  { BHXH_ID_WARNING_SEX_MISMATCH, "id-sex-mismatch",
    N_("The 4th digit of the ID number says the other sex. Check the card; "
       "numbers issued before 2024 may follow older rules.") },
  { BHXH_ID_WARNING_BIRTH_YEAR, "id-birth-year-mismatch",
    N_("Digits 4 to 6 of the ID number do not give the birth year. Check the birth date on the card.") },
  { BHXH_ID_WARNING_UNKNOWN_PROVINCE, "id-unknown-province",
    N_("The first three digits of the ID number are not a known province code.") },
  { BHXH_ID_WARNING_OLD_ID_MALFORMED, "old-id-malformed",
    N_("The old ID number (CMND) on the card is neither 9 nor 12 digits.") },
  { BHXH_ID_WARNING_ISSUED_BEFORE_BIRTH, "issued-before-birth",
    N_("The card's issue date is before the birth date.") },
  { BHXH_ID_WARNING_BIRTH_IN_FUTURE, "birth-in-future",
    N_("The birth date is in the future.") },
};

const char *
bhxh_sex_to_string (BhxhSex sex)
{
  switch (sex)
    {
    case BHXH_SEX_MALE:   return "male";
    case BHXH_SEX_FEMALE: return "female";
    case BHXH_SEX_UNKNOWN:
    default:              return NULL;
    }
}

const char *
bhxh_sex_to_display (BhxhSex sex)
{
  switch (sex)
    {
    case BHXH_SEX_MALE:   return _("Male");
    case BHXH_SEX_FEMALE: return _("Female");
    case BHXH_SEX_UNKNOWN:
    default:              return "";
    }
}

/**
 * bhxh_sex_parse:
 * @text: `Nam`/`Nữ` as on the card in any case, `male`/`female`, `M`/`F`,
 *   or `Nu` from a scanner that lost the diacritic
 * @out: (out): the sex
 *
 * Returns: %TRUE if @text names a sex
 */
gboolean
bhxh_sex_parse (const char *text,
                BhxhSex    *out)
{
  static const char *males[] = { "nam", "male", "m", NULL };
  static const char *females[] = { "nu", "female", "f", NULL };
  g_autofree char *folded = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  folded = bhxh_text_fold (text);
  if (folded == NULL)
    return FALSE;
  if (g_strv_contains (males, folded))
    *out = BHXH_SEX_MALE;
  else if (g_strv_contains (females, folded))
    *out = BHXH_SEX_FEMALE;
  else
    return FALSE;

  return TRUE;
}

/**
 * bhxh_sex_parse_len:
 * @text: not NUL-terminated
 *
 * bhxh_sex_parse() on @len bytes, without allocating for the common
 * spellings (the mirror import reads millions of rows): the same answers.
 */
gboolean
bhxh_sex_parse_len (const char *text,
                    gsize       len,
                    BhxhSex    *out)
{
  static const struct { const char *text; BhxhSex sex; } fast[] = {
    { "male", BHXH_SEX_MALE }, { "Nam", BHXH_SEX_MALE }, { "nam", BHXH_SEX_MALE },
    { "female", BHXH_SEX_FEMALE }, { "Nữ", BHXH_SEX_FEMALE }, { "nữ", BHXH_SEX_FEMALE },
  };
  char buffer[32];

  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fast); i++)
    if (len == strlen (fast[i].text) && memcmp (text, fast[i].text, len) == 0)
      {
        *out = fast[i].sex;
        return TRUE;
      }
  if (len == 0 || len >= sizeof buffer || memchr (text, '\0', len) != NULL)
    return FALSE;
  memcpy (buffer, text, len);
  buffer[len] = '\0';
  return bhxh_sex_parse (buffer, out);
}

gboolean
bhxh_id_number_is_valid (const char *id_number)
{
  return bhxh_text_is_digits (id_number, 12);
}

static int
compare_province (const void *key,
                  const void *item)
{
  return strncmp (key, *(const char * const *) item, 3);
}

/**
 * bhxh_id_province_name:
 * @id_number: a 12-digit identification number
 *
 * Returns: (nullable): the province where the birth was registered, or
 *   %NULL when the prefix is not a province code (it may be a country's)
 */
const char *
bhxh_id_province_name (const char *id_number)
{
  const void *found;

  if (id_number == NULL || strlen (id_number) < 3)
    return NULL;

  found = bsearch (id_number, provinces, G_N_ELEMENTS (provinces),
                   sizeof provinces[0], compare_province);
  return found ? ((const char * const *) found)[1] : NULL;
}

/**
 * bhxh_id_number_check:
 * @id_number: a 12-digit identification number
 * @birth_date: (nullable): the holder's birth date
 * @sex: the holder's sex, or %BHXH_SEX_UNKNOWN
 *
 * Checks the structure `PPP G YY RRRRRR` against the holder's data. The
 * digit G gives the century ((G div 2 + 19) × 100) and the sex (even is
 * male); YY the last two digits of the birth year; PPP, when it starts
 * with 0, a province code.
 *
 * Returns: the warnings, %BHXH_ID_WARNING_NONE if all is consistent
 */
BhxhIdWarnings
bhxh_id_number_check (const char     *id_number,
                      const BhxhDate *birth_date,
                      BhxhSex         sex)
{
  BhxhIdWarnings found = BHXH_ID_WARNING_NONE;
  guint g, yy, year;

  g_return_val_if_fail (bhxh_id_number_is_valid (id_number), BHXH_ID_WARNING_NONE);

  if (id_number[0] == '0' && bhxh_id_province_name (id_number) == NULL)
    found |= BHXH_ID_WARNING_UNKNOWN_PROVINCE;

  g = id_number[3] - '0';
  yy = (id_number[4] - '0') * 10 + (id_number[5] - '0');
  year = (g / 2 + 19) * 100 + yy;

  if (sex != BHXH_SEX_UNKNOWN && (g % 2 == 0) != (sex == BHXH_SEX_MALE))
    found |= BHXH_ID_WARNING_SEX_MISMATCH;
  if (bhxh_date_is_set (birth_date) && birth_date->year != year)
    found |= BHXH_ID_WARNING_BIRTH_YEAR;

  return found;
}

const char *
bhxh_id_warning_code (BhxhIdWarnings warning)
{
  for (guint i = 0; i < G_N_ELEMENTS (warnings); i++)
    if (warnings[i].flag == warning)
      return warnings[i].code;

  g_return_val_if_reached (NULL);
}

/**
 * bhxh_id_warning_describe:
 * @warning: one warning flag
 *
 * Returns: the warning explained for the clerk (translated)
 */
const char *
bhxh_id_warning_describe (BhxhIdWarnings warning)
{
  for (guint i = 0; i < G_N_ELEMENTS (warnings); i++)
    if (warnings[i].flag == warning)
      return _(warnings[i].message);

  g_return_val_if_reached (NULL);
}

/**
 * bhxh_id_warnings_to_codes:
 * @warnings: a set of warnings
 *
 * Returns: (transfer container) (element-type utf8): the stable codes of
 *   the warnings set, in a fixed order (static strings)
 */
GPtrArray *
bhxh_id_warnings_to_codes (BhxhIdWarnings found)
{
  GPtrArray *codes = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (warnings); i++)
    if (found & warnings[i].flag)
      g_ptr_array_add (codes, (gpointer) warnings[i].code);

  return codes;
}

/**
 * bhxh_code_is_valid:
 * @bhxh_code: (nullable): a mã số BHXH
 *
 * Since 1 July 2025 (Law 41/2024/QH15) a Vietnamese citizen's mã số BHXH
 * is their 12-digit ID number; older records, cards and declarations
 * carry the 10-digit code (bhxh_code_is_legacy()). Either is valid.
 *
 * Returns: %TRUE for 10 digits or a 12-digit ID number
 */
gboolean
bhxh_code_is_valid (const char *bhxh_code)
{
  return bhxh_code_is_legacy (bhxh_code) || bhxh_id_number_is_valid (bhxh_code);
}

/* The 10-digit mã số BHXH of before 2025: the first two digits the
 * province of issue, then a serial; no check digit. */
gboolean
bhxh_code_is_legacy (const char *bhxh_code)
{
  return bhxh_text_is_digits (bhxh_code, 10);
}

/**
 * bhxh_code_from_card_number:
 * @card_number: a 15-character BHYT card number, e.g. `DN4010123456789`
 *
 * Returns: (transfer full) (nullable): the mã số BHXH (its last ten
 *   digits), or %NULL if @card_number is not of that form
 */
char *
bhxh_code_from_card_number (const char *card_number)
{
  g_autofree char *trimmed = NULL;

  if (card_number == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (card_number));
  if (strlen (trimmed) != 15
      || !g_ascii_isalpha (trimmed[0]) || !g_ascii_isalpha (trimmed[1])
      || trimmed[2] < '1' || trimmed[2] > '5'
      || !bhxh_text_is_digits (trimmed + 3, 12))
    return NULL;

  return g_strdup (trimmed + 5);
}

/* Old CMND: 9 digits, some 12. */
gboolean
bhxh_cmnd_is_valid (const char *number)
{
  return bhxh_text_is_digits (number, 9) || bhxh_text_is_digits (number, 12);
}

/* Passport: one letter and seven digits (unsure: callers only warn). */
gboolean
bhxh_passport_is_valid (const char *number)
{
  return number != NULL && g_ascii_isalpha (number[0])
         && bhxh_text_is_digits (number + 1, 7);
}
