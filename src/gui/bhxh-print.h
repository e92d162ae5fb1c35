/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "docs/bhxh-papers.h"

G_BEGIN_DECLS

/* Printing the papers from the app. The papers are PDFs made by
 * src/docs (libharu); they are sent to the printer as they are, through
 * GtkPrintUnixDialog + GtkPrintJob (needs the gtk4-unix-print
 * pkg-config module), so the paper and the printed page never differ.
 * Cancelling a dialog finishes with G_IO_ERROR_CANCELLED. */

void      bhxh_print_set_settings     (GtkPrintSettings     *settings);
GtkPrintSettings *
          bhxh_print_get_settings     (void);

void      bhxh_print_pdf_async        (GtkWindow            *parent,
                                       const char           *pdf_path,
                                       const char           *job_title,
                                       const char           *file_basename,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  bhxh_print_pdf_finish       (GAsyncResult         *result,
                                       GError              **error);

void      bhxh_print_save_pdf_async   (GtkWindow            *parent,
                                       const char           *pdf_path,
                                       const char           *suggested_name,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GFile    *bhxh_print_save_pdf_finish  (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
