/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The workstation's enrolment token file, chosen in a dialog (the first
 * run and the preferences). @chosen runs with the file's path when one is
 * chosen, while @owner lives. */
typedef void (*BhxhTokenChosen) (GObject    *owner,
                                 const char *path);

void bhxh_choose_token_file (GtkWidget       *for_widget,
                             GObject         *owner,
                             BhxhTokenChosen  chosen);

G_END_DECLS
