/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
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
#define SFI_CARD_ACCESS 0x1c
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

/* In the clear before BAC, under secure messaging after PACE. */
static gboolean
select_application (Session  *s,
                    GError  **error)
{
  guint8 apdu[5 + sizeof emrtd_aid] = { 0x00, 0xa4, 0x04, 0x0c, sizeof emrtd_aid };
  g_autoptr(GBytes) resp = NULL;
  guint16 sw;

  memcpy (apdu + 5, emrtd_aid, sizeof emrtd_aid);
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

  s->secure = FALSE;
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

/* One GENERAL AUTHENTICATE of PACE or chip authentication: the dynamic
 * authentication data 7C { @tag_in @data_in } out, the data object
 * @tag_out of the answer's 7C back (empty when @tag_out is 0). %NULL with
 * @error unset when the chip refuses (*@sw). */
static GBytes *
general_authenticate (Session       *s,
                      gboolean       chained,
                      guint8         tag_in,
                      GBytes        *data_in,
                      guint8         tag_out,
                      guint16       *sw,
                      GError       **error)
{
  g_autoptr(GByteArray) apdu = g_byte_array_new ();
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) outer = g_byte_array_new ();
  g_autoptr(GBytes) resp = NULL;
  const guint8 *value;
  gsize len;
  guint8 head[] = { chained ? 0x10 : 0x00, 0x86, 0x00, 0x00, 0 };

  if (data_in != NULL)
    _bhxh_tlv_append (inner, tag_in, g_bytes_get_data (data_in, NULL),
                      g_bytes_get_size (data_in));
  _bhxh_tlv_append (outer, 0x7c, inner->data, inner->len);
  if (outer->len > 0xff)
    return status_error (0, _("The access control could not be started (%04X)"), error), NULL;
  head[4] = outer->len;
  g_byte_array_append (apdu, head, sizeof head);
  g_byte_array_append (apdu, outer->data, outer->len);
  g_byte_array_append (apdu, (guint8[]) { 0x00 }, 1);
  if ((resp = command (s, apdu->data, apdu->len, sw, error)) == NULL || *sw != SW_OK)
    return NULL;
  if (!_bhxh_tlv_find (g_bytes_get_data (resp, NULL), g_bytes_get_size (resp), 0x7c,
                       &value, &len))
    return status_error (*sw, _("The chip’s answer to the access control does not check "
                                "out (%04X)"), error), NULL;
  if (tag_out == 0)
    return g_bytes_new (NULL, 0);
  if (!_bhxh_tlv_find (value, len, tag_out, &value, &len))
    return status_error (*sw, _("The chip’s answer to the access control does not check "
                                "out (%04X)"), error), NULL;
  return g_bytes_new (value, len);
}

/* MSE:Set AT (PACE: P1 C1; chip authentication: P1 41): the protocol,
 * then @extra's data objects. */
static gboolean
set_authentication_template (Session      *s,
                             guint8        p1,
                             const guint8 *oid,
                             gsize         oid_len,
                             const guint8 *extra,
                             gsize         extra_len,
                             guint16      *sw,
                             GError      **error)
{
  g_autoptr(GByteArray) apdu = g_byte_array_new ();
  g_autoptr(GBytes) resp = NULL;
  guint8 head[] = { 0x00, 0x22, p1, 0xa4, 2 + oid_len + extra_len, 0x80, oid_len };

  g_byte_array_append (apdu, head, sizeof head);
  g_byte_array_append (apdu, oid, oid_len);
  g_byte_array_append (apdu, extra, extra_len);
  resp = command (s, apdu->data, apdu->len, sw, error);
  return resp != NULL;
}

/* One PACE attempt (ICAO 9303 part 11 §4.4.4): MSE:Set AT with the MRZ as
 * password, then the four steps of GENERAL AUTHENTICATE. %FALSE with
 * @error unset when the chip rejects the key (the tokens differ). */
static gboolean
try_pace (Session                *s,
          const BhxhChipPaceInfo *info,
          const BhxhChipKey      *key,
          GError                **error)
{
  const guint8 extra[] = { 0x83, 0x01, 0x01, 0x84, 0x01, info->parameter_id };
  g_autoptr(GBytes) nonce = NULL, map_public = NULL, chip_map = NULL;
  g_autoptr(GBytes) eph_public = NULL, chip_public = NULL, token_in = NULL, token_ic = NULL;
  g_autoptr(GBytes) token_out = NULL;
  g_autoptr(GError) local = NULL;
  BhxhChipPace pace;
  BhxhChipSM sm = { 0 };
  guint8 token[8];
  guint16 sw = 0;
  gboolean ok = FALSE;

  s->secure = FALSE;
  if (!set_authentication_template (s, 0xc1, info->oid, info->oid_len, extra, sizeof extra,
                                    &sw, error))
    return FALSE;
  if (sw != SW_OK)
    return status_error (sw, _("The chip refused PACE (status %04X)"), error);
  if (!_bhxh_chip_pace_init (&pace, info, key))
    {
      _bhxh_chip_pace_clear (&pace);
      return status_error (0, _("The access control could not be started (%04X)"), error);
    }

  /* Steps 1–3: the nonce, the mapping, the key agreement. A refusal there
   * is the chip's (or the parameters'), not the key's. */
  if ((nonce = general_authenticate (s, TRUE, 0, NULL, 0x80, &sw, &local)) == NULL ||
      !_bhxh_chip_pace_nonce (&pace, g_bytes_get_data (nonce, NULL), g_bytes_get_size (nonce)) ||
      (map_public = _bhxh_chip_pace_map_public (&pace)) == NULL ||
      (chip_map = general_authenticate (s, TRUE, 0x81, map_public, 0x82, &sw, &local)) == NULL ||
      !_bhxh_chip_pace_map (&pace, g_bytes_get_data (chip_map, NULL),
                            g_bytes_get_size (chip_map)) ||
      (eph_public = _bhxh_chip_pace_eph_public (&pace)) == NULL ||
      (chip_public = general_authenticate (s, TRUE, 0x83, eph_public, 0x84, &sw,
                                           &local)) == NULL ||
      !_bhxh_chip_pace_agree (&pace, g_bytes_get_data (chip_public, NULL),
                              g_bytes_get_size (chip_public), &sm) ||
      !_bhxh_chip_pace_token (info, &sm, chip_public, token))
    {
      if (local == NULL)
        status_error (sw, _("The chip refused PACE (status %04X)"), &local);
      goto out;
    }
  /* Step 4, the tokens: a refusal (6300) means the key is wrong. */
  token_out = g_bytes_new (token, 8);
  if ((token_ic = general_authenticate (s, FALSE, 0x85, token_out, 0x86, &sw, &local)) == NULL)
    goto out;
  if (!_bhxh_chip_pace_token (info, &sm, eph_public, token) ||
      g_bytes_get_size (token_ic) != 8 ||
      CRYPTO_memcmp (token, g_bytes_get_data (token_ic, NULL), 8) != 0)
    {
      g_set_error_literal (&local, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL,
                           _("The chip’s answer to the access control does not check out"));
      goto out;
    }
  s->sm = sm;
  s->secure = TRUE;
  ok = TRUE;

out:
  if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  explicit_bzero (&sm, sizeof sm);
  explicit_bzero (token, sizeof token);
  _bhxh_chip_pace_clear (&pace);
  return ok;
}

/* PACE when EF.CardAccess offers it with parameters this desk speaks,
 * else BAC (and BAC when the chip refuses PACE for another reason than
 * the key); each key tried counts once (at most %MAX_BAC_ATTEMPTS), PACE's
 * as BAC's. */
static gboolean
open_chip (Session       *s,
           GArray        *keys,
           GBytes        *card_access,
           BhxhChipAuth  *auth,
           GError       **error)
{
  BhxhChipPaceInfo info;
  BhxhChipPaceOffer offer = _bhxh_chip_parse_card_access (card_access, &info);
  gboolean pace = offer == BHXH_CHIP_PACE_SUPPORTED;

  if (offer == BHXH_CHIP_PACE_UNSUPPORTED)
    auth->access_fallback = g_intern_static_string ("pace-unsupported");
  for (guint i = 0; keys != NULL && i < keys->len && i < MAX_BAC_ATTEMPTS; i++)
    {
      const BhxhChipKey *key = &g_array_index (keys, BhxhChipKey, i);
      g_autoptr(GError) local = NULL;
      gboolean ok;

      auth->bac_attempts++;
      if (pace)
        auth->pace_attempts++;
      ok = pace ? try_pace (s, &info, key, &local) && select_application (s, &local)
                : try_bac (s, key, &local);
      /* PACE refused or broken (not a wrong key): BAC with the same key,
       * from then on, and said so. */
      if (!ok && pace && g_error_matches (local, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL))
        {
          g_debug ("PACE failed (%s): BAC instead", local->message);
          g_clear_error (&local);
          pace = FALSE;
          auth->access_fallback = g_intern_static_string ("pace-failed");
          ok = try_bac (s, key, &local);
        }
      if (ok)
        {
          auth->access = g_intern_static_string (pace ? "pace" : "bac");
          return TRUE;
        }
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (pace)
    g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_ACCESS_DENIED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The chip cannot be read: wrong access key (PACE), %u try",
                              "The chip cannot be read: wrong access key (PACE), %u tries",
                              auth->bac_attempts),
                 auth->bac_attempts);
  else
    g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_ACCESS_DENIED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The chip cannot be read: wrong access key (BAC), %u try",
                              "The chip cannot be read: wrong access key (BAC), %u tries",
                              auth->bac_attempts),
                 auth->bac_attempts);
  return FALSE;
}

/* READ BINARY of the current EF (or, @sfi not 0, of the short EF @sfi,
 * which it selects): its first bytes give its length, the rest comes in
 * chunks. %NULL with @error unset when the short EF is absent. */
static GBytes *
read_contents (Session  *s,
               guint8    sfi,
               GError  **error)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();
  gssize total = 4;
  guint16 sw;

  while ((gssize) file->len < total)
    {
      gsize want = MIN ((gsize) (total - file->len), READ_CHUNK);
      guint8 read[] = { 0x00, 0xb0, file->len >> 8, file->len & 0xff, want };
      g_autoptr(GBytes) chunk = NULL;
      gsize got;

      if (sfi != 0 && file->len == 0)
        read[2] = 0x80 | sfi;
      if ((chunk = command (s, read, sizeof read, &sw, error)) == NULL)
        return NULL;
      got = g_bytes_get_size (chunk);
      if (sfi != 0 && file->len == 0 && sw != SW_OK && sw != 0x6282)
        return NULL;
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

/* SELECT the EF, then read it. %NULL with @error unset when the file is
 * absent. */
static GBytes *
read_file (Session  *s,
           guint16   fid,
           GError  **error)
{
  guint8 select[] = { 0x00, 0xa4, 0x02, 0x0c, 0x02, fid >> 8, fid & 0xff };
  g_autoptr(GBytes) resp = NULL;
  guint16 sw;

  if ((resp = command (s, select, sizeof select, &sw, error)) == NULL)
    return NULL;
  if (sw == 0x6a82)
    return NULL;
  if (sw != SW_OK)
    return status_error (sw, _("The chip refused to open a file (status %04X)"), error), NULL;
  return read_contents (s, 0, error);
}

/* EF.CardAccess: in the clear, from the master file, before the eMRTD
 * application is selected; %NULL with @error unset when there is none. */
static GBytes *
read_card_access (Session  *s,
                  GError  **error)
{
  s->secure = FALSE;
  return read_contents (s, SFI_CARD_ACCESS, error);
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
                     const char      *ec_digest,
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
  *result = _bhxh_chip_active_check (dg15, ec_digest, apdu + 5,
                                     g_bytes_get_data (answer, NULL),
                                     g_bytes_get_size (answer), reason);
  return TRUE;
}

/* Chip authentication (ICAO 9303 part 11 §6.2) with DG14's key: an
 * ephemeral key on its curve goes to the chip (MSE:Set KAT for 3DES;
 * MSE:Set AT and GENERAL AUTHENTICATE for AES); both sides derive new
 * session keys from the ECDH secret and secure messaging restarts with a
 * zero counter. Only the chip holding DG14's private key answers the next
 * command correctly: a copy's answer fails its MAC (invalid). */
static gboolean
chip_authenticate (Session         *s,
                   BhxhChipDg14    *dg14,
                   BhxhAuthResult  *result,
                   const char     **reason,
                   GError         **error)
{
  static const guint8 select_com[] = { 0x00, 0xa4, 0x02, 0x0c, 0x02, FID_COM >> 8,
                                       FID_COM & 0xff };
  g_autoptr(GBytes) public_key = NULL, secret = NULL, resp = NULL;
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autoptr(GError) local = NULL;
  BIGNUM *key = _bhxh_chip_ec_random_key (dg14->group);
  const guint8 *chip_public;
  gsize chip_public_len;
  guint16 sw = 0;

  chip_public = g_bytes_get_data (dg14->chip_public, &chip_public_len);
  if (key != NULL)
    {
      public_key = _bhxh_chip_ec_public (dg14->group, NULL, key);
      secret = _bhxh_chip_ec_shared_x (dg14->group, key, chip_public, chip_public_len);
      BN_clear_free (key);
    }
  if (public_key == NULL || secret == NULL)
    {
      *result = BHXH_AUTH_INVALID;
      *reason = "dg14-malformed";
      return TRUE;
    }
  if (dg14->has_key_id)
    g_byte_array_append (extra, (guint8[]) { 0x84, 0x01, dg14->key_id }, 3);

  if (dg14->cipher == BHXH_CHIP_CIPHER_3DES)
    {
      g_autoptr(GByteArray) apdu = g_byte_array_new ();
      g_autoptr(GByteArray) data = g_byte_array_new ();

      _bhxh_tlv_append (data, 0x91, g_bytes_get_data (public_key, NULL),
                        g_bytes_get_size (public_key));
      g_byte_array_append (data, extra->data, extra->len);
      if (data->len > 0xff)
        return status_error (0, _("The access control could not be started (%04X)"), error);
      g_byte_array_append (apdu, (guint8[]) { 0x00, 0x22, 0x41, 0xa6, data->len }, 5);
      g_byte_array_append (apdu, data->data, data->len);
      resp = command (s, apdu->data, apdu->len, &sw, error);
      if (resp == NULL)
        return FALSE;
    }
  else
    {
      if (!set_authentication_template (s, 0x41, dg14->ca_oid, dg14->ca_oid_len, extra->data,
                                        extra->len, &sw, error))
        return FALSE;
      if (sw == SW_OK &&
          (resp = general_authenticate (s, FALSE, 0x80, public_key, 0, &sw, &local)) == NULL &&
          local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (sw != SW_OK)
    {
      *result = BHXH_AUTH_INVALID;
      *reason = "chip-authentication-refused";
      return TRUE;
    }

  _bhxh_chip_sm_start (&s->sm, dg14->cipher, dg14->key_len, g_bytes_get_data (secret, NULL),
                       g_bytes_get_size (secret));
  g_clear_pointer (&resp, g_bytes_unref);
  resp = command (s, select_com, sizeof select_com, &sw, &local);
  if (resp == NULL && !g_error_matches (local, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *result = resp != NULL && sw == SW_OK ? BHXH_AUTH_VALID : BHXH_AUTH_INVALID;
  *reason = *result == BHXH_AUTH_VALID ? NULL : "chip-authentication-failed";
  return TRUE;
}

/* After the files: DG14 (hash-checked with the others) and chip
 * authentication when it offers it, else active authentication when DG15
 * is there; DG14 without a protocol this desk speaks leaves the chip not
 * checked. */
static gboolean
authenticate_chip (Session         *s,
                   GArray          *listed,
                   GHashTable      *groups,
                   BhxhChipAuth    *auth,
                   const char     **reason,
                   GError         **error)
{
  BhxhChipDg14 dg14 = { 0 };
  gboolean ok = TRUE;

  if (lists_group (listed, 14))
    {
      GBytes *file = read_required (s, FID_DG (14), "DG14", error);

      if (file == NULL)
        return FALSE;
      g_hash_table_insert (groups, GUINT_TO_POINTER (14), file);
      auth->chip = BHXH_AUTH_NOT_CHECKED;
      if (!_bhxh_chip_parse_dg14 (file, &dg14, NULL))
        {
          /* Shown as the chip's failure, the files still read. */
          auth->chip = BHXH_AUTH_INVALID;
          *reason = "dg14-malformed";
          return TRUE;
        }
    }
  if (dg14.has_ca)
    {
      auth->chip_method = g_intern_static_string ("ca");
      ok = chip_authenticate (s, &dg14, &auth->chip, reason, error);
    }
  else if (lists_group (listed, 15))
    {
      auth->chip_method = g_intern_static_string ("aa");
      ok = active_authenticate (s, groups, dg14.aa_digest, &auth->chip, reason, error);
    }
  _bhxh_chip_dg14_clear (&dg14);
  return ok;
}

/**
 * bhxh_chip_read:
 * @options: the reader, the access keys to try, the trust directory
 * @cancellable: (nullable): checked between commands
 *
 * Opens the chip with the first access key that works (PACE when
 * EF.CardAccess offers it with supported parameters, else BAC), reads
 * EF.COM, DG1, DG13, DG2 when asked and EF.SOD under secure messaging,
 * and checks the data passively against @options' CSCA directory at
 * @options' instant. Then the chip itself: chip authentication when DG14
 * offers it (ECDH), else active authentication when DG15 is there (RSA or
 * ECDSA); a chip with neither reports it as absent, one with only a DG14
 * this desk cannot use, as not checked.
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
  g_autoptr(GBytes) card_access = NULL;
  g_autoptr(GError) local = NULL;
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
  /* A chip that answers the read of EF.CardAccess with nonsense offers no
   * PACE; one taken away or a read cancelled ends here. */
  card_access = read_card_access (&s, &local);
  if (local != NULL && !g_error_matches (local, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL) &&
      !g_error_matches (local, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_FORMAT))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_clear_error (&local);
  if (!open_chip (&s, options->keys, card_access, auth, error) ||
      !read_files (&s, result, options->flags, groups, &sod, &listed, error) ||
      !authenticate_chip (&s, listed, groups, auth, &active_reason, error))
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
  if (g_hash_table_contains (groups, GUINT_TO_POINTER (14)))
    auth->dg14 = g_bytes_ref (g_hash_table_lookup (groups, GUINT_TO_POINTER (14)));
  if (g_hash_table_contains (groups, GUINT_TO_POINTER (15)))
    auth->dg15 = g_bytes_ref (g_hash_table_lookup (groups, GUINT_TO_POINTER (15)));
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
 * authentication runs again on its SOD, DG1, DG13 (and DG14, DG15). Chip
 * and active authentication, live exchanges with the chip, cannot be done
 * again: it
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
  if (auth->dg14 != NULL)
    g_hash_table_insert (groups, GUINT_TO_POINTER (14), g_bytes_ref (auth->dg14));
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
