/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "chip/bhxh-chip.h"
#include "core/bhxh-clock.h"
#include "bhxh-window-private.h"

/* After a card's QR is scanned: when a card reader is connected, the clerk
 * is asked to place the card on it and the chip is read in a thread
 * (src/chip); "Skip" goes on with the QR alone. The chip's data, with its
 * authentication and the QR, then goes to the check like any document. */

/* How long the dialog waits for a card before going on with the QR. */
#define CARD_WAIT_MS (60 * 1000)

typedef struct
{
  BhxhWindow       *self;
  BhxhDocument     *qr;
  AdwMessageDialog *dialog;        /* weak */
  GCancellable     *cancellable;
  gboolean          done;          /* the lookup has started, once */
} ChipRead;

static void
chip_read_clear (gpointer data)
{
  ChipRead *read = data;

  if (read->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (read->dialog), (gpointer *) &read->dialog);
  g_clear_object (&read->self);
  g_clear_pointer (&read->qr, bhxh_document_free);
  g_clear_object (&read->cancellable);
}

static void
chip_read_unref (ChipRead *read)
{
  g_rc_box_release_full (read, chip_read_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChipRead, chip_read_unref)

/* Goes on to the declarations with the chip's document, or the QR's. */
static void
go_on (ChipRead     *read,
       BhxhDocument *chip)
{
  if (read->done)
    {
      bhxh_document_free (chip);
      return;
    }
  read->done = TRUE;
  if (read->dialog != NULL)
    gtk_window_close (GTK_WINDOW (read->dialog));
  _bhxh_window_lookup_document (read->self,
                                chip != NULL ? chip : bhxh_document_copy (read->qr));
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ChipRead) read = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhChipResult) chip = bhxh_chip_read_finish (result, &error);
  BhxhDocument *document;

  if (read->done)
    return;
  if (chip == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bhxh_window_toast (read->self, error->message);
      go_on (read, NULL);
      return;
    }
  document = g_steal_pointer (&chip->document);
  document->qr = bhxh_document_copy (read->qr);
  document->chip.portrait = g_steal_pointer (&chip->portrait);
  go_on (read, document);
}

static void
skip_cb (AdwMessageDialog *dialog,
         const char       *response,
         ChipRead         *read)
{
  g_cancellable_cancel (read->cancellable);
  go_on (read, NULL);
}

static void
show_dialog (ChipRead *read)
{
  GtkWidget *spinner = gtk_spinner_new ();

  read->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (read->self), _("Place the Card on the Reader"),
    _("Reading the card’s chip to authenticate it. Keep the card still until it is "
      "read, or skip to go on with the QR only (not authenticated).")));
  g_object_add_weak_pointer (G_OBJECT (read->dialog), (gpointer *) &read->dialog);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  adw_message_dialog_set_extra_child (read->dialog, spinner);
  adw_message_dialog_add_response (read->dialog, "skip", _("_Skip (QR Only)"));
  adw_message_dialog_set_close_response (read->dialog, "skip");
  g_signal_connect_data (read->dialog, "response", G_CALLBACK (skip_cb),
                         g_rc_box_acquire (read), (GClosureNotify) (void (*) (void))
                         chip_read_unref, 0);
  gtk_window_present (GTK_WINDOW (read->dialog));
}

static void
readers_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ChipRead) read = user_data;
  g_auto(GStrv) readers = bhxh_chip_list_readers_finish (result, NULL);
  g_auto(BhxhChipReadOptions) options = { NULL };

  /* No pcscd, no reader, or a QR the key cannot be made from: the QR. */
  if (readers == NULL || read->self->counter == NULL ||
      (options.keys = bhxh_chip_keys_from_document (read->qr, NULL)) == NULL)
    {
      go_on (read, NULL);
      return;
    }
  options.csca_dir = bhxh_chip_default_trust_dir ();
  /* The reader chosen in the preferences; none: the one holding a card. */
  options.reader = g_settings_get_string (read->self->settings, "chip-reader");
  if (options.reader[0] == '\0')
    g_clear_pointer (&options.reader, g_free);
  options.now = bhxh_clock_now ();
  options.wait_ms = CARD_WAIT_MS;
  /* The face for the clerk to compare (about a second more on a reader). */
  if (g_settings_get_boolean (read->self->settings, "chip-portrait"))
    options.flags |= BHXH_CHIP_READ_PORTRAIT;
  show_dialog (read);
  bhxh_chip_read_async (&options, read->cancellable, read_cb, g_rc_box_acquire (read));
}

void
_bhxh_window_read_chip (BhxhWindow   *self,
                        BhxhDocument *qr)
{
  ChipRead *read = g_rc_box_new0 (ChipRead);

  read->self = g_object_ref (self);
  read->qr = qr;
  read->cancellable = g_cancellable_new ();
  bhxh_chip_list_readers_async (self->cancellable, readers_cb, read);
}
