/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "service/bhxh-counter.h"

G_BEGIN_DECLS

#define BHXH_TYPE_SETUP_PAGE (bhxh_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (BhxhSetupPage, bhxh_setup_page, BHXH, SETUP_PAGE, GtkWidget)

/* A real office's first run, on a store with no account yet: the first
 * admin, the portal and its enrolment token, the first sync, the office,
 * then the people. Emits "done" (login, display name, role) with the admin
 * signed in. */
BhxhSetupPage *bhxh_setup_page_new            (BhxhCounter   *counter,
                                               GSettings     *settings);
const char    *bhxh_setup_page_get_step       (BhxhSetupPage *self);
void           bhxh_setup_page_set_token_file (BhxhSetupPage *self,
                                               const char    *path);

G_END_DECLS
