/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-scan-error.h"
#include "bhxh-scan-mangle.h"

/* Only the CCCD layout tells where Vietnamese words must be (name, sex,
 * address); other payloads, such as a birth certificate's URL, are only
 * checked for replacement characters and mojibake. */
enum { FIELD_ID, FIELD_OLD_ID, FIELD_NAME, FIELD_BIRTH, FIELD_SEX, FIELD_ADDRESS, N_FIELDS };

/* The CP1252 characters at 0x80..0x9F; 0 where CP1252 has none (Latin-1's
 * C1 control stands there instead). */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The character CP1252 has for @byte (Latin-1's where they agree; 0 for
 * the five bytes CP1252 leaves out). */
gunichar
bhxh_scan_cp1252_char (guint8 byte)
{
  if (byte >= 0x80 && byte <= 0x9F)
    return cp1252_high[byte - 0x80];
  return byte;
}

static int
cp1252_byte (gunichar ch)
{
  if (ch < 0x100)
    return ch;
  for (int i = 0; i < 32; i++)
    if (cp1252_high[i] == ch)
      return 0x80 + i;
  return -1;
}

/* Text made of UTF-8 bytes read one byte per character: map back and see
 * whether real multi-byte UTF-8 comes out. */
static char *
undo_mojibake (const char *text)
{
  g_autoptr(GString) bytes = g_string_new (NULL);
  gboolean high = FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      int byte = cp1252_byte (g_utf8_get_char (p));

      if (byte < 0)
        return NULL;
      high |= byte >= 0x80;
      g_string_append_c (bytes, (char) byte);
    }
  if (!high || !g_utf8_validate (bytes->str, bytes->len, NULL))
    return NULL;
  return g_utf8_normalize (bytes->str, bytes->len, G_NORMALIZE_NFC);
}

static gboolean
is_vowel (char c)
{
  return strchr ("aeiouy", c) != NULL;
}

/* A word of plain letters that a Telex input method left half-typed:
 * doubled vowels or dd (â ê ô đ), w (ă ơ ư), or a tone key at the end —
 * no Vietnamese syllable ends in s, f, r, x, j or z. */
static gboolean
word_is_telex (const char *word,
               gsize       len)
{
  g_autofree char *lower = g_ascii_strdown (word, len);
  const char *doubles[] = { "aa", "ee", "oo", "dd", "aw", "ow", "uw" };
  char last = lower[len - 1];

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalpha (lower[i]))
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    if (strstr (lower, doubles[i]))
      return TRUE;
  if (strchr (lower, 'w'))
    return TRUE;
  return len >= 2 && strchr ("sfrxjz", last) != NULL
         && (is_vowel (lower[len - 2]) || strchr ("cmnghpt", lower[len - 2]));
}

/* VNI types marks as digits after the letter: "Nu74", "Nguye6n5".
 * In a name any digit after a letter is VNI; in an address ("Q1", "34A")
 * only a digit between letters is. */
static gboolean
word_is_vni (const char *word,
             gsize       len,
             gboolean    is_name)
{
  for (gsize i = 1; i < len; i++)
    if (word[i] >= '1' && word[i] <= '9' && g_ascii_isalpha (word[i - 1])
        && (is_name || (i + 1 < len && g_ascii_isalpha (word[i + 1]))))
      return TRUE;
  return FALSE;
}

static BhxhScanMangle
check_words (const char *field,
             gboolean    is_name)
{
  BhxhScanMangle found = BHXH_SCAN_MANGLE_NONE;
  const char *p = field;

  while (*p)
    {
      gsize len;

      while (*p && !g_ascii_isalnum (*p) && (guchar) *p < 0x80)
        p++;
      for (len = 0; p[len] && (g_ascii_isalnum (p[len]) || (guchar) p[len] >= 0x80); len++)
        ;
      if (len == 0)
        break;
      /* Addresses carry English words ("Green Park", "Times City"). */
      if (is_name && word_is_telex (p, len))
        found |= BHXH_SCAN_MANGLE_TELEX;
      if (word_is_vni (p, len, is_name))
        found |= BHXH_SCAN_MANGLE_VNI;
      p += len;
    }
  return found;
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
is_cccd_layout (char **fields)
{
  if (g_strv_length (fields) < N_FIELDS || strlen (fields[FIELD_ID]) != 12)
    return FALSE;
  for (const char *p = fields[FIELD_ID]; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static BhxhScanMangle
check_cccd_fields (char **fields)
{
  BhxhScanMangle found = BHXH_SCAN_MANGLE_NONE;
  const int text_fields[] = { FIELD_NAME, FIELD_SEX, FIELD_ADDRESS };

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *field = fields[text_fields[i]];

      if (strchr (field, '?'))
        found |= BHXH_SCAN_MANGLE_REPLACEMENT;
      found |= check_words (field, text_fields[i] != FIELD_ADDRESS);
    }

  /* "Nu" is "Nữ" without its letter; a name and an address both in
   * plain ASCII do not occur on a real card. */
  if (g_ascii_strcasecmp (g_strstrip (fields[FIELD_SEX]), "Nu") == 0
      || (is_ascii (fields[FIELD_NAME]) && is_ascii (fields[FIELD_ADDRESS])
          && *fields[FIELD_ADDRESS] != '\0'))
    found |= BHXH_SCAN_MANGLE_NO_DIACRITICS;
  return found;
}

/**
 * bhxh_scan_detect_mangling:
 * @text: UTF-8 text typed by a scanner in keyboard mode
 * @repaired: (out) (optional): the text as it was meant, when that can be
 *   recovered exactly (mojibake only), else %NULL
 *
 * Returns: the kinds of damage found, %BHXH_SCAN_MANGLE_NONE for clean text
 */
BhxhScanMangle
bhxh_scan_detect_mangling (const char  *text,
                           char       **repaired)
{
  BhxhScanMangle found = BHXH_SCAN_MANGLE_NONE;
  g_autofree char *undone = NULL;
  g_auto(GStrv) fields = NULL;

  g_return_val_if_fail (text != NULL, BHXH_SCAN_MANGLE_NONE);

  if (repaired)
    *repaired = NULL;
  if (strstr (text, "\xef\xbf\xbd"))
    found |= BHXH_SCAN_MANGLE_REPLACEMENT;

  undone = undo_mojibake (text);
  if (undone != NULL)
    {
      found |= BHXH_SCAN_MANGLE_MOJIBAKE;
      if (repaired)
        *repaired = g_steal_pointer (&undone);
      return found;
    }

  fields = g_strsplit (text, "|", -1);
  if (is_cccd_layout (fields))
    found |= check_cccd_fields (fields);
  return found;
}

/* The most useful advice for what was found, as one translated sentence. */
const char *
bhxh_scan_mangle_advice (BhxhScanMangle mangle)
{
  if (mangle & BHXH_SCAN_MANGLE_MOJIBAKE)
    return _("The scanner sent UTF-8 but it was read as Latin-1 (“Nguyá»…n”): "
             "set the scanner’s keyboard output to Unicode/UTF-8, or use its serial "
             "(USB COM) mode, then scan again.");
  if (mangle & (BHXH_SCAN_MANGLE_TELEX | BHXH_SCAN_MANGLE_VNI))
    return _("A Vietnamese input method (Unikey, EVKey, IBus) rewrote the scanner’s "
             "keystrokes: switch the input method to English (E) while scanning, or set "
             "the scanner to serial (USB COM) mode, then scan again.");
  if (mangle & (BHXH_SCAN_MANGLE_NO_DIACRITICS | BHXH_SCAN_MANGLE_REPLACEMENT))
    return _("The scanner cannot type Vietnamese letters in keyboard mode: set it to "
             "serial (USB COM) mode or its Unicode keyboard option, or use the camera, "
             "then scan again.");
  return NULL;
}

/* Turns damage into a BHXH_SCAN_ERROR_MANGLED error the clerk can act on. */
gboolean
bhxh_scan_check_typed (const char  *text,
                       GError     **error)
{
  BhxhScanMangle mangle = bhxh_scan_detect_mangling (text, NULL);

  if (mangle == BHXH_SCAN_MANGLE_NONE)
    return TRUE;
  g_set_error_literal (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_MANGLED,
                       bhxh_scan_mangle_advice (mangle));
  return FALSE;
}
