/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-document.h"
#include "bhxh-error.h"
#include "bhxh-json.h"
#include "bhxh-clock.h"
#include "bhxh-compare.h"
#include "bhxh-text.h"

/* id | old id | name | birth | sex | address [| issue date [| extra…]] */
#define CCCD_MIN_FIELDS 6
/* Cards issued from 1 July 2024 have 11 fields: the 7 known, then four
 * more, empty on adults' cards; on a child's card fields 10 and 11 are the
 * father's and the mother's names (DOMAIN.md §7). */
#define CARD_2024_FIELDS 11
#define CARD_2024_FATHER 9
#define CARD_2024_MOTHER 10

G_DEFINE_BOXED_TYPE (BhxhDocument, bhxh_document, bhxh_document_copy, bhxh_document_free)

BhxhDocument *
bhxh_document_new (BhxhDocumentKind kind)
{
  BhxhDocument *self = g_new0 (BhxhDocument, 1);

  self->kind = kind;
  self->extra = g_ptr_array_new_with_free_func (g_free);
  return self;
}

BhxhDocument *
bhxh_document_copy (const BhxhDocument *self)
{
  BhxhDocument *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = bhxh_document_new (self->kind);
  copy->id_number = g_strdup (self->id_number);
  copy->old_id_number = g_strdup (self->old_id_number);
  copy->full_name = g_strdup (self->full_name);
  copy->birth_date = self->birth_date;
  copy->sex = self->sex;
  copy->address = g_strdup (self->address);
  copy->issue_date = self->issue_date;
  copy->father_name = g_strdup (self->father_name);
  copy->mother_name = g_strdup (self->mother_name);
  for (guint i = 0; i < self->extra->len; i++)
    g_ptr_array_add (copy->extra, g_strdup (g_ptr_array_index (self->extra, i)));
  copy->warnings = self->warnings;
  copy->raw = g_strdup (self->raw);
  copy->expiry_date = self->expiry_date;
  copy->nationality = g_strdup (self->nationality);
  copy->ethnicity = g_strdup (self->ethnicity);
  copy->religion = g_strdup (self->religion);
  copy->place_of_origin = g_strdup (self->place_of_origin);
  copy->personal_marks = g_strdup (self->personal_marks);
  copy->spouse_name = g_strdup (self->spouse_name);
  copy->chip = self->chip;
  copy->chip.reason = g_strdup (self->chip.reason);
  copy->chip.signer = g_strdup (self->chip.signer);
  copy->chip.sod = self->chip.sod != NULL ? g_bytes_ref (self->chip.sod) : NULL;
  copy->chip.dg1 = self->chip.dg1 != NULL ? g_bytes_ref (self->chip.dg1) : NULL;
  copy->chip.dg13 = self->chip.dg13 != NULL ? g_bytes_ref (self->chip.dg13) : NULL;
  copy->chip.dg14 = self->chip.dg14 != NULL ? g_bytes_ref (self->chip.dg14) : NULL;
  copy->chip.dg15 = self->chip.dg15 != NULL ? g_bytes_ref (self->chip.dg15) : NULL;
  copy->chip.portrait = self->chip.portrait != NULL ? g_bytes_ref (self->chip.portrait) : NULL;
  copy->qr = self->qr != NULL ? bhxh_document_copy (self->qr) : NULL;
  return copy;
}

void
bhxh_document_free (BhxhDocument *self)
{
  if (self == NULL)
    return;

  g_free (self->id_number);
  g_free (self->old_id_number);
  g_free (self->full_name);
  g_free (self->address);
  g_free (self->father_name);
  g_free (self->mother_name);
  g_ptr_array_unref (self->extra);
  g_free (self->raw);
  g_free (self->nationality);
  g_free (self->ethnicity);
  g_free (self->religion);
  g_free (self->place_of_origin);
  g_free (self->personal_marks);
  g_free (self->spouse_name);
  g_free (self->chip.reason);
  g_free (self->chip.signer);
  g_clear_pointer (&self->chip.sod, g_bytes_unref);
  g_clear_pointer (&self->chip.dg1, g_bytes_unref);
  g_clear_pointer (&self->chip.dg13, g_bytes_unref);
  g_clear_pointer (&self->chip.dg14, g_bytes_unref);
  g_clear_pointer (&self->chip.dg15, g_bytes_unref);
  g_clear_pointer (&self->chip.portrait, g_bytes_unref);
  bhxh_document_free (self->qr);
  g_free (self);
}

const char *
bhxh_document_kind_to_string (BhxhDocumentKind kind)
{
  switch (kind)
    {
    case BHXH_DOCUMENT_CCCD:              return "cccd";
    case BHXH_DOCUMENT_ID_CARD_OTHER:     return "id-card";
    case BHXH_DOCUMENT_BIRTH_CERTIFICATE: return "birth-certificate";
    case BHXH_DOCUMENT_POST_COPY:         return "post-copy";
    case BHXH_DOCUMENT_CCCD_CHIP:         return "cccd-chip";
    default:                              g_return_val_if_reached ("id-card");
    }
}

gboolean
bhxh_document_kind_parse (const char       *text,
                          BhxhDocumentKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (BhxhDocumentKind k = BHXH_DOCUMENT_CCCD; k <= BHXH_DOCUMENT_CCCD_CHIP; k++)
    if (g_strcmp0 (text, bhxh_document_kind_to_string (k)) == 0)
      {
        *out = k;
        return TRUE;
      }
  return FALSE;
}

/**
 * bhxh_document_new_post_copy:
 * @id_number: the 12-digit ID number as the clerk typed it from the copy of
 *   the person's card received by post
 *
 * The evidence of a declaration handed in by post: only its ID number.
 *
 * Returns: (transfer full): the document, or %NULL when the number is not
 *   a 12-digit ID number
 */
BhxhDocument *
bhxh_document_new_post_copy (const char  *id_number,
                             GError     **error)
{
  g_autoptr(BhxhDocument) doc = NULL;
  g_autofree char *digits = NULL;

  g_return_val_if_fail (id_number != NULL, NULL);

  digits = g_strstrip (g_strdup (id_number));
  if (!bhxh_id_number_is_valid (digits))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID,
                   _("“%s” is not a 12-digit ID number"), digits);
      return NULL;
    }
  doc = bhxh_document_new (BHXH_DOCUMENT_POST_COPY);
  doc->id_number = g_steal_pointer (&digits);
  doc->raw = g_strdup (doc->id_number);
  bhxh_document_recheck (doc);
  return g_steal_pointer (&doc);
}

/**
 * bhxh_document_recheck:
 * @self: a document
 *
 * Recomputes the structure warnings from the document's fields, e.g.
 * after the clerk typed in a birth certificate by hand.
 */
void
bhxh_document_recheck (BhxhDocument *self)
{
  BhxhDate today = bhxh_clock_today ();

  g_return_if_fail (self != NULL);

  self->warnings = BHXH_ID_WARNING_NONE;
  if (bhxh_id_number_is_valid (self->id_number))
    self->warnings |= bhxh_id_number_check (self->id_number, &self->birth_date, self->sex);
  if (self->old_id_number != NULL && !bhxh_cmnd_is_valid (self->old_id_number))
    self->warnings |= BHXH_ID_WARNING_OLD_ID_MALFORMED;
  if (bhxh_date_is_set (&self->issue_date) && bhxh_date_is_set (&self->birth_date)
      && bhxh_date_compare (&self->issue_date, &self->birth_date) < 0)
    self->warnings |= BHXH_ID_WARNING_ISSUED_BEFORE_BIRTH;
  if (bhxh_date_is_set (&self->birth_date) && bhxh_date_compare (&self->birth_date, &today) > 0
      && !bhxh_date_contains (&self->birth_date, &today))
    self->warnings |= BHXH_ID_WARNING_BIRTH_IN_FUTURE;
}

/* Each field trimmed of white space; the name and address collapsed. */
static char *
field_text (const char *field,
            gboolean    collapse)
{
  if (collapse)
    return bhxh_text_collapse (field);

  return g_strstrip (g_strdup (field));
}

/* A parent's name on a 2024 card: collapsed, NULL when empty. */
static char *
parent_name (const char *field)
{
  g_autofree char *name = field_text (field, TRUE);

  return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

static gboolean
parse_cccd_fields (BhxhDocument  *doc,
                   char         **fields,
                   guint          n_fields,
                   GError       **error)
{
  g_autofree char *id = field_text (fields[0], FALSE);
  g_autofree char *old_id = field_text (fields[1], FALSE);
  g_autofree char *birth = field_text (fields[3], FALSE);
  g_autofree char *sex = field_text (fields[4], FALSE);
  g_autofree char *issue = n_fields > 6 ? field_text (fields[6], FALSE) : NULL;
  guint last_extra = n_fields;

  if (!bhxh_id_number_is_valid (id))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID,
                   _("The ID number “%s” is not 12 digits."), id);
      return FALSE;
    }
  doc->id_number = g_steal_pointer (&id);
  doc->old_id_number = *old_id ? g_steal_pointer (&old_id) : NULL;

  doc->full_name = field_text (fields[2], TRUE);
  if (*doc->full_name == '\0')
    {
      g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_EMPTY_NAME,
                           _("The name on the card is empty."));
      return FALSE;
    }

  if (!bhxh_date_parse (birth, &doc->birth_date, error))
    return FALSE;
  if (!bhxh_sex_parse (sex, &doc->sex))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_SEX,
                   _("“%s” is not a sex (expected Nam or Nữ)."), sex);
      return FALSE;
    }
  doc->address = field_text (fields[5], TRUE);
  if (issue != NULL && *issue && !bhxh_date_parse (issue, &doc->issue_date, error))
    return FALSE;

  /* A trailing separator is not data: keep extras up to the last non-empty. */
  while (last_extra > 7 && *fields[last_extra - 1] == '\0')
    last_extra--;
  for (guint i = 7; i < last_extra; i++)
    g_ptr_array_add (doc->extra, g_strdup (fields[i]));
  /* Only the 2024 layout, a trailing separator aside: other extras are
   * no one's names. */
  if (n_fields == CARD_2024_FIELDS + 1 && *fields[CARD_2024_FIELDS] == '\0')
    n_fields--;
  if (n_fields == CARD_2024_FIELDS)
    {
      doc->father_name = parent_name (fields[CARD_2024_FATHER]);
      doc->mother_name = parent_name (fields[CARD_2024_MOTHER]);
    }

  return TRUE;
}

/* The largest QR code holds 2953 bytes; what is longer was not scanned
 * from a card or a certificate (found by tests/trust: a 1 MiB "name"). */
#define MAX_PAYLOAD_BYTES 4096

static char *
text_from_payload (const char  *data,
                   gssize       len,
                   GError     **error)
{
  g_autofree char *text = NULL;
  gsize size = len < 0 ? strlen (data) : (gsize) len;

  if (size > MAX_PAYLOAD_BYTES)
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("The scanned data is too long for a code on a card or a certificate "
                     "(%lu bytes; a code holds at most %d)."),
                   (unsigned long) size, MAX_PAYLOAD_BYTES);
      return NULL;
    }
  text = bhxh_text_from_bytes (data, len, error);
  if (text == NULL)
    return NULL;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Line breaks and tabs are a scanner's; other control characters
       * (BEL, ESC, DEL, C1) are no part of any printed code. */
      if (g_unichar_iscntrl (c) && c != '\n' && c != '\r' && c != '\t')
        {
          g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                       _("The scanned data contains a control character (U+%04X) "
                         "at byte %d: it is not text from a card."),
                       c, (int) (p - text));
          return NULL;
        }
    }

  g_strchomp (text);   /* the scanner's CR/LF */
  g_strchug (text);
  if (*text == '\0')
    {
      g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_EMPTY,
                           _("The scanned data is empty."));
      return NULL;
    }

  return g_steal_pointer (&text);
}

/**
 * bhxh_document_parse_cccd:
 * @data: the QR payload of a chip ID card, as raw bytes
 * @len: length of @data, or -1 if nul-terminated
 * @error: return location for a #BhxhCoreError
 *
 * Parses the CCCD layout of DOMAIN.md §2. Lenient where real cards and
 * scanners vary (byte order mark, CR/LF, NFD text, spaces around fields,
 * extra or trailing fields, an empty old-ID field, partial birth dates,
 * sex in any case); strict where the input cannot be a card.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
BhxhDocument *
bhxh_document_parse_cccd (const char  *data,
                          gssize       len,
                          GError     **error)
{
  g_autoptr(BhxhDocument) doc = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  guint n_fields;

  g_return_val_if_fail (data != NULL, NULL);

  text = text_from_payload (data, len, error);
  if (text == NULL)
    return NULL;

  fields = g_strsplit (text, "|", -1);
  n_fields = g_strv_length (fields);
  if (n_fields < CCCD_MIN_FIELDS)
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_TOO_FEW_FIELDS,
                   _("This is not an ID card code: it has %u fields separated by “|”, "
                     "a card has at least %u."), n_fields, CCCD_MIN_FIELDS);
      return NULL;
    }

  doc = bhxh_document_new (BHXH_DOCUMENT_CCCD);
  if (!parse_cccd_fields (doc, fields, n_fields, error))
    return NULL;

  doc->raw = g_steal_pointer (&text);
  bhxh_document_recheck (doc);
  return g_steal_pointer (&doc);
}

/* What a scanner adds around a card's code (DOMAIN.md §7): a label such as
 * "CCCD:" before it, and a line end of its own — CR alone included —
 * before whatever it sends next. The first line, without the label. */
static char *
card_text_of_scan (const char *text)
{
  const char *start = text;
  const char *p = text;

  while (g_ascii_isalpha (*p) && p - text < 12)
    p++;
  if (p - text >= 2 && *p == ':')
    {
      p++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (g_ascii_isdigit (*p))
        start = p;
    }
  return g_strstrip (g_strndup (start, strcspn (start, "\r\n")));
}

/**
 * bhxh_document_parse_scan:
 * @data: any scanned payload, as raw bytes
 * @len: length of @data, or -1 if nul-terminated
 * @error: return location for a #BhxhCoreError
 *
 * What a scan at the counter gives: the CCCD layout where it fits, also
 * behind a scanner's label ("CCCD:") or before a line end of the
 * scanner's (CR alone too); otherwise (other codes) the first 12-digit
 * number in the text, with the raw text kept for the clerk.
 *
 * Returns: (transfer full): the document, or %NULL with @error set when
 *   the payload is not text or holds no identification number
 */
BhxhDocument *
bhxh_document_parse_scan (const char  *data,
                          gssize       len,
                          GError     **error)
{
  g_autoptr(GError) cccd_error = NULL;
  g_autoptr(BhxhDocument) doc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *card = NULL;
  g_autofree char *number = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  doc = bhxh_document_parse_cccd (data, len, &cccd_error);
  if (doc != NULL)
    return g_steal_pointer (&doc);
  if (g_error_matches (cccd_error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_NUL_BYTE)
      || g_error_matches (cccd_error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_INVALID_UTF8)
      || g_error_matches (cccd_error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_EMPTY))
    {
      g_propagate_error (error, g_steal_pointer (&cccd_error));
      return NULL;
    }

  text = text_from_payload (data, len, error);
  if (text == NULL)
    return NULL;
  card = card_text_of_scan (text);
  if (*card != '\0' && !g_str_equal (card, text))
    {
      doc = bhxh_document_parse_cccd (card, -1, NULL);
      if (doc != NULL)
        {
          g_free (doc->raw);
          doc->raw = g_steal_pointer (&text);
          return g_steal_pointer (&doc);
        }
    }
  number = bhxh_text_find_digits (text, 12);
  if (number == NULL)
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_ID,
                   _("No 12-digit identification number in the scanned code (%s)."),
                   cccd_error->message);
      return NULL;
    }

  doc = bhxh_document_new (BHXH_DOCUMENT_ID_CARD_OTHER);
  doc->id_number = g_steal_pointer (&number);
  doc->raw = g_steal_pointer (&text);
  bhxh_document_recheck (doc);
  return g_steal_pointer (&doc);
}

static const char *auth_names[] = {
  "not-checked", "valid", "invalid", "untrusted", "absent",
};

const char *
bhxh_auth_result_to_string (BhxhAuthResult result)
{
  g_return_val_if_fail (result <= BHXH_AUTH_ABSENT, "not-checked");
  return auth_names[result];
}

gboolean
bhxh_auth_result_parse (const char     *text,
                        BhxhAuthResult *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    if (g_strcmp0 (text, auth_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * bhxh_document_is_chip_verified:
 * @self: a document
 *
 * Returns: %TRUE for a chip whose data passed passive authentication
 *   (signed by a trusted CSCA's Document Signer, every group's hash right)
 *   and whose own authentication, where it has one, did not fail
 */
gboolean
bhxh_document_is_chip_verified (const BhxhDocument *self)
{
  return self != NULL && self->kind == BHXH_DOCUMENT_CCCD_CHIP &&
         self->chip.passive == BHXH_AUTH_VALID &&
         self->chip.chip != BHXH_AUTH_INVALID && self->chip.chip != BHXH_AUTH_UNTRUSTED;
}

/**
 * bhxh_document_chip_disagreements:
 * @self: a chip document
 *
 * The fields where the card's QR, read with the chip, says something else
 * than the chip: the QR can be printed by anyone, the chip cannot.
 * Spelling that only differs in tone placement is the same name.
 *
 * Returns: (transfer full) (element-type utf8): field names, empty when
 *   they agree or no QR came with the chip
 */
GPtrArray *
bhxh_document_chip_disagreements (const BhxhDocument *self)
{
  GPtrArray *fields = g_ptr_array_new ();
  const BhxhDocument *qr = self->qr;

  if (self->kind != BHXH_DOCUMENT_CCCD_CHIP || qr == NULL)
    return fields;
  if (bhxh_compare_exact (self->id_number, qr->id_number) != BHXH_LEVEL_MATCH)
    g_ptr_array_add (fields, (gpointer) "id_number");
  if (bhxh_compare_name (self->full_name, qr->full_name) > BHXH_LEVEL_EQUIVALENT)
    g_ptr_array_add (fields, (gpointer) "full_name");
  if (bhxh_date_compare (&self->birth_date, &qr->birth_date) != 0)
    g_ptr_array_add (fields, (gpointer) "birth_date");
  if (self->sex != qr->sex)
    g_ptr_array_add (fields, (gpointer) "sex");
  if (bhxh_date_is_set (&qr->issue_date) &&
      bhxh_date_compare (&self->issue_date, &qr->issue_date) != 0)
    g_ptr_array_add (fields, (gpointer) "issue_date");
  if (qr->old_id_number != NULL &&
      g_strcmp0 (self->old_id_number, qr->old_id_number) != 0)
    g_ptr_array_add (fields, (gpointer) "old_id_number");
  return fields;
}

static const char *chip_file_names[] = { "sod", "dg1", "dg13", "dg15", "dg14" };

static GBytes **
chip_file (BhxhChipAuth *auth,
           guint         i)
{
  GBytes **files[] = { &auth->sod, &auth->dg1, &auth->dg13, &auth->dg15, &auth->dg14 };

  return files[i];
}

/* The signed files, base64, for the receiver to check again. */
static void
add_chip_files (JsonBuilder        *builder,
                const BhxhChipAuth *auth)
{
  json_builder_set_member_name (builder, "files");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (chip_file_names); i++)
    {
      GBytes *file = *chip_file ((BhxhChipAuth *) auth, i);
      g_autofree char *text = NULL;

      if (file == NULL)
        continue;
      text = g_base64_encode (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
      bhxh_json_add_string (builder, chip_file_names[i], text);
    }
  json_builder_end_object (builder);
}

static void
read_chip_files (JsonObject   *auth,
                 BhxhChipAuth *out)
{
  JsonObject *files = NULL;

  if (json_object_has_member (auth, "files") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (auth, "files")))
    files = json_object_get_object_member (auth, "files");
  for (guint i = 0; files != NULL && i < G_N_ELEMENTS (chip_file_names); i++)
    {
      const char *text = json_object_get_string_member_with_default (files, chip_file_names[i],
                                                                     NULL);
      guchar *data;
      gsize len;

      if (text == NULL)
        continue;
      data = g_base64_decode (text, &len);
      *chip_file (out, i) = g_bytes_new_take (data, len);
    }
}

static void
add_chip_members (JsonBuilder        *builder,
                  const BhxhDocument *self)
{
  bhxh_json_add_date (builder, "expiry_date", &self->expiry_date);
  bhxh_json_add_string (builder, "nationality", self->nationality);
  bhxh_json_add_string (builder, "ethnicity", self->ethnicity);
  bhxh_json_add_string (builder, "religion", self->religion);
  bhxh_json_add_string (builder, "place_of_origin", self->place_of_origin);
  bhxh_json_add_string (builder, "personal_marks", self->personal_marks);
  bhxh_json_add_string (builder, "spouse_name", self->spouse_name);
  json_builder_set_member_name (builder, "authentication");
  json_builder_begin_object (builder);
  bhxh_json_add_string (builder, "passive", bhxh_auth_result_to_string (self->chip.passive));
  if (self->chip.reason != NULL)
    bhxh_json_add_string (builder, "reason", self->chip.reason);
  bhxh_json_add_string (builder, "signer", self->chip.signer);
  bhxh_json_add_string (builder, "chip", bhxh_auth_result_to_string (self->chip.chip));
  json_builder_set_member_name (builder, "bac_attempts");
  json_builder_add_int_value (builder, self->chip.bac_attempts);
  /* Extensions: how the chip was opened and authenticated. */
  json_builder_set_member_name (builder, "pace_attempts");
  json_builder_add_int_value (builder, self->chip.pace_attempts);
  if (self->chip.access != NULL)
    bhxh_json_add_string (builder, "access", self->chip.access);
  if (self->chip.access_fallback != NULL)
    bhxh_json_add_string (builder, "access_fallback", self->chip.access_fallback);
  if (self->chip.chip_method != NULL)
    bhxh_json_add_string (builder, "chip_method", self->chip.chip_method);
  add_chip_files (builder, &self->chip);
  json_builder_end_object (builder);
  if (self->qr != NULL)
    {
      g_autoptr(GPtrArray) differ = bhxh_document_chip_disagreements (self);

      json_builder_set_member_name (builder, "qr");
      json_builder_add_string_value (builder, self->qr->raw);
      /* Derived, for people to read: chip_from_json() ignores it. */
      json_builder_set_member_name (builder, "qr_mismatch");
      json_builder_begin_array (builder);
      for (guint i = 0; i < differ->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (differ, i));
      json_builder_end_array (builder);
    }
}

/* A chip document as bhxh-deskctl chip read printed it; its QR, when it
 * has one, is parsed again from the text. Unless @trusted (the store's own
 * record), a successful authentication is a claim, and claims are not
 * taken: passive and chip authentication read back "not-checked" (a failure
 * claimed stays one), for bhxh_chip_document_verify() to check the signed
 * files again. */
static BhxhDocument *
chip_from_json (JsonObject  *object,
                gboolean     trusted,
                GError     **error)
{
  g_autoptr(BhxhDocument) document = bhxh_document_new (BHXH_DOCUMENT_CCCD_CHIP);
  JsonObject *auth = NULL;
  const char *qr;

  document->id_number = bhxh_json_dup_string (object, "id_number", NULL);
  document->old_id_number = bhxh_json_dup_string (object, "old_id_number", NULL);
  document->full_name = bhxh_json_dup_string (object, "full_name", NULL);
  document->address = bhxh_json_dup_string (object, "address", NULL);
  document->father_name = bhxh_json_dup_string (object, "father_name", NULL);
  document->mother_name = bhxh_json_dup_string (object, "mother_name", NULL);
  document->nationality = bhxh_json_dup_string (object, "nationality", NULL);
  document->ethnicity = bhxh_json_dup_string (object, "ethnicity", NULL);
  document->religion = bhxh_json_dup_string (object, "religion", NULL);
  document->place_of_origin = bhxh_json_dup_string (object, "place_of_origin", NULL);
  document->personal_marks = bhxh_json_dup_string (object, "personal_marks", NULL);
  document->spouse_name = bhxh_json_dup_string (object, "spouse_name", NULL);
  if (!bhxh_sex_parse (json_object_get_string_member_with_default (object, "sex", ""),
                       &document->sex))
    document->sex = BHXH_SEX_UNKNOWN;
  if (!bhxh_json_get_date (object, "birth_date", &document->birth_date, error) ||
      !bhxh_json_get_date (object, "issue_date", &document->issue_date, error) ||
      !bhxh_json_get_date (object, "expiry_date", &document->expiry_date, error))
    return NULL;
  if (json_object_has_member (object, "authentication") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "authentication")))
    auth = json_object_get_object_member (object, "authentication");
  if (auth == NULL ||
      !bhxh_auth_result_parse (json_object_get_string_member_with_default (auth, "passive", ""),
                               &document->chip.passive) ||
      !bhxh_auth_result_parse (json_object_get_string_member_with_default (auth, "chip", ""),
                               &document->chip.chip))
    {
      g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                           _("A chip’s data comes with its authentication"));
      return NULL;
    }
  document->chip.reason = bhxh_json_dup_string (auth, "reason", NULL);
  document->chip.signer = bhxh_json_dup_string (auth, "signer", NULL);
  document->chip.bac_attempts = json_object_get_int_member_with_default (auth, "bac_attempts", 0);
  document->chip.pace_attempts = json_object_get_int_member_with_default (auth, "pace_attempts",
                                                                          0);
  document->chip.access =
    g_intern_string (json_object_get_string_member_with_default (auth, "access", NULL));
  document->chip.access_fallback =
    g_intern_string (json_object_get_string_member_with_default (auth, "access_fallback", NULL));
  document->chip.chip_method =
    g_intern_string (json_object_get_string_member_with_default (auth, "chip_method", NULL));
  read_chip_files (auth, &document->chip);
  if (!trusted)
    {
      if (document->chip.passive != BHXH_AUTH_INVALID)
        document->chip.passive = BHXH_AUTH_NOT_CHECKED;
      if (document->chip.chip != BHXH_AUTH_INVALID)
        document->chip.chip = BHXH_AUTH_NOT_CHECKED;
      if (document->chip.passive != BHXH_AUTH_INVALID && document->chip.chip != BHXH_AUTH_INVALID)
        g_clear_pointer (&document->chip.reason, g_free);
    }
  qr = json_object_get_string_member_with_default (object, "qr", NULL);
  if (qr != NULL && (document->qr = bhxh_document_parse_scan (qr, -1, error)) == NULL)
    return NULL;
  bhxh_document_recheck (document);
  return g_steal_pointer (&document);
}

/**
 * bhxh_document_to_json:
 * @self: a document
 *
 * The object `bhxh-deskctl qr parse` prints (a contract: extend, never
 * change): document, id_number, old_id_number, full_name, birth_date,
 * sex, address, issue_date, father_name, mother_name (null when the
 * document names none), extra, warnings; raw for all but a CCCD.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
bhxh_document_to_json (const BhxhDocument *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) codes = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  bhxh_json_add_string (builder, "document", bhxh_document_kind_to_string (self->kind));
  bhxh_json_add_string (builder, "id_number", self->id_number);
  bhxh_json_add_string (builder, "old_id_number", self->old_id_number);
  bhxh_json_add_string (builder, "full_name", self->full_name);
  bhxh_json_add_date (builder, "birth_date", &self->birth_date);
  bhxh_json_add_string (builder, "sex", bhxh_sex_to_string (self->sex));
  bhxh_json_add_string (builder, "address", self->address);
  bhxh_json_add_date (builder, "issue_date", &self->issue_date);
  bhxh_json_add_string (builder, "father_name", self->father_name);
  bhxh_json_add_string (builder, "mother_name", self->mother_name);
  json_builder_set_member_name (builder, "extra");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->extra->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->extra, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  codes = bhxh_id_warnings_to_codes (self->warnings);
  for (guint i = 0; i < codes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (codes, i));
  json_builder_end_array (builder);
  if (self->kind == BHXH_DOCUMENT_CCCD_CHIP)
    add_chip_members (builder, self);
  else if (self->kind != BHXH_DOCUMENT_CCCD)
    bhxh_json_add_string (builder, "raw", self->raw);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * bhxh_document_parse_birth_certificate:
 * @data: whatever a code on a birth certificate held, as raw bytes
 * @len: length of @data, or -1 if nul-terminated
 *
 * No standard payload is known for birth certificates: some carry a
 * verification URL, recent ones print the child's number. So any text is
 * accepted; the first 12-digit run becomes the identification number
 * (with the core's checks), and the raw text is kept for the clerk, who
 * completes the rest (name, birth date, sex, parents) by hand.
 *
 * Returns: (transfer full): a birth-certificate document, or %NULL with
 *   @error set (a #BhxhCoreError) only when @data is not text
 */
BhxhDocument *
bhxh_document_parse_birth_certificate (const char  *data,
                                       gssize       len,
                                       GError     **error)
{
  g_autoptr(BhxhDocument) document = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  text = bhxh_text_from_bytes (data, len, error);
  if (text == NULL)
    return NULL;

  document = bhxh_document_new (BHXH_DOCUMENT_BIRTH_CERTIFICATE);
  document->id_number = bhxh_text_find_digits (text, 12);
  document->raw = g_steal_pointer (&text);
  bhxh_document_recheck (document);
  return g_steal_pointer (&document);
}

/**
 * bhxh_document_from_json:
 * @object: what bhxh_document_to_json() made, with "raw" for a card
 *
 * The document a client of bhxh-deskd sends. Nothing it claims is taken
 * on trust that can be derived: a card's QR is parsed again from "raw"
 * (its fields are ignored); a typed birth certificate or post copy takes
 * the typed fields and is checked again (bhxh_document_recheck()).
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
BhxhDocument *
bhxh_document_from_json (JsonObject  *object,
                         GError     **error)
{
  const char *kind_text = json_object_get_string_member_with_default (object, "document", "");
  const char *raw = json_object_get_string_member_with_default (object, "raw", NULL);
  g_autoptr(BhxhDocument) document = NULL;
  BhxhDocumentKind kind;
  JsonArray *extra;

  if (!bhxh_document_kind_parse (kind_text, &kind))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("“%s” is not a kind of document"), kind_text);
      return NULL;
    }
  if (kind == BHXH_DOCUMENT_CCCD || kind == BHXH_DOCUMENT_ID_CARD_OTHER)
    {
      if (raw == NULL)
        {
          g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                               _("A card is sent as the text its code holds"));
          return NULL;
        }
      return bhxh_document_parse_scan (raw, -1, error);
    }
  if (kind == BHXH_DOCUMENT_CCCD_CHIP)
    return chip_from_json (object, FALSE, error);
  if (kind == BHXH_DOCUMENT_POST_COPY)
    return bhxh_document_new_post_copy (json_object_get_string_member_with_default (object,
                                                                                    "id_number",
                                                                                    ""),
                                        error);

  document = bhxh_document_new (kind);
  document->id_number = bhxh_json_dup_string (object, "id_number", NULL);
  document->old_id_number = bhxh_json_dup_string (object, "old_id_number", NULL);
  document->full_name = bhxh_json_dup_string (object, "full_name", NULL);
  document->address = bhxh_json_dup_string (object, "address", NULL);
  document->father_name = bhxh_json_dup_string (object, "father_name", NULL);
  document->mother_name = bhxh_json_dup_string (object, "mother_name", NULL);
  document->raw = bhxh_json_dup_string (object, "raw", NULL);
  if (!bhxh_sex_parse (json_object_get_string_member_with_default (object, "sex", ""),
                       &document->sex))
    document->sex = BHXH_SEX_UNKNOWN;
  if (!bhxh_json_get_date (object, "birth_date", &document->birth_date, error) ||
      !bhxh_json_get_date (object, "issue_date", &document->issue_date, error))
    return NULL;
  extra = bhxh_json_get_array (object, "extra");
  for (guint i = 0; extra != NULL && i < json_array_get_length (extra); i++)
    g_ptr_array_add (document->extra, g_strdup (json_array_get_string_element (extra, i)));
  bhxh_document_recheck (document);
  return g_steal_pointer (&document);
}

/**
 * bhxh_document_from_record:
 * @object: a document the store itself recorded with a decision
 *
 * As bhxh_document_from_json(), but a chip's authentication is the one
 * the store accepted when it recorded it (checked then).
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
BhxhDocument *
bhxh_document_from_record (JsonObject  *object,
                           GError     **error)
{
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "document", ""),
                 "cccd-chip") == 0)
    return chip_from_json (object, TRUE, error);
  return bhxh_document_from_json (object, error);
}
