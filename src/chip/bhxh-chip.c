/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/rand.h>

#include "bhxh-chip-pcsc.h"
#include "bhxh-chip-private.h"

G_DEFINE_QUARK (bhxh-chip-error-quark, bhxh_chip_error)

/* The eMRTD application and the short file identifiers of ICAO 9303
 * part 10 (DOMAIN.md §8). */
static const guint8 emrtd_aid[] = { 0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };
#define FID_COM  0x011e
#define FID_SOD  0x011d
#define FID_DG(n) (0x0100 + (n))
/* A READ BINARY's length: its answer, protected, stays within 256 bytes. */
#define READ_CHUNK 0xdf
/* Offsets above this need READ BINARY with an odd INS (not supported). */
#define MAX_FILE_SIZE 0x8000
/* Access keys tried on one card at most: cards slow down after failures. */
#define MAX_BAC_ATTEMPTS 3

#define SW_OK 0x9000

typedef struct
{
  BhxhChipCard *card;
  BhxhChipSM    sm;
  gboolean      secure;
  GCancellable *cancellable;
  /* Progress: the current step and its share of the whole read. */
  BhxhChipProgressFunc progress;
  gpointer      progress_data;
  BhxhChipStep  step;
  double        from, to, done;
} Session;

/* The step now running, which takes the read from @from to @to. */
static void
report_step (Session      *s,
             BhxhChipStep  step,
             double        from,
             double        to)
{
  s->step = step;
  s->from = from;
  s->to = to;
  s->done = MAX (s->done, from);
  if (s->progress != NULL)
    s->progress (step, s->done, s->progress_data);
}

/* @got bytes of a file of @total read; a step's later files only go on
 * from where its first left the bar. */
static void
report_bytes (Session *s,
              gsize    got,
              gssize   total)
{
  double fraction;

  if (s->progress == NULL || total <= 0)
    return;
  fraction = s->from + (s->to - s->from) * MIN ((double) got / total, 1.0);
  if (fraction > s->done)
    {
      s->done = fraction;
      s->progress (s->step, fraction, s->progress_data);
    }
}

/* ---- access keys ---- */

static gboolean
all_digits (const char *text,
            gsize       len)
{
  if (strlen (text) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
bad_key (GError **error)
{
  g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_BAD_KEY,
                       _("The access key is not DOCUMENT-NUMBER:YYMMDD:YYMMDD "
                         "(document number, birth date, expiry date)"));
  return FALSE;
}

/**
 * bhxh_chip_key_parse:
 * @text: `DOCNO:YYMMDD:YYMMDD` — the document number as in the MRZ (or a
 *   12-digit ID number, whose last 9 digits it is), birth and expiry dates
 *
 * Returns: %TRUE and @out set, or %FALSE with a %BHXH_CHIP_ERROR_BAD_KEY
 */
gboolean
bhxh_chip_key_parse (const char  *text,
                     BhxhChipKey *out,
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ":", -1);
  const char *number;
  gsize n;

  if (g_strv_length (parts) != 3 || !all_digits (parts[1], 6) || !all_digits (parts[2], 6))
    return bad_key (error);
  number = parts[0];
  n = strlen (number);
  if (n == 12 && all_digits (number, 12))
    number += 3;
  else if (n == 0 || n > 9)
    return bad_key (error);
  for (const char *p = number; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'A' && *p <= 'Z'))
      return bad_key (error);
  memset (out, 0, sizeof *out);
  g_strlcpy (out->document_number, number, sizeof out->document_number);
  g_strlcpy (out->birth, parts[1], sizeof out->birth);
  g_strlcpy (out->expiry, parts[2], sizeof out->expiry);
  return TRUE;
}

static void
format_yymmdd (char           out[7],
               const BhxhDate *date)
{
  g_snprintf (out, 7, "%02u%02u%02u", date->year % 100u, date->month, date->day);
}

/* The birthday at @age, 29 February falling on 28 February. */
static BhxhDate
birthday_at (const BhxhDate *birth,
             guint           age)
{
  BhxhDate day = { birth->year + age, birth->month, birth->day };

  if (!bhxh_date_is_valid (&day))
    day.day = 28;
  return day;
}

/**
 * bhxh_chip_keys_from_document:
 * @qr: the card's QR (its ID number, birth date and issue date)
 *
 * The QR has no expiry date: a card is renewed at 14 (căn cước), 25, 40
 * and 60, and one issued less than two years before such an age is valid
 * until the next (DOMAIN.md §8, unsure). The likely expiry comes first,
 * then the renewal ages next to it, at most %MAX_BAC_ATTEMPTS in all.
 *
 * Returns: (transfer full) (element-type BhxhChipKey): the keys to try
 */
GArray *
bhxh_chip_keys_from_document (const BhxhDocument *qr,
                              GError            **error)
{
  static const guint ages[] = { 14, 25, 40, 60 };
  g_autoptr(GArray) keys = g_array_new (FALSE, TRUE, sizeof (BhxhChipKey));
  BhxhChipKey key = { { 0 } };
  int likely = -1;

  if (qr == NULL || !bhxh_id_number_is_valid (qr->id_number) ||
      !bhxh_date_is_full (&qr->birth_date) || !bhxh_date_is_full (&qr->issue_date))
    {
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_BAD_KEY,
                           _("The card’s QR lacks the ID number, birth date or issue date "
                             "the chip’s access key is made of: type the MRZ instead"));
      return NULL;
    }
  g_strlcpy (key.document_number, qr->id_number + 3, sizeof key.document_number);
  format_yymmdd (key.birth, &qr->birth_date);

  for (guint i = 0; i < G_N_ELEMENTS (ages) && likely < 0; i++)
    {
      BhxhDate renewal = birthday_at (&qr->birth_date, ages[i]);
      BhxhDate two_before = birthday_at (&qr->birth_date, ages[i] - 2);

      if (bhxh_date_compare (&qr->issue_date, &two_before) < 0)
        likely = i;
      else if (bhxh_date_compare (&qr->issue_date, &renewal) < 0 && i + 1 < G_N_ELEMENTS (ages))
        likely = i + 1;
    }
  if (likely < 0)
    {
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_BAD_KEY,
                           _("The card does not expire, so its access key cannot be "
                             "derived from the QR: type the MRZ instead"));
      return NULL;
    }
  for (int d = 0; d <= 1; d++)
    for (int sign = 1; sign >= -1; sign -= 2)
      {
        int i = likely + sign * d;
        BhxhDate expiry;

        if ((d == 0 && sign < 0) || i < 0 || i >= (int) G_N_ELEMENTS (ages) ||
            keys->len >= MAX_BAC_ATTEMPTS)
          continue;
        expiry = birthday_at (&qr->birth_date, ages[i]);
        if (bhxh_date_compare (&expiry, &qr->issue_date) <= 0)
          continue;
        format_yymmdd (key.expiry, &expiry);
        g_array_append_val (keys, key);
      }
  return g_steal_pointer (&keys);
}

/* ---- APDUs ---- */

/* Between commands: the GIO convention, G_IO_ERROR_CANCELLED. */
static gboolean
cancelled (Session  *s,
           GError  **error)
{
  return g_cancellable_set_error_if_cancelled (s->cancellable, error);
}

/* One command, protected when secure messaging is on; the answer's data
 * and its status word. */
static GBytes *
command (Session       *s,
         const guint8  *apdu,
         gsize          len,
         guint16       *sw,
         GError       **error)
{
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GBytes) resp = NULL;
  const guint8 *data;
  gsize n;

  if (cancelled (s, error))
    return NULL;
  if (s->secure)
    {
      wrapped = _bhxh_chip_sm_wrap (&s->sm, apdu, len, error);
      if (wrapped == NULL)
        return NULL;
      apdu = g_bytes_get_data (wrapped, &len);
    }
  resp = _bhxh_chip_card_transmit (s->card, apdu, len, error);
  if (resp == NULL)
    return NULL;
  data = g_bytes_get_data (resp, &n);
  if (s->secure)
    return _bhxh_chip_sm_unwrap (&s->sm, data, n, sw, error);
  *sw = (data[n - 2] << 8) | data[n - 1];
  return g_bytes_new (data, n - 2);
}

/* @message: a translated sentence with one %04X, the status word. */
static gboolean
status_error (guint16     sw,
              const char *message,
              GError    **error)
{
  g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL, message, sw);
  return FALSE;
}

static gboolean
select_application (Session  *s,
                    GError  **error)
{
  guint8 apdu[5 + sizeof emrtd_aid] = { 0x00, 0xa4, 0x04, 0x0c, sizeof emrtd_aid };
  g_autoptr(GBytes) resp = NULL;
  guint16 sw;

  memcpy (apdu + 5, emrtd_aid, sizeof emrtd_aid);
  s->secure = FALSE;
  if ((resp = command (s, apdu, sizeof apdu, &sw, error)) == NULL)
    return FALSE;
  if (sw != SW_OK)
    {
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL,
                           _("This card has no ID chip application (ICAO eMRTD)"));
      return FALSE;
    }
  return TRUE;
}

/* One BAC attempt: GET CHALLENGE, then EXTERNAL AUTHENTICATE with the
 * key's proof. %FALSE with @error unset when the chip rejects the key. */
static gboolean
try_bac (Session           *s,
         const BhxhChipKey *key,
         GError           **error)
{
  static const guint8 get_challenge[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };
  guint8 auth[5 + 40 + 1] = { 0x00, 0x82, 0x00, 0x00, 0x28 };
  g_autoptr(GBytes) challenge = NULL;
  g_autoptr(GBytes) answer = NULL;
  BhxhChipBac bac;
  guint16 sw;
  gboolean ok;

  if (!select_application (s, error))
    return FALSE;
  if ((challenge = command (s, get_challenge, sizeof get_challenge, &sw, error)) == NULL)
    return FALSE;
  if (sw != SW_OK || g_bytes_get_size (challenge) != 8)
    return status_error (sw, _("The chip gave no challenge (status %04X)"), error);

  _bhxh_chip_bac_init (&bac, key);
  memcpy (bac.rnd_icc, g_bytes_get_data (challenge, NULL), 8);
  if (RAND_bytes (bac.rnd_ifd, 8) != 1 || RAND_bytes (bac.k_ifd, 16) != 1 ||
      !_bhxh_chip_bac_command (&bac, auth + 5))
    return status_error (0, _("The access control could not be started (%04X)"), error);
  auth[45] = 0x28;
  if ((answer = command (s, auth, sizeof auth, &sw, error)) == NULL)
    return FALSE;
  if (sw != SW_OK)
    return FALSE;   /* 6300 / 6982: the key is wrong */
  ok = _bhxh_chip_bac_finish (&bac, g_bytes_get_data (answer, NULL),
                              g_bytes_get_size (answer), &s->sm, error);
  explicit_bzero (&bac, sizeof bac);
  s->secure = ok;
  return ok;
}

static gboolean
open_chip (Session      *s,
           GArray       *keys,
           guint        *attempts,
           GError      **error)
{
  for (guint i = 0; keys != NULL && i < keys->len && i < MAX_BAC_ATTEMPTS; i++)
    {
      g_autoptr(GError) local = NULL;

      (*attempts)++;
      if (try_bac (s, &g_array_index (keys, BhxhChipKey, i), &local))
        return TRUE;
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_ACCESS_DENIED,
               g_dngettext (GETTEXT_PACKAGE,
                            "The chip cannot be read: wrong access key (BAC), %u try",
                            "The chip cannot be read: wrong access key (BAC), %u tries",
                            *attempts),
               *attempts);
  return FALSE;
}

/* SELECT the EF, then READ BINARY: its first bytes give its length, the
 * rest comes in chunks. %NULL with @error unset when the file is absent. */
static GBytes *
read_file (Session  *s,
           guint16   fid,
           GError  **error)
{
  guint8 select[] = { 0x00, 0xa4, 0x02, 0x0c, 0x02, fid >> 8, fid & 0xff };
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) resp = NULL;
  gssize total = 4;
  guint16 sw;

  if ((resp = command (s, select, sizeof select, &sw, error)) == NULL)
    return NULL;
  if (sw == 0x6a82)
    return NULL;
  if (sw != SW_OK)
    return status_error (sw, _("The chip refused to open a file (status %04X)"), error), NULL;

  while ((gssize) file->len < total)
    {
      gsize want = MIN ((gsize) (total - file->len), READ_CHUNK);
      guint8 read[] = { 0x00, 0xb0, file->len >> 8, file->len & 0xff, want };
      g_autoptr(GBytes) chunk = command (s, read, sizeof read, &sw, error);
      gsize got;

      if (chunk == NULL)
        return NULL;
      got = g_bytes_get_size (chunk);
      if ((sw != SW_OK && sw != 0x6282) || got == 0)
        return status_error (sw, _("The chip refused to read a file (status %04X)"), error), NULL;
      g_byte_array_append (file, g_bytes_get_data (chunk, NULL), got);
      if (total == 4 && (total = _bhxh_tlv_total_length (file->data, file->len)) < 0)
        return status_error (sw, _("The chip refused to read a file (status %04X)"), error), NULL;
      if (total > MAX_FILE_SIZE)
        {
          g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
                               _("A file on the chip is too large"));
          return NULL;
        }
      report_bytes (s, file->len, total);
    }
  g_byte_array_set_size (file, total);
  return g_byte_array_free_to_bytes (g_steal_pointer (&file));
}

static GBytes *
read_required (Session     *s,
               guint16      fid,
               const char  *name,
               GError     **error)
{
  g_autoptr(GError) local = NULL;
  GBytes *file = read_file (s, fid, &local);

  if (file == NULL && local == NULL)
    g_set_error (&local, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT,
                 _("The chip has no %s"), name);
  if (file == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return file;
}

static gboolean
lists_group (GArray *groups,
             guint   number)
{
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    if (g_array_index (groups, guint, i) == number)
      return TRUE;
  return FALSE;
}

/* The files the read needs, in the table of files passive authentication
 * checks (DG number → contents). */
static gboolean
read_files (Session             *s,
            BhxhChipResult      *result,
            BhxhChipReadFlags    flags,
            GHashTable          *groups,
            GBytes             **sod,
            GArray             **listed,
            GError             **error)
{
  g_autoptr(GBytes) com = NULL;
  gboolean portrait = (flags & BHXH_CHIP_READ_PORTRAIT) != 0;
  GBytes *file;

  /* DG2 is most of the bytes when it is read. */
  report_step (s, BHXH_CHIP_STEP_PERSONAL, 0.1, portrait ? 0.3 : 0.6);
  if ((com = read_required (s, FID_COM, "EF.COM", error)) == NULL ||
      (*listed = _bhxh_chip_parse_com (com, error)) == NULL ||
      (file = read_required (s, FID_DG (1), "DG1", error)) == NULL)
    return FALSE;
  g_hash_table_insert (groups, GUINT_TO_POINTER (1), file);
  if ((result->mrz = _bhxh_chip_parse_dg1 (file, error)) == NULL ||
      (file = read_required (s, FID_DG (13), "DG13", error)) == NULL)
    return FALSE;
  g_hash_table_insert (groups, GUINT_TO_POINTER (13), file);
  if (!_bhxh_chip_parse_dg13 (file, result->document, error))
    return FALSE;
  if (portrait && lists_group (*listed, 2))
    {
      report_step (s, BHXH_CHIP_STEP_PORTRAIT, 0.3, 0.85);
      if ((file = read_required (s, FID_DG (2), "DG2", error)) == NULL)
        return FALSE;
      g_hash_table_insert (groups, GUINT_TO_POINTER (2), file);
      if ((result->portrait = _bhxh_chip_parse_dg2 (file, &result->portrait_type, error)) == NULL)
        return FALSE;
    }
  report_step (s, BHXH_CHIP_STEP_SIGNATURE, portrait ? 0.85 : 0.6, 0.95);
  *sod = read_required (s, FID_SOD, "EF.SOD", error);
  return *sod != NULL;
}

/* Active authentication when the chip offers it (DG15): INTERNAL
 * AUTHENTICATE of a random challenge, checked against DG15's key; DG15
 * joins the groups passive authentication checks. */
static gboolean
active_authenticate (Session         *s,
                     GHashTable      *groups,
                     BhxhAuthResult  *result,
                     const char     **reason,
                     GError         **error)
{
  guint8 apdu[5 + 8 + 1] = { 0x00, 0x88, 0x00, 0x00, 0x08 };
  g_autoptr(GBytes) answer = NULL;
  GBytes *dg15;
  guint16 sw;

  if ((dg15 = read_required (s, FID_DG (15), "DG15", error)) == NULL)
    return FALSE;
  g_hash_table_insert (groups, GUINT_TO_POINTER (15), dg15);
  if (RAND_bytes (apdu + 5, 8) != 1)
    return status_error (0, _("The access control could not be started (%04X)"), error);
  apdu[13] = 0x00;
  if ((answer = command (s, apdu, sizeof apdu, &sw, error)) == NULL)
    return FALSE;
  if (sw != SW_OK || g_bytes_get_size (answer) == 0)
    {
      *result = BHXH_AUTH_INVALID;
      *reason = "active-authentication-refused";
      return TRUE;
    }
  *result = _bhxh_chip_active_check (dg15, apdu + 5, g_bytes_get_data (answer, NULL),
                                     g_bytes_get_size (answer), reason);
  return TRUE;
}

/**
 * bhxh_chip_read:
 * @options: the reader, the access keys to try, the trust directory
 * @cancellable: (nullable): checked between commands
 *
 * Opens the chip with the first access key that works (BAC), reads
 * EF.COM, DG1, DG13, DG2 when asked and EF.SOD under secure messaging,
 * and checks the data passively against @options' CSCA directory at
 * @options' instant. A chip with DG15 is actively authenticated (RSA keys;
 * others are not checked); one with only DG14 (chip authentication)
 * reports it as not checked; one with neither, as absent.
 *
 * Returns: (transfer full): the chip's document with its authentication,
 *   or %NULL with a #BhxhChipError
 */
BhxhChipResult *
bhxh_chip_read (const BhxhChipReadOptions *options,
                GCancellable              *cancellable,
                GError                   **error)
{
  g_autoptr(BhxhChipResult) result = g_new0 (BhxhChipResult, 1);
  g_autoptr(BhxhChipCard) card = NULL;
  g_autoptr(GHashTable) groups = g_hash_table_new_full (NULL, NULL, NULL,
                                                        (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) sod = NULL;
  g_autoptr(GArray) listed = NULL;
  Session s = { .cancellable = cancellable };
  BhxhChipPassiveResult passive = { 0 };
  const char *active_reason = NULL;
  BhxhChipAuth *auth;
  gint64 start;

  g_return_val_if_fail (options != NULL, NULL);

  s.progress = options->progress;
  s.progress_data = options->progress_data;
  if ((card = _bhxh_chip_card_connect (options->reader, options->wait_ms, error)) == NULL)
    return NULL;
  start = g_get_monotonic_time ();
  s.card = card;
  report_step (&s, BHXH_CHIP_STEP_OPENING, 0.0, 0.1);
  result->reader = g_strdup (_bhxh_chip_card_get_reader (card));
  result->document = bhxh_document_new (BHXH_DOCUMENT_CCCD_CHIP);
  auth = &result->document->chip;
  auth->chip = BHXH_AUTH_ABSENT;
  if (!open_chip (&s, options->keys, &auth->bac_attempts, error) ||
      !read_files (&s, result, options->flags, groups, &sod, &listed, error) ||
      (lists_group (listed, 15) &&
       !active_authenticate (&s, groups, &auth->chip, &active_reason, error)))
    {
      explicit_bzero (&s.sm, sizeof s.sm);
      return NULL;
    }
  explicit_bzero (&s.sm, sizeof s.sm);
  result->read_usec = g_get_monotonic_time () - start;

  if (options->csca_dir != NULL)
    {
      _bhxh_chip_passive_check (sod, groups, options->csca_dir, options->now, &passive);
      auth->passive = passive.result;
      auth->reason = g_steal_pointer (&passive.reason);
      auth->signer = g_steal_pointer (&passive.signer);
      _bhxh_chip_passive_result_clear (&passive);
    }
  auth->sod = g_bytes_ref (sod);
  auth->dg1 = g_bytes_ref (g_hash_table_lookup (groups, GUINT_TO_POINTER (1)));
  auth->dg13 = g_bytes_ref (g_hash_table_lookup (groups, GUINT_TO_POINTER (13)));
  if (g_hash_table_contains (groups, GUINT_TO_POINTER (15)))
    auth->dg15 = g_bytes_ref (g_hash_table_lookup (groups, GUINT_TO_POINTER (15)));
  /* Chip authentication (DG14 alone) is not done: said so, not hidden. */
  if (!lists_group (listed, 15) && lists_group (listed, 14))
    auth->chip = BHXH_AUTH_NOT_CHECKED;
  if (auth->reason == NULL && active_reason != NULL)
    auth->reason = g_strdup (active_reason);
  bhxh_document_recheck (result->document);
  report_step (&s, BHXH_CHIP_STEP_SIGNATURE, 1.0, 1.0);
  return g_steal_pointer (&result);
}

static void
list_readers_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  char **readers = bhxh_chip_list_readers (&error);

  if (readers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, readers, (GDestroyNotify) g_strfreev);
}

/**
 * bhxh_chip_list_readers_async:
 *
 * bhxh_chip_list_readers() in a thread: whether to offer a chip read at all
 * without the UI waiting on pcscd.
 */
void
bhxh_chip_list_readers_async (GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, bhxh_chip_list_readers_async);
  g_task_run_in_thread (task, list_readers_thread);
}

char **
bhxh_chip_list_readers_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bhxh_chip_list_readers_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The fields DG13 gives, cleared before it is parsed again. */
static void
clear_chip_fields (BhxhDocument *d)
{
  char **fields[] = { &d->id_number, &d->old_id_number, &d->full_name, &d->address,
                      &d->father_name, &d->mother_name, &d->nationality, &d->ethnicity,
                      &d->religion, &d->place_of_origin, &d->personal_marks, &d->spouse_name };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
  d->birth_date = d->issue_date = d->expiry_date = BHXH_DATE_NONE;
  d->sex = BHXH_SEX_UNKNOWN;
}

/**
 * bhxh_chip_document_verify:
 * @document: a chip document received as JSON (bhxh_document_from_json()
 *   has set its authentication to not checked)
 * @csca_dir: (nullable): the trust directory; %NULL: passive
 *   authentication stays not checked
 * @now: the instant of the check
 *
 * What a receiver does with a chip's data instead of believing it: its
 * fields are parsed again from the signed DG13 it carries, and passive
 * authentication runs again on its SOD, DG1, DG13 (and DG15). Active
 * authentication, a live exchange with the chip, cannot be done again: it
 * stays as received (not checked, or a failure).
 *
 * Returns: %FALSE with a %BHXH_CHIP_ERROR_FORMAT when the DG13 carried is
 *   malformed; a document without files keeps its fields, not checked
 */
gboolean
bhxh_chip_document_verify (BhxhDocument  *document,
                           const char    *csca_dir,
                           GDateTime     *now,
                           GError       **error)
{
  BhxhChipAuth *auth = &document->chip;
  g_autoptr(GHashTable) groups = NULL;
  BhxhChipPassiveResult passive = { 0 };

  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (document->kind == BHXH_DOCUMENT_CCCD_CHIP, FALSE);

  if (auth->dg13 == NULL)
    return TRUE;
  clear_chip_fields (document);
  if (!_bhxh_chip_parse_dg13 (auth->dg13, document, error))
    return FALSE;
  bhxh_document_recheck (document);
  if (csca_dir == NULL || auth->sod == NULL || auth->passive == BHXH_AUTH_INVALID)
    return TRUE;

  groups = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  g_hash_table_insert (groups, GUINT_TO_POINTER (13), g_bytes_ref (auth->dg13));
  if (auth->dg1 != NULL)
    g_hash_table_insert (groups, GUINT_TO_POINTER (1), g_bytes_ref (auth->dg1));
  if (auth->dg15 != NULL)
    g_hash_table_insert (groups, GUINT_TO_POINTER (15), g_bytes_ref (auth->dg15));
  _bhxh_chip_passive_check (auth->sod, groups, csca_dir, now, &passive);
  auth->passive = passive.result;
  g_free (auth->signer);
  auth->signer = g_steal_pointer (&passive.signer);
  if (passive.reason != NULL || auth->chip != BHXH_AUTH_INVALID)
    {
      g_free (auth->reason);
      auth->reason = g_steal_pointer (&passive.reason);
    }
  _bhxh_chip_passive_result_clear (&passive);
  return TRUE;
}

/**
 * bhxh_chip_default_trust_dir:
 *
 * The CSCA certificates the office installs as data: $BHXH_DESK_CSCA_DIR,
 * else /etc/bhxh-desk/csca.
 *
 * Returns: (transfer full) (nullable): the directory, or %NULL when there is
 *   none (nothing can be authenticated)
 */
char *
bhxh_chip_default_trust_dir (void)
{
  const char *dir = g_getenv ("BHXH_DESK_CSCA_DIR");

  if (dir == NULL || *dir == '\0')
    dir = "/etc/bhxh-desk/csca";
  return g_file_test (dir, G_FILE_TEST_IS_DIR) ? g_strdup (dir) : NULL;
}

static BhxhChipReadOptions *
options_copy (const BhxhChipReadOptions *options)
{
  BhxhChipReadOptions *copy = g_new0 (BhxhChipReadOptions, 1);

  copy->reader = g_strdup (options->reader);
  if (options->keys != NULL)
    {
      copy->keys = g_array_new (FALSE, TRUE, sizeof (BhxhChipKey));
      g_array_append_vals (copy->keys, options->keys->data, options->keys->len);
    }
  copy->csca_dir = g_strdup (options->csca_dir);
  copy->now = options->now != NULL ? g_date_time_ref (options->now) : NULL;
  copy->flags = options->flags;
  copy->wait_ms = options->wait_ms;
  copy->progress = options->progress;
  copy->progress_data = options->progress_data;
  return copy;
}

static void
options_free (gpointer data)
{
  bhxh_chip_read_options_clear (data);
  g_free (data);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  BhxhChipResult *result = bhxh_chip_read (task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) bhxh_chip_result_free);
}

/**
 * bhxh_chip_read_async:
 *
 * bhxh_chip_read() in a thread, for the GUI: the options are copied.
 */
void
bhxh_chip_read_async (const BhxhChipReadOptions *options,
                      GCancellable              *cancellable,
                      GAsyncReadyCallback        callback,
                      gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (options != NULL);

  g_task_set_source_tag (task, bhxh_chip_read_async);
  g_task_set_task_data (task, options_copy (options), options_free);
  g_task_run_in_thread (task, read_thread);
}

BhxhChipResult *
bhxh_chip_read_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bhxh_chip_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bhxh_chip_read_options_clear (BhxhChipReadOptions *options)
{
  g_clear_pointer (&options->reader, g_free);
  if (options->keys != NULL)
    explicit_bzero (options->keys->data, options->keys->len * sizeof (BhxhChipKey));
  g_clear_pointer (&options->keys, g_array_unref);
  g_clear_pointer (&options->csca_dir, g_free);
  g_clear_pointer (&options->now, g_date_time_unref);
}

void
bhxh_chip_result_free (BhxhChipResult *result)
{
  if (result == NULL)
    return;
  bhxh_document_free (result->document);
  g_free (result->reader);
  g_free (result->mrz);
  g_clear_pointer (&result->portrait, g_bytes_unref);
  g_free (result);
}
