/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gtk/gtkunixprint.h>

#include "docs/bhxh-papers.h"
#include "gui/bhxh-print.h"

/* The GUI's print helper in real dialogs (run under xvfb-run): cancel,
 * print to GTK's "Print to File" printer, save as PDF. The dialogs are
 * answered the way a clerk would, by their response. */

static char *tmpdir;
static char *source_pdf;

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  gboolean   ok;
  GFile     *saved;
  int        response;
  guint      polls;
} Run;

static gboolean
log_cb (const char     *log_domain,
        GLogLevelFlags  log_level,
        const char     *message,
        gpointer        user_data)
{
  /* No session bus under a bare Xvfb: GTK warns, it is not our failure. */
  return strstr (message, "session bus") == NULL && strstr (message, "D-Bus") == NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = window;
    }
  return found;
}

/* Answers the print dialog once it is up (and, for OK, once the printer
 * from the preset settings has been listed and selected). */
static gboolean
answer_print_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *dialog = find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG);

  g_assert_cmpuint (++run->polls, <, 300);
  if (dialog == NULL)
    return G_SOURCE_CONTINUE;
  if (run->response == GTK_RESPONSE_OK
      && gtk_print_unix_dialog_get_selected_printer (GTK_PRINT_UNIX_DIALOG (dialog)) == NULL)
    return G_SOURCE_CONTINUE;
  gtk_dialog_response (GTK_DIALOG (dialog), run->response);
  return G_SOURCE_REMOVE;
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->ok = bhxh_print_pdf_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
print_with (int   response,
            Run  *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->response = response;
  bhxh_print_pdf_async (NULL, source_pdf, "Receipt TK01-00106-000001",
                        "receipt-TK01-00106-000001-2026-03-02", NULL, printed_cb, run);
  g_timeout_add (100, answer_print_cb, run);
  g_main_loop_run (run->loop);
  g_main_loop_unref (run->loop);
}

static void
test_print_cancel (void)
{
  Run run = { 0, };

  print_with (GTK_RESPONSE_CANCEL, &run);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *da = NULL, *db = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  g_assert_cmpmem (da, la, db, lb);
}

/* The PDF reaches the printer unchanged. */
static void
test_print_to_file (void)
{
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autofree char *last = g_build_filename (tmpdir, "printed.pdf", NULL);
  g_autofree char *uri = g_filename_to_uri (last, NULL, NULL);
  /* Named after the paper, in the folder of the last file printed. */
  g_autofree char *target = g_build_filename (tmpdir, "receipt-TK01-00106-000001-2026-03-02.pdf",
                                              NULL);
  Run run = { 0, };

  gtk_print_settings_set_printer (settings, "Print to File");
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_URI, uri);
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
  bhxh_print_set_settings (settings);

  print_with (GTK_RESPONSE_OK, &run);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  assert_same_file (target, source_pdf);
  /* Remembered for the next print. */
  g_assert_cmpstr (gtk_print_settings_get_printer (bhxh_print_get_settings ()), ==,
                   "Print to File");
  bhxh_print_set_settings (NULL);
}

static gboolean
answer_save_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_autoptr(GFile) folder = g_file_new_for_path (tmpdir);

  g_assert_cmpuint (++run->polls, <, 300);
  if (dialog == NULL)
    return G_SOURCE_CONTINUE;
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog)), ==,
                   "receipt-TK01-00106-000001.pdf");
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "saved.pdf");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  return G_SOURCE_REMOVE;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;

  run->saved = bhxh_print_save_pdf_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_save_as_pdf (void)
{
  g_autofree char *expected = g_build_filename (tmpdir, "saved.pdf", NULL);
  g_autofree char *path = NULL;
  Run run = { 0, };

  run.loop = g_main_loop_new (NULL, FALSE);
  bhxh_print_save_pdf_async (NULL, source_pdf, "receipt-TK01-00106-000001.pdf", NULL, saved_cb,
                             &run);
  g_timeout_add (100, answer_save_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  g_assert_no_error (run.error);
  g_assert_nonnull (run.saved);
  path = g_file_get_path (run.saved);
  g_assert_cmpstr (path, ==, expected);
  assert_same_file (expected, source_pdf);
  g_object_unref (run.saved);
}

static void
make_source (void)
{
  g_autoptr(BhxhPaper) paper = bhxh_paper_new (NULL);
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-23T09:41:00+07:00", NULL);
  BhxhDeclaration d = { 0, };

  d.id = (char *) "TK01-00106-000001";
  d.full_name = (char *) "Nguyễn Văn An";
  d.id_number = (char *) "001090012345";
  d.submitted_at = at;
  source_pdf = g_build_filename (tmpdir, "receipt.pdf", NULL);
  g_assert_nonnull (paper);
  g_assert_true (bhxh_paper_add_receipt (paper, NULL, &d, NULL, "lan.nt", NULL));
  g_assert_true (bhxh_paper_save (paper, source_pdf, NULL));
}

static void
remove_tmpdir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (log_cb, NULL);
  /* The fallback file chooser, not a portal: nothing outside this process. */
  g_setenv ("GTK_USE_PORTAL", "0", TRUE);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run the ui suite under xvfb-run");
      return g_test_run ();
    }
  tmpdir = g_dir_make_tmp ("bhxh-print-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  make_source ();

  g_test_add_func ("/print/cancel", test_print_cancel);
  g_test_add_func ("/print/to-file", test_print_to_file);
  g_test_add_func ("/print/save-as-pdf", test_save_as_pdf);
  ret = g_test_run ();

  remove_tmpdir ();
  g_free (source_pdf);
  g_free (tmpdir);
  return ret;
}
