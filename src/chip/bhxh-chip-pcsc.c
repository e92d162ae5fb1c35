/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <winscard.h>

#include "bhxh-chip-pcsc.h"

/* PC/SC through libpcsclite: the readers pcscd knows, a card on one of
 * them, and APDUs to it; every PC/SC failure becomes a BhxhChipError. */

struct _BhxhChipCard
{
  SCARDCONTEXT  context;
  SCARDHANDLE   handle;
  DWORD         protocol;
  char         *reader;
};

static gboolean
pcsc_error (LONG        rv,
            GError    **error)
{
  switch (rv)
    {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_NO_SERVICE,
                           _("The smart card service (pcscd) is not running"));
      break;
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_NO_READER,
                           _("No card reader is connected"));
      break;
    case SCARD_E_NO_SMARTCARD:
    case SCARD_W_REMOVED_CARD:
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_NO_CARD,
                           _("No card lies on the reader"));
      break;
    case SCARD_E_TIMEOUT:
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_NO_CARD,
                           _("No card was placed on the reader in time"));
      break;
    default:
      g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL,
                   _("The card reader failed: %s"), pcsc_stringify_error (rv));
      break;
    }
  return FALSE;
}

static char **
list_readers (SCARDCONTEXT   context,
              GError       **error)
{
  g_autofree char *buffer = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  DWORD len = 0;
  LONG rv;

  rv = SCardListReaders (context, NULL, NULL, &len);
  if (rv == SCARD_S_SUCCESS)
    {
      buffer = g_malloc0 (len + 1);
      rv = SCardListReaders (context, NULL, buffer, &len);
    }
  if (rv != SCARD_S_SUCCESS)
    return pcsc_error (rv, error), NULL;
  for (const char *p = buffer; *p != '\0'; p += strlen (p) + 1)
    g_ptr_array_add (names, g_strdup (p));
  if (names->len == 0)
    return pcsc_error (SCARD_E_NO_READERS_AVAILABLE, error), NULL;
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * bhxh_chip_list_readers:
 *
 * Returns: (transfer full): the names of the readers pcscd knows, or %NULL
 *   with @error set (no service, no reader)
 */
char **
bhxh_chip_list_readers (GError **error)
{
  SCARDCONTEXT context;
  LONG rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
  char **names;

  if (rv != SCARD_S_SUCCESS)
    return pcsc_error (rv, error), NULL;
  names = list_readers (context, error);
  SCardReleaseContext (context);
  return names;
}

/* The reader to use: the one named (the whole name or its start), else
 * the first holding a card; waits up to @wait_ms for a card. */
static char *
pick_reader (SCARDCONTEXT   context,
             const char    *wanted,
             guint          wait_ms,
             GError       **error)
{
  g_auto(GStrv) names = list_readers (context, error);
  g_autofree SCARD_READERSTATE *states = NULL;
  guint n = 0;
  gint64 deadline = g_get_monotonic_time () + (gint64) wait_ms * 1000;

  if (names == NULL)
    return NULL;
  states = g_new0 (SCARD_READERSTATE, g_strv_length (names));
  for (guint i = 0; names[i] != NULL; i++)
    if (wanted == NULL || g_str_has_prefix (names[i], wanted))
      states[n++].szReader = names[i];
  if (n == 0)
    {
      g_set_error (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_NO_READER,
                   _("There is no card reader “%s”"), wanted);
      return NULL;
    }

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      LONG rv = SCardGetStatusChange (context, MAX (left, 0), states, n);

      if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
        return pcsc_error (rv, error), NULL;
      for (guint i = 0; i < n; i++)
        if ((states[i].dwEventState & SCARD_STATE_PRESENT) &&
            !(states[i].dwEventState & SCARD_STATE_MUTE))
          return g_strdup (states[i].szReader);
      if (rv == SCARD_E_TIMEOUT || left <= 0)
        return pcsc_error (SCARD_E_NO_SMARTCARD, error), NULL;
      for (guint i = 0; i < n; i++)
        states[i].dwCurrentState = states[i].dwEventState;
    }
}

BhxhChipCard *
_bhxh_chip_card_connect (const char  *reader,
                         guint        wait_ms,
                         GError     **error)
{
  g_autoptr(BhxhChipCard) card = g_new0 (BhxhChipCard, 1);
  LONG rv;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &card->context);
  if (rv != SCARD_S_SUCCESS)
    {
      card->context = 0;
      return pcsc_error (rv, error), NULL;
    }
  card->reader = pick_reader (card->context, reader, wait_ms, error);
  if (card->reader == NULL)
    return NULL;
  rv = SCardConnect (card->context, card->reader, SCARD_SHARE_EXCLUSIVE,
                     SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card->handle, &card->protocol);
  if (rv != SCARD_S_SUCCESS)
    {
      card->handle = 0;
      return pcsc_error (rv, error), NULL;
    }
  return g_steal_pointer (&card);
}

const char *
_bhxh_chip_card_get_reader (BhxhChipCard *card)
{
  return card->reader;
}

/* After a failed exchange: was the card taken off? Readers notice a card
 * leaving within moments, so this waits up to a second to know. */
static gboolean
card_gone (BhxhChipCard *card)
{
  SCARD_READERSTATE state = { .szReader = card->reader,
                              .dwCurrentState = SCARD_STATE_UNAWARE };
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      LONG rv = SCardGetStatusChange (card->context, 200, &state, 1);

      if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
        return TRUE;
      if (state.dwEventState & (SCARD_STATE_EMPTY | SCARD_STATE_UNAVAILABLE))
        return TRUE;
      state.dwCurrentState = state.dwEventState;
    }
  return FALSE;
}

static gboolean
card_removed_error (GError **error)
{
  g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_CARD_REMOVED,
                       _("The card was taken off the reader before it was read; "
                         "place it again and keep it still"));
  return FALSE;
}

static gboolean
transmit_once (BhxhChipCard  *card,
               const guint8  *apdu,
               gsize          len,
               GByteArray    *out,
               GError       **error)
{
  const SCARD_IO_REQUEST *pci = card->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  guint8 buffer[258 + 2];
  DWORD buffer_len = sizeof buffer;
  LONG rv = SCardTransmit (card->handle, pci, apdu, len, NULL, buffer, &buffer_len);

  if (rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD || rv == SCARD_W_RESET_CARD ||
      rv == SCARD_E_READER_UNAVAILABLE || rv == SCARD_W_UNPOWERED_CARD)
    return card_removed_error (error);
  if (rv != SCARD_S_SUCCESS || buffer_len < 2)
    {
      if (card_gone (card))
        return card_removed_error (error);
      if (rv != SCARD_S_SUCCESS)
        return pcsc_error (rv, error);
      g_set_error_literal (error, BHXH_CHIP_ERROR, BHXH_CHIP_ERROR_PROTOCOL,
                           _("The card gave no answer"));
      return FALSE;
    }
  g_byte_array_set_size (out, 0);
  g_byte_array_append (out, buffer, buffer_len);
  return TRUE;
}

/**
 * _bhxh_chip_card_transmit:
 *
 * Sends one APDU; answers 61xx (more data) and 6Cxx (wrong length) of T=0
 * are followed up.
 *
 * Returns: (transfer full): the response, status word included
 */
GBytes *
_bhxh_chip_card_transmit (BhxhChipCard  *card,
                          const guint8  *apdu,
                          gsize          len,
                          GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) data = g_byte_array_new ();

  if (!transmit_once (card, apdu, len, out, error))
    return NULL;
  if (out->len == 2 && out->data[0] == 0x6c && len >= 5)
    {
      g_autofree guint8 *again = g_memdup2 (apdu, len);

      again[len - 1] = out->data[1];
      if (!transmit_once (card, again, len, out, error))
        return NULL;
    }
  while (out->len >= 2 && out->data[out->len - 2] == 0x61)
    {
      guint8 get_response[] = { 0x00, 0xc0, 0x00, 0x00, out->data[out->len - 1] };

      g_byte_array_append (data, out->data, out->len - 2);
      if (!transmit_once (card, get_response, sizeof get_response, out, error))
        return NULL;
    }
  g_byte_array_append (data, out->data, out->len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

void
_bhxh_chip_card_free (BhxhChipCard *card)
{
  if (card == NULL)
    return;
  if (card->handle != 0)
    SCardDisconnect (card->handle, SCARD_LEAVE_CARD);
  if (card->context != 0)
    SCardReleaseContext (card->context);
  g_free (card->reader);
  g_free (card);
}
