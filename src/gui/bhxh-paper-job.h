/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "docs/bhxh-papers.h"

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

/* Renders a paper in the service (src/docs), then prints it with the print
 * dialog (bhxh-print). A failure is shown to the clerk over @parent. */
void bhxh_paper_job_print (GtkWindow     *parent,
                           BhxhCounter   *counter,
                           BhxhPaperKind  kind,
                           const char    *key,
                           GCancellable  *cancellable);

G_END_DECLS
