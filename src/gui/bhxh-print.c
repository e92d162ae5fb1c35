/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtkunixprint.h>

#include "bhxh-print.h"

/* Printing. The settings of the last print (printer, copies) are offered
 * again next time, as other GTK applications do. */

static GtkPrintSettings *last_settings;

/**
 * bhxh_print_set_settings:
 * @settings: (nullable): settings to preselect, e.g. restored from GSettings
 */
void
bhxh_print_set_settings (GtkPrintSettings *settings)
{
  g_return_if_fail (settings == NULL || GTK_IS_PRINT_SETTINGS (settings));

  g_set_object (&last_settings, settings);
}

/**
 * bhxh_print_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings of the last print
 */
GtkPrintSettings *
bhxh_print_get_settings (void)
{
  return last_settings;
}

typedef struct
{
  char *path;
  char *title;
} PrintData;

static void
print_data_free (PrintData *data)
{
  g_free (data->path);
  g_free (data->title);
  g_free (data);
}

static void
job_complete_cb (GtkPrintJob  *job,
                 gpointer      user_data,
                 const GError *error)
{
  GTask *task = user_data;

  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
print_response_cb (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  g_autoptr(GTask) task = user_data;
  GtkPrintUnixDialog *print_dialog = GTK_PRINT_UNIX_DIALOG (dialog);
  PrintData *data = g_task_get_task_data (task);
  g_autoptr(GtkPrintJob) job = NULL;
  g_autoptr(GtkPrintSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrinter *printer;

  if (response != GTK_RESPONSE_OK)
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Printing was cancelled"));
      return;
    }

  printer = gtk_print_unix_dialog_get_selected_printer (print_dialog);
  settings = gtk_print_unix_dialog_get_settings (print_dialog);
  if (printer == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No printer was chosen"));
      return;
    }
  if (!gtk_printer_accepts_pdf (printer))
    {
      g_autofree char *name = g_strdup (gtk_printer_get_name (printer));

      gtk_window_destroy (GTK_WINDOW (dialog));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The printer “%s” cannot print PDF files; choose another one "
                                 "or save the paper as PDF"), name);
      return;
    }

  bhxh_print_set_settings (settings);
  job = gtk_print_job_new (data->title, printer, settings,
                           gtk_print_unix_dialog_get_page_setup (print_dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (!gtk_print_job_set_source_file (job, data->path, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  gtk_print_job_send (job, job_complete_cb, g_steal_pointer (&task), g_object_unref);
}

/* "Print to File" writes @basename.pdf in the folder it wrote to last
 * (Documents the first time), not "output.pdf" in the working folder. */
static void
name_output_file (GtkPrintSettings *settings,
                  const char       *basename)
{
  const char *uri = gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI);
  g_autofree char *name = g_strconcat (basename, ".pdf", NULL);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *target = NULL;

  if (uri != NULL)
    {
      g_autoptr(GFile) last = g_file_new_for_uri (uri);

      folder = g_file_get_parent (last);
    }
  if (folder == NULL)
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

      folder = g_file_new_for_path (documents != NULL ? documents : g_get_home_dir ());
    }
  file = g_file_get_child (folder, name);
  target = g_file_get_uri (file);
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_URI, target);
}

/**
 * bhxh_print_pdf_async:
 * @parent: (nullable): the window the dialog belongs to
 * @pdf_path: a PDF made by src/docs
 * @job_title: the name the print queue and the dialog show: the paper and
 *   its declaration
 * @file_basename: (nullable): the name, without ".pdf", a "Print to File"
 *   gets (in the folder of the last one, else Documents)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the job is sent, failed or was cancelled
 * @user_data: for @callback
 *
 * Shows the print dialog and sends the PDF unchanged to the chosen printer.
 */
void
bhxh_print_pdf_async (GtkWindow           *parent,
                      const char          *pdf_path,
                      const char          *job_title,
                      const char          *file_basename,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrintData *data;
  GtkWidget *dialog;
  g_autofree char *dialog_title = NULL;
  g_autoptr(GtkPrintSettings) settings = NULL;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (pdf_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bhxh_print_pdf_async);
  data = g_new0 (PrintData, 1);
  data->path = g_strdup (pdf_path);
  data->title = g_strdup (job_title != NULL ? job_title : "bhxh-desk");
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);

  /* Which paper is about to print, in the dialog's title. */
  dialog_title = job_title != NULL ? g_strdup_printf (_("Print %s"), job_title)
                                   : g_strdup (_("Print"));
  dialog = gtk_print_unix_dialog_new (dialog_title, parent);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  /* The PDF is final: only what the printer itself does is offered. */
  gtk_print_unix_dialog_set_manual_capabilities (GTK_PRINT_UNIX_DIALOG (dialog),
                                                 GTK_PRINT_CAPABILITY_GENERATE_PDF
                                                 | GTK_PRINT_CAPABILITY_COPIES
                                                 | GTK_PRINT_CAPABILITY_COLLATE);
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), FALSE);
  settings = last_settings != NULL ? gtk_print_settings_copy (last_settings)
                                   : gtk_print_settings_new ();
  if (file_basename != NULL)
    name_output_file (settings, file_basename);
  gtk_print_unix_dialog_set_settings (GTK_PRINT_UNIX_DIALOG (dialog), settings);
  g_signal_connect (dialog, "response", G_CALLBACK (print_response_cb), g_steal_pointer (&task));
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
bhxh_print_pdf_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bhxh_print_pdf_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Saving as PDF: GtkFileDialog is GTK 4.10, so GtkFileChooserNative. */

static void
copy_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy_finish (G_FILE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (g_task_get_task_data (task)), g_object_unref);
}

static void
save_response_cb (GtkNativeDialog *native,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GFile) source = NULL;
  GCancellable *cancellable;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Saving was cancelled"));
      g_object_unref (native);
      return;
    }

  target = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  source = g_file_new_for_path (g_object_get_data (G_OBJECT (task), "bhxh-source"));
  g_object_unref (native);
  g_task_set_task_data (task, g_object_ref (target), g_object_unref);
  cancellable = g_task_get_cancellable (task);
  g_file_copy_async (source, target, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, cancellable,
                     NULL, NULL, copy_done_cb, g_steal_pointer (&task));
}

/**
 * bhxh_print_save_pdf_async:
 * @parent: (nullable): the window the dialog belongs to
 * @pdf_path: a PDF made by src/docs
 * @suggested_name: (nullable): e.g. "receipt-TK01-00106-000001.pdf"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the copy is written, failed or was cancelled
 * @user_data: for @callback
 *
 * Asks where to save and copies the PDF there.
 */
void
bhxh_print_save_pdf_async (GtkWindow           *parent,
                           const char          *pdf_path,
                           const char          *suggested_name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *basename = NULL;
  GtkFileChooserNative *native;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (pdf_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bhxh_print_save_pdf_async);
  g_object_set_data_full (G_OBJECT (task), "bhxh-source", g_strdup (pdf_path), g_free);

  native = gtk_file_chooser_native_new (_("Save as PDF"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  basename = suggested_name != NULL ? g_strdup (suggested_name) : g_path_get_basename (pdf_path);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), basename);
  g_signal_connect (native, "response", G_CALLBACK (save_response_cb), g_steal_pointer (&task));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/**
 * bhxh_print_save_pdf_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the file written, or %NULL
 */
GFile *
bhxh_print_save_pdf_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bhxh_print_save_pdf_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
