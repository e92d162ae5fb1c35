/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-text.h"
#include "bhxh-chip-private.h"

/* BER-TLV and the LDS files of ICAO 9303 part 10: EF.COM, DG1 (the MRZ),
 * DG2 (the face) and Vietnam's DG13. */

gboolean
_bhxh_tlv_next (const guint8 **p,
                const guint8  *end,
                guint         *tag,
                const guint8 **value,
                gsize         *len)
{
  const guint8 *q = *p;
  gsize n = 0;

  if (q >= end)
    return FALSE;
  *tag = *q++;
  if ((*tag & 0x1f) == 0x1f)
    {
      do
        {
          if (q >= end || *tag > 0xffff)
            return FALSE;
          *tag = (*tag << 8) | *q;
        }
      while (*q++ & 0x80);
    }
  if (q >= end)
    return FALSE;
  if (*q < 0x80)
    n = *q++;
  else
    {
      guint count = *q++ & 0x7f;

      if (count == 0 || count > 3 || (gsize) (end - q) < count)
        return FALSE;
      while (count-- > 0)
        n = (n << 8) | *q++;
    }
  if ((gsize) (end - q) < n)
    return FALSE;
  *value = q;
  *len = n;
  *p = q + n;
  return TRUE;
}

/* The value of the first element tagged @tag at the top level of @data. */
gboolean
_bhxh_tlv_find (const guint8  *data,
                gsize          len,
                guint          tag,
                const guint8 **value,
                gsize         *value_len)
{
  const guint8 *p = data, *end = data + len;
  guint t;

  while (_bhxh_tlv_next (&p, end, &t, value, value_len))
    if (t == tag)
      return TRUE;
  return FALSE;
}

/* The whole length of the element whose first bytes are @head (at least
 * its tag and length), or -1 when they are not a TLV head. */
gssize
_bhxh_tlv_total_length (const guint8 *head,
                        gsize         len)
{
  gsize i = 1, n = 0;

  if (len < 2)
    return -1;
  if ((head[0] & 0x1f) == 0x1f)
    while (i < len && (head[i++] & 0x80))
      ;
  if (i >= len)
    return -1;
  if (head[i] < 0x80)
    return i + 1 + head[i];
  for (guint count = head[i++] & 0x7f; count > 0; count--)
    {
      if (i >= len || count > 3)
        return -1;
      n = (n << 8) | head[i++];
    }
  return i + n;
}

static gboolean
format_error (GError    **error,
              const char *file)
{
  g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
               _("The chip’s %s is malformed"), file);
  return FALSE;
}

static gboolean
unwrap (GBytes        *file,
        guint          tag,
        const guint8 **value,
        gsize         *len)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (file, &size);
  const guint8 *p = data;
  guint t;

  /* An empty file's data may be NULL: no pointer arithmetic on it. */
  return size > 0 && _bhxh_tlv_next (&p, data + size, &t, value, len) && t == tag;
}

/* The data groups EF.COM lists, as numbers (DG1 = 1, …), from their tags. */
GArray *
_bhxh_chip_parse_com (GBytes  *com,
                      GError **error)
{
  static const guint8 tags[] = { 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
                                 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70 };
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint8 *value, *list;
  gsize len, list_len;

  if (!unwrap (com, 0x60, &value, &len) || !_bhxh_tlv_find (value, len, 0x5c, &list, &list_len))
    return format_error (error, "EF.COM"), NULL;
  for (gsize i = 0; i < list_len; i++)
    for (guint n = 0; n < G_N_ELEMENTS (tags); n++)
      if (list[i] == tags[n])
        {
          guint number = n + 1;

          g_array_append_val (groups, number);
        }
  return g_steal_pointer (&groups);
}

/* DG1's MRZ, its lines joined by '\n' (TD1: three lines of 30). */
char *
_bhxh_chip_parse_dg1 (GBytes  *dg1,
                      GError **error)
{
  const guint8 *value, *mrz;
  gsize len, mrz_len;
  GString *lines;
  guint line_len;

  if (!unwrap (dg1, 0x61, &value, &len) || !_bhxh_tlv_find (value, len, 0x5f1f, &mrz, &mrz_len))
    return format_error (error, "DG1"), NULL;
  for (gsize i = 0; i < mrz_len; i++)
    if (!g_ascii_isalnum (mrz[i]) && mrz[i] != '<')
      return format_error (error, "DG1"), NULL;
  line_len = mrz_len == 90 ? 30 : mrz_len == 72 ? 36 : mrz_len == 88 ? 44 : mrz_len;
  lines = g_string_new (NULL);
  for (gsize i = 0; i < mrz_len; i += line_len)
    {
      if (i > 0)
        g_string_append_c (lines, '\n');
      g_string_append_len (lines, (const char *) mrz + i, MIN (line_len, mrz_len - i));
    }
  return g_string_free (lines, FALSE);
}

/* DG13 (Vietnam's own data, DOMAIN.md §8): each field a SEQUENCE of an
 * INTEGER, its number, and its value(s) as strings; parents are one field
 * (13) with two names. The layout is not published: it is read from the
 * open-source readers, and kept to this table. */
typedef enum
{
  F_ID = 1, F_NAME, F_BIRTH, F_SEX, F_NATIONALITY, F_ETHNICITY, F_RELIGION,
  F_ORIGIN, F_RESIDENCE, F_MARKS, F_ISSUE, F_EXPIRY, F_PARENTS, F_SPOUSE,
  F_OLD_ID, F_OLD_ID_ALT,
} Dg13Field;

static gboolean
is_string_tag (guint tag)
{
  /* UTF8String, PrintableString, IA5String, T61String, OCTET STRING */
  return tag == 0x0c || tag == 0x13 || tag == 0x16 || tag == 0x14 || tag == 0x04;
}

static gboolean
field_number (const guint8 *value,
              gsize         len,
              guint        *number)
{
  const guint8 *p = value, *v;
  guint tag;
  gsize n;

  if (!_bhxh_tlv_next (&p, value + len, &tag, &v, &n) || tag != 0x02 || n != 1)
    return FALSE;
  *number = v[0];
  return TRUE;
}

/* The strings inside a field, nested sequences included. */
static void
collect_strings (const guint8 *value,
                 gsize         len,
                 GPtrArray    *out)
{
  const guint8 *p = value, *end = value + len, *v;
  guint tag, number;
  gsize n;

  while (_bhxh_tlv_next (&p, end, &tag, &v, &n))
    if (is_string_tag (tag))
      g_ptr_array_add (out, bhxh_text_from_bytes ((const char *) v, n, NULL));
    else if ((tag == 0x30 || tag == 0x31) && !field_number (v, n, &number))
      collect_strings (v, n, out);
}

static char *
take_string (GPtrArray *values,
             guint      i)
{
  char *s;

  if (i >= values->len || g_ptr_array_index (values, i) == NULL)
    return NULL;
  s = g_strstrip (g_strdup (g_ptr_array_index (values, i)));
  if (*s == '\0')
    g_clear_pointer (&s, g_free);
  return s;
}

static void
set_date (BhxhDate  *date,
          GPtrArray *values)
{
  g_autofree char *text = take_string (values, 0);

  /* "Không thời hạn" (no expiry) and other words leave the date unset. */
  if (text != NULL && !bhxh_date_parse (text, date, NULL))
    *date = BHXH_DATE_NONE;
}

static void
set_field (BhxhDocument *doc,
           guint         number,
           GPtrArray    *values)
{
  g_autofree char *first = take_string (values, 0);
  char **slot = NULL;

  switch ((Dg13Field) number)
    {
    case F_ID:          slot = &doc->id_number; break;
    case F_NAME:        slot = &doc->full_name; break;
    case F_NATIONALITY: slot = &doc->nationality; break;
    case F_ETHNICITY:   slot = &doc->ethnicity; break;
    case F_RELIGION:    slot = &doc->religion; break;
    case F_ORIGIN:      slot = &doc->place_of_origin; break;
    case F_RESIDENCE:   slot = &doc->address; break;
    case F_MARKS:       slot = &doc->personal_marks; break;
    case F_SPOUSE:      slot = &doc->spouse_name; break;
    case F_OLD_ID:      slot = &doc->old_id_number; break;
    case F_OLD_ID_ALT:
      if (doc->old_id_number == NULL)
        slot = &doc->old_id_number;
      break;
    case F_BIRTH:  set_date (&doc->birth_date, values); break;
    case F_ISSUE:  set_date (&doc->issue_date, values); break;
    case F_EXPIRY: set_date (&doc->expiry_date, values); break;
    case F_SEX:
      if (first == NULL || !bhxh_sex_parse (first, &doc->sex))
        doc->sex = BHXH_SEX_UNKNOWN;
      break;
    case F_PARENTS:
      g_free (doc->father_name);
      g_free (doc->mother_name);
      doc->father_name = take_string (values, 0);
      doc->mother_name = take_string (values, 1);
      break;
    default:
      break;
    }
  if (slot != NULL)
    {
      g_free (*slot);
      *slot = g_steal_pointer (&first);
    }
}

static void
walk_dg13 (const guint8 *value,
           gsize         len,
           BhxhDocument *doc,
           guint        *n_fields)
{
  const guint8 *p = value, *end = value + len, *v;
  guint tag, number;
  gsize n;

  while (_bhxh_tlv_next (&p, end, &tag, &v, &n))
    {
      if (tag != 0x30 && tag != 0x31)
        continue;
      if (field_number (v, n, &number))
        {
          g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
          const guint8 *rest = v;
          guint t;
          const guint8 *iv;
          gsize in;

          _bhxh_tlv_next (&rest, v + n, &t, &iv, &in);   /* past the INTEGER */
          collect_strings (rest, v + n - rest, values);
          if (values->len > 0)
            {
              set_field (doc, number, values);
              (*n_fields)++;
              continue;
            }
        }
      walk_dg13 (v, n, doc, n_fields);
    }
}

gboolean
_bhxh_chip_parse_dg13 (GBytes        *dg13,
                       BhxhDocument  *doc,
                       GError       **error)
{
  const guint8 *value;
  gsize len;
  guint n_fields = 0;

  if (!unwrap (dg13, 0x6d, &value, &len))
    return format_error (error, "DG13");
  walk_dg13 (value, len, doc, &n_fields);
  if (n_fields == 0 || doc->id_number == NULL || doc->full_name == NULL)
    return format_error (error, "DG13");
  return TRUE;
}

/* The image of an ISO/IEC 19794-5 facial record: "FAC\0", a version, the
 * record's length (4) and number of faces (2); then the first face: its
 * block length (4), number of feature points (2), 14 bytes of facial
 * information, 8 bytes a feature point and 12 of image information, then
 * the image. %NULL when the record is not shaped so. */
static const guint8 *
facial_record_image (const guint8 *bdb,
                     gsize         len)
{
  gsize offset;

  if (len < 14 + 20 || memcmp (bdb, "FAC", 4) != 0)
    return NULL;
  offset = 14 + 20 + 8 * (gsize) ((bdb[18] << 8) | bdb[19]) + 12;
  return offset < len ? bdb + offset : NULL;
}

static const char *
image_type (const guint8 *data,
            gsize         len)
{
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };
  static const guint8 jp2[] = { 0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20 };
  static const guint8 j2k[] = { 0xff, 0x4f, 0xff, 0x51 };

  if (len >= sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0)
    return "image/jpeg";
  if ((len >= sizeof jp2 && memcmp (data, jp2, sizeof jp2) == 0) ||
      (len >= sizeof j2k && memcmp (data, j2k, sizeof j2k) == 0))
    return "image/jp2";
  return NULL;
}

/* The biometric data block of DG2's first biometric information template:
 * 75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E or 7F2E block } } }
 * (ICAO 9303-10 §4.7.2, CBEFF). */
static gboolean
first_bdb (GBytes        *dg2,
           const guint8 **bdb,
           gsize         *bdb_len)
{
  const guint8 *group, *bit;
  gsize group_len, bit_len;

  return unwrap (dg2, 0x75, &group, &group_len) &&
         _bhxh_tlv_find (group, group_len, 0x7f61, &group, &group_len) &&
         _bhxh_tlv_find (group, group_len, 0x7f60, &bit, &bit_len) &&
         (_bhxh_tlv_find (bit, bit_len, 0x5f2e, bdb, bdb_len) ||
          _bhxh_tlv_find (bit, bit_len, 0x7f2e, bdb, bdb_len));
}

/* DG2's image (JPEG, or JPEG 2000: a JP2 file or a J2K codestream), from
 * the facial record's headers, else from the first image signature in the
 * block (chips that fill the headers loosely); to the end of the block. */
GBytes *
_bhxh_chip_parse_dg2 (GBytes      *dg2,
                      const char **mime_type,
                      GError     **error)
{
  const guint8 *bdb, *end, *image;
  gsize len;

  if (!first_bdb (dg2, &bdb, &len))
    return format_error (error, "DG2"), NULL;
  end = bdb + len;
  image = facial_record_image (bdb, len);
  if (image == NULL || image_type (image, end - image) == NULL)
    for (image = bdb; image < end && image_type (image, end - image) == NULL; image++)
      ;
  if (image >= end)
    return format_error (error, "DG2"), NULL;
  *mime_type = image_type (image, end - image);
  return g_bytes_new_from_bytes (dg2, image - (const guint8 *) g_bytes_get_data (dg2, NULL),
                                 end - image);
}
