/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "core/bhxh-date.h"
#include "core/bhxh-text.h"

#include "bhxh-paper-job.h"
#include "bhxh-print.h"

typedef struct
{
  GtkWindow    *parent;
  BhxhCounter  *counter;
  GCancellable *cancellable;
  char         *path;
  char         *title;
  char         *file_basename;
} PaperJob;

static void
paper_job_free (PaperJob *job)
{
  if (job->path != NULL)
    bhxh_counter_remove_paper (job->path);
  g_clear_object (&job->parent);
  g_clear_object (&job->counter);
  g_clear_object (&job->cancellable);
  g_free (job->path);
  g_free (job->title);
  g_free (job->file_basename);
  g_free (job);
}

static void
show_failure (GtkWindow    *parent,
              const GError *error)
{
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  dialog = adw_message_dialog_new (parent, _("The Paper Cannot Be Printed"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PaperJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!bhxh_print_pdf_finish (result, &error))
    show_failure (job->parent, error);
  paper_job_free (job);
}

static void
rendered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PaperJob *job = user_data;
  g_autoptr(GError) error = NULL;

  job->path = bhxh_counter_render_paper_finish (job->counter, result, NULL, &error);
  if (job->path == NULL)
    {
      show_failure (job->parent, error);
      paper_job_free (job);
      return;
    }
  bhxh_print_pdf_async (job->parent, job->path, job->title, job->file_basename,
                        job->cancellable, printed_cb, job);
}

static const char *
paper_title (BhxhPaperKind kind)
{
  switch (kind)
    {
    case BHXH_PAPER_FORM01:
      return _("Form 01");
    case BHXH_PAPER_RECEIPT:
      return _("Receipt");
    case BHXH_PAPER_REJECTION:
      return _("Rejection notice");
    case BHXH_PAPER_DAILY_REPORT:
    default:
      return _("Daily report");
    }
}

void
bhxh_paper_job_print (GtkWindow     *parent,
                      BhxhCounter   *counter,
                      BhxhPaperKind  kind,
                      const char    *key,
                      GCancellable  *cancellable)
{
  PaperJob *job;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (BHXH_IS_COUNTER (counter));
  g_return_if_fail (key != NULL);

  job = g_new0 (PaperJob, 1);
  job->parent = g_object_ref (parent);
  job->counter = g_object_ref (counter);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->title = g_strdup_printf ("%s %s", paper_title (kind), key);
  /* "phieu-tiep-nhan-TK01-00106-000001-2026-12-04": the paper, the
   * declaration (or the report's day) and the day it was printed. */
  {
    g_autofree char *folded = bhxh_text_fold (paper_title (kind));
    BhxhDate today = bhxh_counter_get_today (counter);
    g_autofree char *day = bhxh_date_to_iso (&today);

    g_strdelimit (folded, " ", '-');
    job->file_basename = g_str_equal (key, day) ? g_strdup_printf ("%s-%s", folded, key)
                                                : g_strdup_printf ("%s-%s-%s", folded, key, day);
  }
  bhxh_counter_render_paper_async (counter, bhxh_paper_kind_to_string (kind), key, cancellable,
                                   rendered_cb, job);
}
