/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-compare.h"
#include "bhxh-text.h"

const char *
bhxh_level_to_string (BhxhLevel level)
{
  switch (level)
    {
    case BHXH_LEVEL_MATCH:      return "match";
    case BHXH_LEVEL_EQUIVALENT: return "equivalent";
    case BHXH_LEVEL_PARTIAL:    return "partial";
    case BHXH_LEVEL_DIACRITICS: return "diacritics";
    case BHXH_LEVEL_MISSING:    return "missing";
    case BHXH_LEVEL_MISMATCH:   return "mismatch";
    default:                    g_return_val_if_reached ("mismatch");
    }
}

/**
 * bhxh_level_describe:
 * @level: a comparison level
 *
 * Returns: the level in words for the clerk (translated)
 */
const char *
bhxh_level_describe (BhxhLevel level)
{
  switch (level)
    {
    case BHXH_LEVEL_MATCH:      return _("Matches");
    case BHXH_LEVEL_EQUIVALENT: return _("Same, written differently");
    case BHXH_LEVEL_PARTIAL:    return _("Partly known, consistent");
    case BHXH_LEVEL_DIACRITICS: return _("Differs in diacritics");
    case BHXH_LEVEL_MISSING:    return _("Missing");
    case BHXH_LEVEL_MISMATCH:   return _("Does not match");
    default:                    g_return_val_if_reached ("");
    }
}

BhxhLevel
bhxh_level_worst (BhxhLevel a,
                  BhxhLevel b)
{
  return MAX (a, b);
}

/**
 * bhxh_compare_name:
 * @a: (nullable): a name as written in one source
 * @b: (nullable): the same name from another source
 *
 * Compares Vietnamese names at the levels of DOMAIN.md §4: equal after
 * NFC and trimming is a match; equal after case, spacing and tone
 * placement is equivalent; equal only once diacritics (đ too) are
 * removed is a diacritics difference, which the clerk must look at.
 *
 * Returns: the level
 */
BhxhLevel
bhxh_compare_name (const char *a,
                   const char *b)
{
  g_autofree char *na = NULL;
  g_autofree char *nb = NULL;
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (bhxh_text_is_blank (a) || bhxh_text_is_blank (b))
    return BHXH_LEVEL_MISSING;

  na = g_utf8_normalize (a, -1, G_NORMALIZE_NFC);
  nb = g_utf8_normalize (b, -1, G_NORMALIZE_NFC);
  if (na == NULL || nb == NULL)
    return BHXH_LEVEL_MISMATCH;
  if (g_str_equal (g_strstrip (na), g_strstrip (nb)))
    return BHXH_LEVEL_MATCH;

  ka = bhxh_text_equivalence_key (na);
  kb = bhxh_text_equivalence_key (nb);
  if (g_str_equal (ka, kb))
    return BHXH_LEVEL_EQUIVALENT;

  fa = bhxh_text_fold (na);
  fb = bhxh_text_fold (nb);
  if (g_str_equal (fa, fb))
    return BHXH_LEVEL_DIACRITICS;

  return BHXH_LEVEL_MISMATCH;
}

/**
 * bhxh_compare_dates:
 * @a: a date, possibly partial
 * @b: a date, possibly partial
 *
 * Returns: match when equal; partial when one is known only to the
 *   month or year and the other lies within it; missing when either is
 *   not set; mismatch otherwise
 */
BhxhLevel
bhxh_compare_dates (const BhxhDate *a,
                    const BhxhDate *b)
{
  if (!bhxh_date_is_set (a) || !bhxh_date_is_set (b))
    return BHXH_LEVEL_MISSING;
  if (bhxh_date_compare (a, b) == 0)
    return BHXH_LEVEL_MATCH;
  if (bhxh_date_contains (a, b) || bhxh_date_contains (b, a))
    return BHXH_LEVEL_PARTIAL;

  return BHXH_LEVEL_MISMATCH;
}

static char *
strip_separators (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p) && *p != '.' && *p != '-')
      g_string_append_c (out, g_ascii_toupper (*p));

  return g_string_free (out, FALSE);
}

/**
 * bhxh_compare_exact:
 * @a: (nullable): a number or code
 * @b: (nullable): the same from another source
 *
 * For numbers and codes: equal is a match, equal but for spaces, dots,
 * dashes or letter case is equivalent, anything else a mismatch.
 *
 * Returns: the level
 */
BhxhLevel
bhxh_compare_exact (const char *a,
                    const char *b)
{
  g_autofree char *sa = NULL;
  g_autofree char *sb = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  if (bhxh_text_is_blank (a) || bhxh_text_is_blank (b))
    return BHXH_LEVEL_MISSING;

  ta = g_strstrip (g_strdup (a));
  tb = g_strstrip (g_strdup (b));
  if (g_str_equal (ta, tb))
    return BHXH_LEVEL_MATCH;

  sa = strip_separators (ta);
  sb = strip_separators (tb);
  if (g_str_equal (sa, sb))
    return BHXH_LEVEL_EQUIVALENT;

  return BHXH_LEVEL_MISMATCH;
}

/**
 * bhxh_compare_code:
 * @declared: (nullable): a mã số BHXH as declared: the 10-digit code, or
 *   since 1 July 2025 the person's 12-digit ID number
 * @known: (nullable) (array zero-terminated=1): every code the registry
 *   knows the person by (bhxh_person_dup_codes(): ID number, mã số BHXH,
 *   former code)
 * @matched: (out) (optional) (transfer none): the code of @known the
 *   level was found with; the first one when none fits
 *
 * A declared code is the person's when it is any of their codes: a
 * 12-digit "mã số BHXH" equal to the ID number matches, and so does the
 * former 10-digit code of a person the registry now keys by ID number.
 *
 * Returns: the best level of @declared against the codes in @known;
 *   missing when either side has none
 */
BhxhLevel
bhxh_compare_code (const char         *declared,
                   const char * const *known,
                   const char        **matched)
{
  BhxhLevel best = BHXH_LEVEL_MISSING;

  if (matched != NULL)
    *matched = known != NULL ? known[0] : NULL;
  if (bhxh_text_is_blank (declared) || known == NULL)
    return BHXH_LEVEL_MISSING;

  for (guint i = 0; known[i] != NULL; i++)
    {
      BhxhLevel level = bhxh_compare_exact (declared, known[i]);

      if (level == BHXH_LEVEL_MISSING)
        continue;
      if (best == BHXH_LEVEL_MISSING || level < best)
        {
          best = level;
          if (matched != NULL)
            *matched = known[i];
        }
    }
  return best;
}
