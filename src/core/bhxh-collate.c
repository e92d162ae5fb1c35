/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Vietnamese alphabetical order (DOMAIN.md §9) as sort keys compared with
 * strcmp(). Byte order is wrong for Vietnamese: it puts Phan before Phạm
 * and Nguyễn before Ngô, because ạ and ễ are far beyond z.
 *
 * A key has four levels, compared one after the other:
 *   1. the letters, in the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ
 *      p q r s t u ư v x y (the foreign f j w z at their Latin places);
 *      a space sorts before any letter, so "An" comes before "Anh";
 *   2. the tone of each word — ngang, huyền, hỏi, ngã, sắc, nặng — which
 *      only breaks ties; where the mark sits (Thủy, Thuỷ) does not count;
 *   3. letter case;
 *   4. the text itself, so that the order is total.
 * Levels are separated by a byte below every weight; no weight is 0. */
#include "config.h"

#include <string.h>

#include "bhxh-collate.h"
#include "bhxh-text.h"

#define LEVEL_SEPARATOR 0x01
#define WEIGHT_SPACE    0x02
#define WEIGHT_PUNCT    0x03   /* - . ' ( and the like: told apart on level 4 */
#define WEIGHT_DIGIT    0x10   /* + the digit */
#define WEIGHT_LETTER   0x30   /* + the letter's place in the alphabet */
#define WEIGHT_OTHER    0xF0   /* then the character's UTF-8 bytes */

#define MARK_BREVE      0x0306
#define MARK_CIRCUMFLEX 0x0302
#define MARK_HORN       0x031B
#define MARK_STROKE     0x0111   /* stands for đ, which has no decomposition */

static const struct
{
  char     base;
  gunichar modifier;
} alphabet[] = {
  { 'a', 0 }, { 'a', MARK_BREVE }, { 'a', MARK_CIRCUMFLEX }, { 'b', 0 }, { 'c', 0 },
  { 'd', 0 }, { 'd', MARK_STROKE }, { 'e', 0 }, { 'e', MARK_CIRCUMFLEX }, { 'f', 0 },
  { 'g', 0 }, { 'h', 0 }, { 'i', 0 }, { 'j', 0 }, { 'k', 0 }, { 'l', 0 }, { 'm', 0 },
  { 'n', 0 }, { 'o', 0 }, { 'o', MARK_CIRCUMFLEX }, { 'o', MARK_HORN }, { 'p', 0 },
  { 'q', 0 }, { 'r', 0 }, { 's', 0 }, { 't', 0 }, { 'u', 0 }, { 'u', MARK_HORN },
  { 'v', 0 }, { 'w', 0 }, { 'x', 0 }, { 'y', 0 }, { 'z', 0 },
};

/* The tones in dictionary order; ngang (no mark) is 0. Some dictionaries
 * put sắc before hỏi (DOMAIN.md §9, unsure): this table is the one place. */
static const gunichar tones[] = { 0x0300, 0x0309, 0x0303, 0x0301, 0x0323 };

static guint
tone_of (gunichar mark)
{
  for (guint i = 0; i < G_N_ELEMENTS (tones); i++)
    if (tones[i] == mark)
      return i + 1;
  return 0;
}

static gboolean
is_modifier (gunichar mark)
{
  return mark == MARK_BREVE || mark == MARK_CIRCUMFLEX || mark == MARK_HORN;
}

/* Level 1 for one base character and the modifier that follows it. */
static void
append_primary (GString  *out,
                gunichar  lower,
                gunichar  modifier)
{
  char utf8[8];
  int len;

  if (lower == 0x0111)
    {
      lower = 'd';
      modifier = MARK_STROKE;
    }
  if (lower < 0x80 && g_ascii_isalpha (lower))
    {
      guint plain = G_N_ELEMENTS (alphabet);

      for (guint i = 0; i < G_N_ELEMENTS (alphabet); i++)
        if (alphabet[i].base == (char) lower)
          {
            if (alphabet[i].modifier == 0)
              plain = i;
            if (alphabet[i].modifier == modifier)
              {
                g_string_append_c (out, WEIGHT_LETTER + i);
                return;
              }
          }
      /* A mark the letter does not take in Vietnamese (b̂): the letter. */
      g_string_append_c (out, WEIGHT_LETTER + plain);
      return;
    }
  if (lower < 0x80 && g_ascii_isdigit (lower))
    {
      g_string_append_c (out, WEIGHT_DIGIT + (lower - '0'));
      return;
    }
  if (lower == ' ')
    {
      g_string_append_c (out, WEIGHT_SPACE);
      return;
    }
  if (lower < 0x80)
    {
      g_string_append_c (out, WEIGHT_PUNCT);
      return;
    }
  /* Other scripts after z, among themselves in code point order (UTF-8
   * keeps it, and its lead byte fixes the length: no prefix ambiguity). */
  len = g_unichar_to_utf8 (lower, utf8);
  g_string_append_c (out, (char) WEIGHT_OTHER);
  g_string_append_len (out, utf8, len);
}

/* The key of text already normalised (bhxh_text_normalize()). */
static char *
key_of_normal (const char *normal)
{
  g_autofree char *nfd = g_utf8_normalize (normal, -1, G_NORMALIZE_NFD);
  GString *primary, *secondary, *tertiary;
  guint word_tone = 0;

  primary = g_string_sized_new (strlen (nfd) * 2 + 8);
  secondary = g_string_new (NULL);
  tertiary = g_string_new (NULL);
  for (const char *p = nfd; *p;)
    {
      gunichar c = g_utf8_get_char (p);
      gunichar lower = g_unichar_tolower (c);
      gunichar modifier = 0;

      for (p = g_utf8_next_char (p); *p; p = g_utf8_next_char (p))
        {
          gunichar mark = g_utf8_get_char (p);

          if (g_unichar_type (mark) != G_UNICODE_NON_SPACING_MARK)
            break;
          if (is_modifier (mark) && modifier == 0)
            modifier = mark;
          else if (tone_of (mark) != 0 && word_tone == 0)
            word_tone = tone_of (mark);
        }
      if (g_unichar_iscntrl (c))
        continue;
      if (c == ' ')
        {
          g_string_append_c (secondary, 0x02 + word_tone);
          word_tone = 0;
        }
      append_primary (primary, lower, modifier);
      g_string_append_c (tertiary, lower != c ? 0x03 : 0x02);
    }
  g_string_append_c (secondary, 0x02 + word_tone);

  g_string_append_c (primary, LEVEL_SEPARATOR);
  g_string_append_len (primary, secondary->str, secondary->len);
  g_string_append_c (primary, LEVEL_SEPARATOR);
  g_string_append_len (primary, tertiary->str, tertiary->len);
  g_string_append_c (primary, LEVEL_SEPARATOR);
  g_string_append (primary, normal);
  g_string_free (secondary, TRUE);
  g_string_free (tertiary, TRUE);

  return g_string_free (primary, FALSE);
}

/**
 * bhxh_collate_key:
 * @text: (nullable): UTF-8 text, e.g. a name
 *
 * A key that sorts texts in Vietnamese alphabetical order when compared
 * with strcmp(): Phạm before Phan, Ngô before Nguyễn, Đặng after Dương.
 * Texts are normalised first (NFC, white space), so two spellings that
 * differ only in those come together, ordered by the text itself.
 *
 * Returns: (transfer full): the key; "" for %NULL or text that is not UTF-8
 */
char *
bhxh_collate_key (const char *text)
{
  g_autofree char *normal = bhxh_text_normalize (text);

  return normal != NULL ? key_of_normal (normal) : g_strdup ("");
}

/**
 * bhxh_collate_name_key:
 * @full_name: (nullable): a person's full name, family name first
 *
 * The key of a list of people as Vietnamese lists are sorted (class
 * lists, Phụ lục 02, daily reports): by the given name — the last word —
 * then by the family and middle names, each in the order of
 * bhxh_collate_key().
 *
 * Returns: (transfer full): the key, compared with strcmp()
 */
char *
bhxh_collate_name_key (const char *full_name)
{
  g_autofree char *normal = bhxh_text_normalize (full_name);
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  g_autofree char *rest = NULL;
  const char *space;

  if (normal == NULL)
    return g_strdup ("");

  space = strrchr (normal, ' ');
  if (space == NULL)
    return key_of_normal (normal);

  given = key_of_normal (space + 1);
  family = g_strndup (normal, space - normal);
  rest = key_of_normal (family);
  /* Keys never hold the separator's byte except between their levels, and
   * two different given names differ before either ends: the rest counts
   * only when the given names are the same. */
  return g_strdup_printf ("%s%c%s", given, LEVEL_SEPARATOR, rest);
}

/**
 * bhxh_collate_compare_names:
 * @a: (nullable): a full name
 * @b: (nullable): another
 *
 * For a sort of a few names; a long list computes
 * bhxh_collate_name_key() once per name instead.
 *
 * Returns: < 0, 0 or > 0 as @a sorts before, with or after @b
 */
int
bhxh_collate_compare_names (const char *a,
                            const char *b)
{
  g_autofree char *ka = bhxh_collate_name_key (a);
  g_autofree char *kb = bhxh_collate_name_key (b);

  return strcmp (ka, kb);
}

typedef struct
{
  char          *key;
  guint          position;
  gconstpointer  item;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *x = a, *y = b;
  int by_name = strcmp (x->key, y->key);

  if (by_name != 0)
    return by_name;
  return x->position < y->position ? -1 : x->position > y->position;
}

/**
 * bhxh_collate_sort_by_name:
 * @items: (element-type gpointer): a list of people (declarations,
 *   decisions, report rows…)
 * @name_of: the full name of an item
 *
 * Sorts @items as a Vietnamese list (bhxh_collate_name_key()), each key
 * computed once; items of the same name keep their order.
 */
void
bhxh_collate_sort_by_name (GPtrArray           *items,
                           BhxhCollateNameFunc  name_of)
{
  g_autoptr(GArray) keyed = NULL;

  g_return_if_fail (items != NULL);
  g_return_if_fail (name_of != NULL);

  keyed = g_array_sized_new (FALSE, FALSE, sizeof (Keyed), items->len);
  for (guint i = 0; i < items->len; i++)
    {
      Keyed k = { NULL, i, g_ptr_array_index (items, i) };

      k.key = bhxh_collate_name_key (name_of (k.item));
      g_array_append_val (keyed, k);
    }
  g_array_sort (keyed, compare_keyed);
  for (guint i = 0; i < keyed->len; i++)
    {
      Keyed *k = &g_array_index (keyed, Keyed, i);

      items->pdata[i] = (gpointer) k->item;
      g_free (k->key);
    }
}
