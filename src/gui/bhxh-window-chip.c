/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "chip/bhxh-chip.h"
#include "core/bhxh-clock.h"
#include "bhxh-window-private.h"

/* After a card's QR is scanned: when a card reader is connected, the clerk
 * is asked to place the card on it and the chip is read in a thread
 * (src/chip), its steps and progress shown; "Skip" (Esc) goes on with the
 * QR alone. The chip's data, with its authentication, the QR and the face
 * when read, then goes to the check like any document. */

/* How long the dialog waits for a card before going on with the QR. */
#define CARD_WAIT_MS (60 * 1000)

typedef struct
{
  BhxhWindow       *self;
  BhxhDocument     *qr;
  AdwMessageDialog *dialog;        /* weak */
  GtkLabel         *step_label;    /* in the dialog */
  GtkProgressBar   *progress_bar;  /* in the dialog */
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

/* ---- progress, from the reading thread to the dialog ---- */

typedef struct
{
  ChipRead     *read;
  BhxhChipStep  step;
  double        fraction;
} Progress;

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  chip_read_unref (progress->read);
  g_free (progress);
}

static const char *
step_text (BhxhChipStep step)
{
  switch (step)
    {
    case BHXH_CHIP_STEP_OPENING:
      return _("Opening the chip…");
    case BHXH_CHIP_STEP_PERSONAL:
      return _("Reading the personal data…");
    case BHXH_CHIP_STEP_PORTRAIT:
      return _("Reading the photo…");
    case BHXH_CHIP_STEP_SIGNATURE:
    default:
      return _("Checking the digital signature…");
    }
}

static gboolean
progress_main_cb (gpointer data)
{
  Progress *progress = data;
  ChipRead *read = progress->read;

  if (!read->done && read->dialog != NULL)
    {
      gtk_label_set_text (read->step_label, step_text (progress->step));
      gtk_progress_bar_set_fraction (read->progress_bar, progress->fraction);
    }
  return G_SOURCE_REMOVE;
}

/* In the reading thread: the dialog is updated from the main loop. */
static void
progress_cb (BhxhChipStep step,
             double       fraction,
             gpointer     user_data)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->read = g_rc_box_acquire (user_data);
  progress->step = step;
  progress->fraction = fraction;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, progress_main_cb, progress,
                              progress_free);
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
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  read->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (read->self), _("Place the Card on the Reader"),
    _("Reading the card’s chip to authenticate it. Keep the card still until it is "
      "read, or skip to go on with the QR only (not authenticated).")));
  g_object_add_weak_pointer (G_OBJECT (read->dialog), (gpointer *) &read->dialog);
  /* What the read is doing, and how far (the library's steps). */
  read->step_label = GTK_LABEL (gtk_label_new (_("Waiting for the card…")));
  gtk_widget_add_css_class (GTK_WIDGET (read->step_label), "dim-label");
  read->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (read->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chip read progress"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (read->step_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (read->progress_bar));
  adw_message_dialog_set_extra_child (read->dialog, box);
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
  options.progress = progress_cb;
  options.progress_data = read;
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
